"""Shared helpers for the rule evidence scripts: seeded CPU training that records what happens.

Every script builds its rule's documentation example (and the fixed version of it), trains it
with real Keras, and reports the outcome as JSON. Epochs are counted from 1, as Keras prints them.
"""
import json
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import keras  # noqa: E402


class _NanWatch(keras.callbacks.Callback):
    """Records the first epoch and batch whose loss is not finite, without stopping training."""

    def __init__(self):
        super().__init__()
        self.epoch = 0
        self.first_nan_epoch = None
        self.first_nan_batch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if self.first_nan_epoch is None and loss is not None and not math.isfinite(float(loss)):
            self.first_nan_epoch = self.epoch + 1
            self.first_nan_batch = batch


def _num(value):
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float(f"{value:.6g}")


def train(model, x, y, *, epochs, batch_size=32, validation_data=None, seed=0, **fit_kwargs):
    """Trains a compiled model and returns its outcome: final losses, first NaN epoch, loss curve."""
    watch = _NanWatch()
    history = model.fit(
        x, y, epochs=epochs, batch_size=batch_size, validation_data=validation_data,
        callbacks=[watch] + list(fit_kwargs.pop("callbacks", [])), verbose=0, shuffle=True, **fit_kwargs,
    )
    losses = history.history.get("loss", [])
    out = {
        "epochs_run": len(losses),
        "first_loss": _num(losses[0]) if losses else None,
        "final_loss": _num(losses[-1]) if losses else None,
        "min_loss": _num(min((l for l in losses if math.isfinite(l)), default=float("nan"))),
        "first_nan_epoch": watch.first_nan_epoch,
        "first_nan_batch": watch.first_nan_batch,
    }
    if "val_loss" in history.history:
        out["final_val_loss"] = _num(history.history["val_loss"][-1])
    return out


def seeded(seed=0):
    keras.utils.set_random_seed(seed)


def report(rule, cases, **extra):
    result = {"rule": rule, "keras": keras.__version__, "cases": cases}
    result.update(extra)
    return result


def main(run):
    print(json.dumps(run(), indent=2))


__all__ = ["np", "keras", "train", "seeded", "report", "main", "_num"]


def dense_autoencoder(input_dim, units, activations, optimizer, loss="mse"):
    """A functional Dense autoencoder: one Dense layer per entry of `units` with its activation."""
    from keras import layers

    inputs = keras.Input(shape=(input_dim,))
    x = inputs
    for width, activation in zip(units, activations):
        x = layers.Dense(width, activation=activation)(x)
    model = keras.Model(inputs, x)
    model.compile(optimizer=optimizer, loss=loss)
    return model


def over_seeds(build_and_train, seeds=range(5)):
    """Runs one experiment under several seeds; counts the runs that went NaN."""
    runs = []
    for seed in seeds:
        seeded(seed)
        runs.append(build_and_train(seed))
    nan_epochs = [r["first_nan_epoch"] for r in runs]
    return {
        "seeds": len(runs),
        "nan_runs": sum(1 for e in nan_epochs if e is not None),
        "first_nan_epochs": nan_epochs,
        "final_losses": [r["final_loss"] for r in runs],
        "runs": runs,
    }
