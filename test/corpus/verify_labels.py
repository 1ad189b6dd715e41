"""Checks the corpus labels against real Keras and records the outcome in labels-verified.json.

Every corpus script is run for real, in one Python process (TensorFlow is imported once), with
`keras.Model.fit` patched to record each epoch's loss and the first non-finite batch (training
stops there, like TerminateOnNaN). Then:

- healthy/*.py must train: every loss finite, and the last epoch's loss at most 90% of the first's;
- failing/*.py must fail the way its `# nanguard-outcome:` header says: `nan` (a non-finite
  loss), `diverging` (the loss ends above twice the first and ten times the lowest), `stalled`
  (the last loss above 90% of the first) or `invalid` (a loss that cannot be negative goes
  negative: cross-entropy fed targets outside [0, 1]);
- fixed/*.py (the failing script with its `# nanguard-fix:` applied) must train, as healthy ones do.

Usage (with the Keras environment's python, see scripts/keras-env.sh):
    python test/corpus/verify_labels.py                 # every corpus file
    python test/corpus/verify_labels.py failing/x.py    # some files; other entries are kept
"""
import hashlib
import json
import math
import os
import re
import runpy
import sys
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
warnings.filterwarnings("ignore")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "labels-verified.json")
KINDS = ("healthy", "failing", "fixed")
TRAINS_RATIO = 0.9
NON_NEGATIVE_LOSSES = ("binary_crossentropy", "BinaryCrossentropy", "bce")


def header(path):
    """The `# nanguard-...:` fields of a corpus file."""
    fields = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"#\s*nanguard-(expect|outcome|fix):\s*(.*\S)", line)
            if match:
                fields[match.group(1)] = match.group(2)
    return fields


class Recorder(keras.callbacks.Callback):
    def __init__(self, log):
        super().__init__()
        self.log = log
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)) and self.log["firstNonFinite"] is None:
            self.log["firstNonFinite"] = {"fit": self.log["fits"], "epoch": self.epoch, "batch": batch}
            self.model.stop_training = True


def loss_name(model):
    loss = getattr(model, "loss", None)
    if isinstance(loss, str):
        return loss
    return type(loss).__name__ if loss is not None else (getattr(loss, "__name__", None) or "")


def patch_fit(log):
    original = keras.Model.fit

    def fit(self, *args, **kwargs):
        callbacks = list(kwargs.pop("callbacks", None) or [])
        kwargs["verbose"] = 0
        history = original(self, *args, callbacks=callbacks + [Recorder(log)], **kwargs)
        log["fits"] += 1
        log["loss"].extend(float(v) for v in history.history.get("loss", []))
        log["valLoss"].extend(float(v) for v in history.history.get("val_loss", []))
        log["lossName"] = loss_name(self)
        return history

    keras.Model.fit = fit
    return original


def outcome(log):
    losses, val = log["loss"], log["valLoss"]
    if log["error"]:
        return "error"
    if not losses:
        return "no-fit"
    if log["firstNonFinite"] is not None or any(not math.isfinite(v) for v in losses + val):
        return "nan"
    first, last, lowest = losses[0], losses[-1], min(losses)
    if any(name in (log["lossName"] or "") for name in NON_NEGATIVE_LOSSES) and lowest < 0:
        return "invalid"
    if last > 2 * first and last > 10 * lowest:
        return "diverging"
    if last > TRAINS_RATIO * first:
        return "stalled"
    return "trains"


def run_file(path):
    log = {"fits": 0, "loss": [], "valLoss": [], "firstNonFinite": None, "error": None, "lossName": None}
    keras.backend.clear_session()
    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(0)
    original = patch_fit(log)
    cwd = os.getcwd()
    started = time.perf_counter()
    try:
        os.chdir(os.path.dirname(path))
        runpy.run_path(path, run_name="__main__")
    except Exception as error:  # a script that crashes is an outcome too
        log["error"] = f"{type(error).__name__}: {str(error)[:300]}"
    finally:
        os.chdir(cwd)
        keras.Model.fit = original
        keras.mixed_precision.set_global_policy("float32")
    log["seconds"] = round(time.perf_counter() - started, 2)
    return log


def number(value):
    if value is None:
        return None
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float(f"{value:.6g}")


def verify(relative):
    kind = relative.split("/")[0]
    path = os.path.join(HERE, relative)
    fields = header(path)
    log = run_file(path)
    observed = outcome(log)
    expected = "trains" if kind in ("healthy", "fixed") else fields.get("outcome")
    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    entry = {
        "kind": kind,
        "sha256": digest,
        "cause": fields.get("expect"),
        "expectedOutcome": expected,
        "observedOutcome": observed,
        "confirmed": observed == expected,
        "firstLoss": number(log["loss"][0]) if log["loss"] else None,
        "lastLoss": number(log["loss"][-1]) if log["loss"] else None,
        "lowestLoss": number(min(log["loss"])) if log["loss"] else None,
        "epochs": len(log["loss"]),
        "firstNonFinite": log["firstNonFinite"],
        "error": log["error"],
        "seconds": log["seconds"],
    }
    return entry


def corpus_files():
    files = []
    for kind in KINDS:
        folder = os.path.join(HERE, kind)
        if os.path.isdir(folder):
            files += [f"{kind}/{name}" for name in sorted(os.listdir(folder)) if name.endswith(".py")]
    return files


def load(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle).get("files", {})


def write(out, files):
    result = {
        "generatedBy": "test/corpus/verify_labels.py",
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__},
        "criteria": {"trainsRatio": TRAINS_RATIO},
        "files": dict(sorted(files.items())),
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)
        handle.write("\n")


def main(argv):
    # --out PATH: write to PATH instead (to verify parts in parallel); --merge A B: fold parts in.
    out = RESULTS
    if argv[:1] == ["--out"]:
        out, argv = argv[1], argv[2:]
    merged = {}
    if argv[:1] == ["--merge"]:
        for part in argv[1:]:
            merged.update(load(part))
        argv = []
        selected = []
    else:
        selected = [a.replace("\\", "/") for a in argv] or corpus_files()
    previous = load(out) if out == RESULTS else {}
    previous.update(merged)
    existing = set(corpus_files())
    files = {k: v for k, v in previous.items() if k in existing}
    for relative in selected:
        entry = verify(relative)
        files[relative] = entry
        write(out, files)  # after every file, so that an interrupted run keeps what it verified
        mark = "ok " if entry["confirmed"] else "BAD"
        print(f"{mark} {relative}: expected {entry['expectedOutcome']}, observed {entry['observedOutcome']} "
              f"(loss {entry['firstLoss']} -> {entry['lastLoss']}, {entry['seconds']} s){' ' + entry['error'] if entry['error'] else ''}",
              flush=True)
    write(out, files)
    return 0 if all(entry["confirmed"] for entry in files.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
