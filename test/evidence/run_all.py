"""Runs every rule's evidence script in one Python process (TensorFlow imports once) and records
the outcomes in results.json beside this file (or in the file given with --out).
Usage: python test/evidence/run_all.py [--out FILE] [NAN101 ...]"""
import importlib
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    args = sys.argv[1:]
    path = os.path.join(HERE, "results.json")
    if args[:1] == ["--out"]:
        path, args = args[1], args[2:]
    wanted = args or sorted(f[:-3] for f in os.listdir(HERE) if f.startswith("NAN") and f.endswith(".py"))
    results = json.load(open(path)) if os.path.exists(path) else {}
    for rule in wanted:
        started = time.perf_counter()
        outcome = importlib.import_module(rule).run()
        outcome["seconds"] = round(time.perf_counter() - started, 1)
        results[rule] = outcome
        print(rule, "done in", outcome["seconds"], "s", flush=True)
        with open(path, "w") as f:
            json.dump(dict(sorted(results.items())), f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
