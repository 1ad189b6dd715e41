"""What the training targets allow a loss to reach: the mean predictor's loss and the floors.

The Python twin of `lossBounds` in src/repro/verdict.ts, shipped with the Keras engine's
bootstrap (which reports them on `done`) and used by the fidelity suite's verdict.py, so that
the TensorFlow.js reproduction, the Keras engine and the fidelity suite measure a loss against
the same numbers. Keep the three in step.

Targets are read as rows x features (the first axis the rows, the others flattened) and worked
through in blocks of columns in float64, so that 60000 x 784 pixels need tens of megabytes, not
the gigabyte a float64 copy and its temporaries would.
"""
import numpy as np

RANGES = {
    "sigmoid": (0, 1), "hard_sigmoid": (0, 1), "hardSigmoid": (0, 1), "softmax": (0, 1), "tanh": (-1, 1),
    "softsign": (-1, 1), "relu": (0, np.inf), "softplus": (0, np.inf), "relu6": (0, 6),
    "exponential": (0, np.inf), "elu": (-1, np.inf), "selu": (-1.7581, np.inf),
}

# Keras clips predictions to [1e-7, 1 - 1e-7] inside binary cross-entropy.
BCE_EPSILON = 1e-7

# Columns per block: 60000 rows x 64 columns of float64 is 30 MB.
_BLOCK_VALUES = 4_000_000


def _rows_by_features(targets):
    values = np.asarray(targets)
    if values.ndim == 0:
        values = values.reshape(1, 1)
    return values.reshape(values.shape[0], -1)


def _column_blocks(flat):
    """float64 copies of successive blocks of columns."""
    width = max(1, _BLOCK_VALUES // max(1, flat.shape[0]))
    for start in range(0, flat.shape[1], width):
        yield flat[:, start:start + width].astype("float64")


def _bce(t, p):
    q = np.clip(p, BCE_EPSILON, 1 - BCE_EPSILON)
    return -(t * np.log(q) + (1 - t) * np.log(1 - q))


def bce_bounds(targets):
    """(mean predictor's loss, the targets' mean entropy) for binary cross-entropy, as Keras clips it;
    (None, None) when a target is outside [0, 1] or not finite."""
    flat = _rows_by_features(targets)
    if flat.size == 0:
        return None, None
    mean_total = floor_total = 0.0
    for block in _column_blocks(flat):
        if not np.all((block >= 0) & (block <= 1)):
            return None, None
        mean_total += float(_bce(block, block.mean(axis=0)).sum())
        floor_total += float(_bce(block, block).sum())
    return mean_total / flat.size, floor_total / flat.size


def finite_target_range(targets):
    """(lowest, highest) of the finite targets; None when there are none."""
    values = np.asarray(targets)
    if values.size == 0:
        return None
    if values.dtype.kind in "iub":
        return float(values.min()), float(values.max())
    finite = np.isfinite(values)
    if not finite.any():
        return None
    if finite.all():
        return float(values.min()), float(values.max())
    return float(values[finite].min()), float(values[finite].max())


def bce_targets_out_of_range(targets):
    """Binary cross-entropy's targets reach outside [0, 1] (raw pixels): the loss then has no floor."""
    span = finite_target_range(targets)
    return bool(span is not None and (span[0] < 0 or span[1] > 1))


def loss_bounds(loss, targets, output_activation):
    """(mean predictor's loss, the output range's floor) for MSE and MAE; (None, None) otherwise,
    and when a target is not finite."""
    value_range = RANGES.get(output_activation) if output_activation else None
    flat = _rows_by_features(targets)
    if loss not in ("mse", "mae") or flat.size == 0:
        return None, None
    mean_total = floor_total = 0.0
    for block in _column_blocks(flat):
        if not np.all(np.isfinite(block)):
            return None, None
        if loss == "mse":
            centre = block.mean(axis=0)
            err = np.square
        else:
            # The upper median, as verdict.ts takes it: the sorted column's element at rows // 2.
            middle = block.shape[0] // 2
            centre = np.partition(block, middle, axis=0)[middle]
            err = np.abs
        mean_total += float(err(block - centre).sum())
        if value_range is not None:
            floor_total += float(err(block - np.clip(block, value_range[0], value_range[1])).sum())
    mean_predictor = mean_total / flat.size
    if value_range is None:
        return mean_predictor, 0.0
    return mean_predictor, floor_total / flat.size


def loss_bounds_record(loss, targets, output_activation):
    """verdict.ts's LossBounds for these targets, as a JSON-ready dict.

    Where verdict.ts would compute NaN (an MSE or MAE target that is not finite) the numbers are
    None: the targets then allow no bound.
    """
    value_range = RANGES.get(output_activation) if output_activation else None
    record = {
        "meanPredictor": None, "outputFloor": None,
        "outputRange": [float(value_range[0]), float(value_range[1])] if value_range else None,
        "lossFloor": None,
    }
    if targets is None or np.asarray(targets).size == 0:
        return record
    if loss == "binary_crossentropy":
        if bce_targets_out_of_range(targets):
            low, high = finite_target_range(targets)
            record["bceTargetRange"] = [low, high]
            return record
        mean_predictor, entropy = bce_bounds(targets)
        if mean_predictor is not None:
            record.update(meanPredictor=mean_predictor, lossFloor=entropy)
        return record
    if loss in ("mse", "mae"):
        mean_predictor, floor = loss_bounds(loss, targets, output_activation)
        if mean_predictor is not None:
            record.update(meanPredictor=mean_predictor, outputFloor=floor, lossFloor=0.0)
    return record
