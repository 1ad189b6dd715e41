"""Runs generated data-preparation programs in real numpy, pandas and scikit-learn, and reports
the facts of the arrays they build: one JSON request per line on stdin, one JSON answer per line
on stdout, so one process serves thousands of programs.

Request:  {"id": ..., "chunks": [{"code": str, "variable": str | null}, ...]}
Answer:   {"id": ..., "steps": [facts | null per chunk], "fit": {"x": facts, "y": facts,
           "validation": facts | null} | null, "error": str | null}

Keras is not imported: `tensorflow` and `keras` are stand-in modules whose objects accept any
call, and whose `fit` records the arrays it is given. Facts are taken right after each chunk
(a later chunk may write into the array), per feature: the array reshaped to (rows, -1).
"""
import importlib.abc
import importlib.machinery
import json
import math
import sys
import traceback
import types
import warnings

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn.model_selection  # noqa: E402,F401
import sklearn.preprocessing  # noqa: E402,F401

np.seterr(all="ignore")

FITS = []


class Stub:
    """Any Keras object: every attribute and call gives another stub; `fit` records its data."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return Stub()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Stub()

    def fit(self, x=None, y=None, **kwargs):
        FITS.append((x, y, kwargs.get("validation_data")))
        return Stub()


class StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Stub()


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("tensorflow", "keras", "tf_keras"):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return StubModule(spec.name)

    def exec_module(self, module):
        module.__path__ = []


sys.meta_path.insert(0, StubFinder())


def number(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def facts(value):
    if isinstance(value, (pd.DataFrame, pd.Series)):
        kind = type(value).__name__
        a = value.to_numpy()
    elif isinstance(value, np.ndarray):
        kind = "ndarray"
        a = value
    else:
        return {"kind": type(value).__name__}
    out = {"kind": kind, "shape": list(a.shape), "dtype": str(a.dtype)}
    if a.ndim == 0:
        return out
    rows = a.shape[0]
    width = int(np.prod(a.shape[1:])) if a.ndim > 1 else 1
    try:
        f = np.asarray(a, dtype=np.float64).reshape(rows, width)
    except (TypeError, ValueError):
        return out
    finite = np.isfinite(f)
    count = finite.sum(axis=0)
    safe = np.where(finite, f, 0.0)
    with np.errstate(all="ignore"):
        mean = safe.sum(axis=0) / np.maximum(count, 1)
        centred = np.where(finite, f - mean, 0.0)
        std = np.sqrt((centred * centred).sum(axis=0) / np.maximum(count, 1))
        lo = np.where(finite, f, np.inf).min(axis=0) if rows else np.full(width, np.inf)
        hi = np.where(finite, f, -np.inf).max(axis=0) if rows else np.full(width, -np.inf)
    features = []
    for j in range(width):
        n = int(count[j])
        features.append(
            {
                "count": n,
                "min": number(lo[j]) if n else "NaN",
                "max": number(hi[j]) if n else "NaN",
                "mean": number(mean[j]) if n else "NaN",
                "std": number(std[j]) if n else "NaN",
                "nanCount": int(np.isnan(f[:, j]).sum()),
                "infCount": int(np.isinf(f[:, j]).sum()),
                "constant": bool(n > 0 and lo[j] == hi[j]),
            }
        )
    out["rows"] = rows
    out["features"] = features
    return out


def run(request):
    FITS.clear()
    namespace = {"__name__": "__oracle__"}
    steps = []
    answer = {"id": request.get("id"), "steps": steps, "fit": None, "error": None}
    try:
        for chunk in request["chunks"]:
            exec(compile(chunk["code"], "<program>", "exec"), namespace)
            variable = chunk.get("variable")
            steps.append(facts(namespace[variable]) if variable and variable in namespace else None)
        if FITS:
            x, y, validation = FITS[-1]
            val = validation[0] if isinstance(validation, (tuple, list)) and validation else None
            answer["fit"] = {"x": facts(x), "y": facts(y), "validation": facts(val) if val is not None else None}
    except Exception as error:  # noqa: BLE001 - any failure of the program is reported, not raised
        answer["error"] = f"{type(error).__name__}: {error}"
        answer["trace"] = traceback.format_exc(limit=3)[-600:]
    return answer


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError as error:
            print(json.dumps({"id": None, "error": f"bad request: {error}"}), flush=True)
            continue
        print(json.dumps(run(request)), flush=True)


if __name__ == "__main__":
    main()
