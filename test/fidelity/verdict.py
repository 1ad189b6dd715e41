"""The verdict of a training run from its loss history: nan, diverging, stalled or healthy.

The same criteria as the TensorFlow.js reproduction, so that both frameworks are judged alike:

- nan: a training or validation loss is NaN or infinite.
- diverging: the last loss is more than 10x the lowest loss seen, above the first loss, and not
  lower than any of the two epochs before it (it is still growing at the end).
- stalled: no real progress. Either the last loss is more than half the first loss and, where
  the loss is MSE, more than half the loss of predicting each target feature's mean (the
  floor any model reaches without learning anything from its input); or the last MSE is still
  more than 10x that floor, however far it fell (a run that blew up and is crawling back).
- healthy: anything else.
"""
import math

import numpy as np

DIVERGENCE_FACTOR = 10.0
STALL_RATIO = 0.5
FLOOR_FACTOR = 10.0


def mean_predictor_mse(targets):
    """MSE of predicting each target feature's mean: what a model that learned nothing achieves."""
    y = np.asarray(targets, dtype="float64")
    if y.size == 0 or not np.all(np.isfinite(y)):
        return None
    flat = y.reshape(y.shape[0], -1)
    return float(np.mean((flat - flat.mean(axis=0)) ** 2))


def classify(losses, val_losses=(), baseline_loss=None):
    values = [float(v) for v in losses]
    if not values:
        return "stalled"
    if any(not math.isfinite(v) for v in values) or any(not math.isfinite(float(v)) for v in val_losses):
        return "nan"
    first, last, lowest = values[0], values[-1], min(values)
    if len(values) >= 2 and last > DIVERGENCE_FACTOR * lowest and last > first and last >= max(values[-3:]):
        return "diverging"
    no_progress = last > STALL_RATIO * first
    above_floor = baseline_loss is None or last > STALL_RATIO * baseline_loss
    if no_progress and above_floor:
        return "stalled"
    if baseline_loss is not None and last > FLOOR_FACTOR * baseline_loss:
        return "stalled"
    return "healthy"
