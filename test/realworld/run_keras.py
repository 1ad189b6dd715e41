"""Runs real-world corpus files in real Keras and records what training did.

Every file (a .py script, or the code cells of a .ipynb notebook with shell and magic lines
dropped) runs in this one Python process, from its own folder, with that folder first on the
import path as `python FILE` would put it (so modules kept beside the file import; they are
dropped from sys.modules afterwards, so the next file's modules of the same name load afresh), with:

- `keras.Model.fit` patched to record each epoch's loss (and val_loss), the first non-finite
  batch (training stops there, like TerminateOnNaN), and to cap the epochs at --max-epochs;
- the `keras.datasets` image loaders (mnist, fashion_mnist, cifar10, cifar100) answering with a
  stand-in of the real arrays' dtype, per-sample shape and 0-255 pixel range (mostly-zero
  digits for the MNIST pair), --samples rows each, because this machine has no network;
- matplotlib on the Agg backend (plt.show does nothing); where the environment lacks a plotting
  or display module (matplotlib, seaborn, IPython.display), a do-nothing stand-in for it;
- `keras.utils.plot_model` (which needs pydot and graphviz to draw a picture) doing nothing;
- a time limit per file (--timeout seconds): a run cut there keeps what it recorded.

Outcome: `nan` (a non-finite loss), `diverging` (last loss above twice the first and ten times
the lowest), `stalled` (last loss above 90% of the first), `invalid` (a cross-entropy loss, which cannot be
negative, goes negative: targets outside [0, 1]), `trains`, `no-fit` (no fit call
recorded), `error` (the script raised), `timeout`.

Usage (with the Keras environment's python, see scripts/keras-env.sh):
    python test/realworld/run_keras.py [--max-epochs N] [--samples N] [--timeout S] \
        [--out results.json] FILE...
"""
import argparse
import json
import math
import os
import runpy
import signal
import sys
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

TRAINS_RATIO = 0.9
NON_NEGATIVE_LOSSES = ("binary_crossentropy", "BinaryCrossentropy", "bce", "categorical_crossentropy", "mse", "mean_squared_error")


def loss_name(model):
    loss = getattr(model, "loss", None)
    if isinstance(loss, str):
        return loss
    return getattr(loss, "__name__", None) or (type(loss).__name__ if loss is not None else "")


class Timeout(Exception):
    pass


PLOTTING_MODULES = ("matplotlib", "matplotlib.pyplot", "matplotlib.cm", "seaborn", "IPython", "IPython.display", "pylab")


def stub_plotting():
    """Plotting and display modules the environment lacks answer every call with a do-nothing stand-in."""
    import importlib.util
    from unittest import mock

    stubbed = []
    for name in PLOTTING_MODULES:
        root = name.split(".")[0]
        if name in sys.modules:
            continue
        if root not in stubbed and importlib.util.find_spec(root) is not None:
            continue
        sys.modules[name] = mock.MagicMock(name=name)
        stubbed.append(name)
    return stubbed


STUBBED = stub_plotting()


def stand_in_loaders(samples):
    """Offline stand-ins for the keras.datasets image loaders: same dtype, shape per sample, range."""
    rng = np.random.default_rng(0)

    def digits(n):
        images = np.zeros((n, 28, 28), dtype=np.uint8)
        # a stroke-like blob of bright pixels in the middle of each image, as in MNIST
        for i in range(n):
            r, c = rng.integers(6, 16, size=2)
            h, w = rng.integers(6, 12, size=2)
            images[i, r : r + h, c : c + w] = rng.integers(0, 256, size=(h, w), dtype=np.uint8)
        return images

    def labels(n, classes):
        return rng.integers(0, classes, size=(n,), dtype=np.uint8)

    def mnist_like():
        n_test = max(samples // 6, 64)
        return (digits(samples), labels(samples, 10)), (digits(n_test), labels(n_test, 10))

    def cifar_like(classes):
        def load_data(*args, **kwargs):
            n_test = max(samples // 6, 64)
            x = rng.integers(0, 256, size=(samples, 32, 32, 3), dtype=np.uint8)
            xt = rng.integers(0, 256, size=(n_test, 32, 32, 3), dtype=np.uint8)
            return (x, labels(samples, classes).reshape(-1, 1)), (xt, labels(n_test, classes).reshape(-1, 1))

        return load_data

    return {
        "mnist": lambda *a, **k: mnist_like(),
        "fashion_mnist": lambda *a, **k: mnist_like(),
        "cifar10": cifar_like(10),
        "cifar100": cifar_like(100),
    }


def patch_plot_model():
    """`keras.utils.plot_model` needs pydot and graphviz, which only draw a picture: a no-op here."""
    for name, module in list(sys.modules.items()):
        if module is not None and name.endswith("utils") and hasattr(module, "plot_model"):
            module.plot_model = lambda *args, **kwargs: None


def patch_datasets(samples):
    loaders = stand_in_loaders(samples)
    try:
        import tensorflow.keras.datasets  # noqa: F401  (registers the tf.keras module names)
    except Exception:
        pass
    for name, module in list(sys.modules.items()):
        if module is None or ".datasets." not in name:
            continue
        short = name.rsplit(".", 1)[-1]
        if short in loaders and hasattr(module, "load_data"):
            module.load_data = loaders[short]


class Recorder(keras.callbacks.Callback):
    def __init__(self, log):
        super().__init__()
        self.log = log
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if "loss" in logs:
            self.log["loss"].append(float(logs["loss"]))
        if "val_loss" in logs:
            self.log["valLoss"].append(float(logs["val_loss"]))

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        value = float(loss)
        if not math.isfinite(value) and self.log["firstNonFinite"] is None:
            self.log["firstNonFinite"] = {"fit": self.log["fits"], "epoch": self.epoch, "batch": batch}
            self.log["loss"].append(value)
            self.model.stop_training = True


def patch_fit(log, max_epochs):
    original = keras.Model.fit

    def fit(self, *args, **kwargs):
        callbacks = list(kwargs.pop("callbacks", None) or [])
        kwargs["verbose"] = 0
        if max_epochs:
            epochs = kwargs.get("epochs", args[3] if len(args) > 3 else 1)
            if len(args) > 3:
                args = args[:3] + (min(epochs, max_epochs),) + args[4:]
            else:
                kwargs["epochs"] = min(epochs or 1, max_epochs)
        log["lossName"] = loss_name(self)
        try:
            return original(self, *args, callbacks=callbacks + [Recorder(log)], **kwargs)
        finally:
            log["fits"] += 1

    keras.Model.fit = fit
    return original


def outcome(log):
    losses, val = log["loss"], log["valLoss"]
    if log["firstNonFinite"] is not None or any(not math.isfinite(v) for v in losses + val):
        return "nan"
    if log["error"] == "timeout" and not losses:
        return "timeout"
    if log["error"] and not losses:
        return "error"
    if not losses:
        return "no-fit"
    first, last, lowest = losses[0], losses[-1], min(losses)
    if lowest < 0 and any(name in (log.get("lossName") or "") for name in NON_NEGATIVE_LOSSES):
        return "invalid"
    if len(losses) > 1 and last > 2 * first and last > 10 * lowest:
        return "diverging"
    if len(losses) > 1 and last > TRAINS_RATIO * first:
        return "stalled"
    return "trains"


def notebook_source(path):
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    lines = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        for line in text.splitlines():
            stripped = line.lstrip()
            # shell and magic lines are not Python; keep the indentation valid with `pass`
            lines.append(line[: len(line) - len(stripped)] + "pass" if stripped.startswith(("!", "%")) else line)
        lines.append("")
    return "\n".join(lines)


def number(value):
    if value is None:
        return None
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float(f"{value:.6g}")


def forget_modules_from(folder):
    """Drop from sys.modules every module (or package) loaded from `folder`, so that another
    file's module of the same name (two programs with a `model.py` each) is not served from the cache."""
    prefix = os.path.join(os.path.realpath(folder), "")
    for name, module in list(sys.modules.items()):
        places = [getattr(module, "__file__", None)] + list(getattr(module, "__path__", None) or [])
        if any(isinstance(place, str) and os.path.realpath(place).startswith(prefix) for place in places):
            del sys.modules[name]


def run_file(path, max_epochs, samples, timeout):
    log = {"fits": 0, "loss": [], "valLoss": [], "firstNonFinite": None, "error": None, "lossName": None}
    keras.backend.clear_session()
    # a script that set float16 or another epsilon must not leak it into the next one
    keras.backend.set_floatx("float32")
    keras.backend.set_epsilon(1e-7)
    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(0)
    patch_datasets(samples)
    patch_plot_model()
    original = patch_fit(log, max_epochs)
    cwd, argv = os.getcwd(), sys.argv
    started = time.perf_counter()

    def on_alarm(signum, frame):
        raise Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(timeout)
    folder = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, folder)
    try:
        os.chdir(folder)
        sys.argv = [path]
        if path.endswith(".ipynb"):
            code = compile(notebook_source(os.path.basename(path)), path, "exec")
            exec(code, {"__name__": "__main__", "__file__": path})
        else:
            runpy.run_path(os.path.basename(path), run_name="__main__")
    except Timeout:
        log["error"] = "timeout"
    except BaseException as error:  # a script that crashes (or calls sys.exit) is an outcome too
        log["error"] = f"{type(error).__name__}: {str(error)[:300]}"
    finally:
        signal.alarm(0)
        os.chdir(cwd)
        sys.argv = argv
        if folder in sys.path:
            sys.path.remove(folder)
        forget_modules_from(folder)
        keras.Model.fit = original
        keras.backend.set_floatx("float32")
        keras.backend.set_epsilon(1e-7)
        keras.mixed_precision.set_global_policy("float32")
        try:
            import matplotlib.pyplot as plt

            plt.close("all")
        except Exception:
            pass
    seconds = round(time.perf_counter() - started, 1)
    losses = log["loss"]
    finite = [v for v in losses if math.isfinite(v)]
    return {
        "outcome": outcome(log),
        "epochs": len(losses),
        "firstLoss": number(losses[0]) if losses else None,
        "lastLoss": number(losses[-1]) if losses else None,
        "lowestLoss": number(min(finite)) if finite else None,
        "lastValLoss": number(log["valLoss"][-1]) if log["valLoss"] else None,
        "firstNonFinite": log["firstNonFinite"],
        "fits": log["fits"],
        "lossName": log["lossName"],
        "error": log["error"],
        "seconds": seconds,
        "maxEpochs": max_epochs,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--max-epochs", type=int, default=0)
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--out")
    options = parser.parse_args()
    results = {}
    if options.out and os.path.exists(options.out):
        with open(options.out, encoding="utf-8") as handle:
            results = json.load(handle)
    for path in options.files:
        entry = run_file(path, options.max_epochs, options.samples, options.timeout)
        entry["versions"] = {"keras": keras.__version__, "tensorflow": tf.__version__}
        entry["stubbedModules"] = STUBBED
        results[path] = entry
        print(json.dumps({path: entry}), flush=True)
        if options.out:
            with open(options.out, "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=1, sort_keys=True)
                handle.write("\n")


if __name__ == "__main__":
    main()
