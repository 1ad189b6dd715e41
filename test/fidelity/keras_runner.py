"""Trains FidelityCase plans in real Keras and prints what happened, as JSON.

A FidelityCase is the reproduction plan in a form both frameworks can train: the topology as
Keras JSON (what `model.to_json()` writes), the optimizer, the loss, the fit settings, the data
a seed and, optionally, EarlyStopping's arguments and the initial weights to start from
(`initialWeights`: per layer name, a list of {"shape", "values"} in the layer's `get_weights()` order, so that both
frameworks can be compared step for step from the same point). This script is the Keras side
of the fidelity suite: it never runs user code.

Usage:
    python keras_runner.py CASE.json [CASE.json ...]   # one result per file
    python keras_runner.py - < cases.json                 # stdin: one case or a list of cases

A list of cases in gives a list of results out, all trained in one process, because importing
TensorFlow costs most of the run (about 5-10 s here) and a case itself takes well under a second.

Result (one per case):
    {"name", "history": {"loss": [...], "val_loss": [...]}, "firstNonFiniteEpoch", "firstNonFiniteBatch",
     "verdict", "finalLoss", "finalValLoss", "epochsRun", "baselineLoss", "outputFloor",
     "seconds": {"import", "build", "fit", "total", "epochs": [...]}, "error"?}
Epochs and batches are 0-based. Non-finite numbers are written as "NaN", "Infinity", "-Infinity".
"""
import time

_PROCESS_START = time.perf_counter()

import copy  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from verdict import bce_bounds, bce_targets_out_of_range, classify, loss_bounds  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _PROCESS_START


def json_number(value):
    """A float as JSON allows it: non-finite values become the strings the design names."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


class FirstNonFinite(keras.callbacks.Callback):
    """Like TerminateOnNaN, but remembers where: the first epoch and batch whose loss is not finite.

    Keras reports at each batch end the running mean of the epoch so far, so the first non-finite
    running mean is the first non-finite batch loss.
    """

    def __init__(self):
        super().__init__()
        self.epoch = 0
        self.first_epoch = None
        self.first_batch = None
        self.epoch_seconds = []
        self._epoch_started = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self._epoch_started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_seconds.append(time.perf_counter() - self._epoch_started)

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or self.first_epoch is not None:
            return
        if not math.isfinite(float(loss)):
            self.first_epoch = self.epoch
            self.first_batch = batch
            self.model.stop_training = True


# --- Keras JSON compatibility -------------------------------------------------------------
# Keras 3 reads its own `to_json()` output directly. Topologies written by Keras 2 (or by
# tfjs-layers, which follows Keras 2) differ in a few keys; these are translated before loading.

_LEGACY_CLASS_NAMES = {"Model": "Functional"}


def _legacy_layer_config(layer):
    layer = copy.deepcopy(layer)
    cfg = layer.get("config", {})
    if layer.get("class_name") == "InputLayer":
        if "batch_input_shape" in cfg and "batch_shape" not in cfg:
            cfg["batch_shape"] = cfg.pop("batch_input_shape")
        for flag in ("sparse", "ragged"):
            if cfg.get(flag) is False:
                cfg.pop(flag)
    # tfjs writes camelCase-free Keras names but may carry a null dtype; Keras 3 wants a string.
    if cfg.get("dtype") is None:
        cfg.pop("dtype", None)
    return layer


def _sequential_with_input(config):
    """Keras 2 Sequential configs put batch_input_shape on the first layer; Keras 3 wants an InputLayer."""
    layers = config.get("layers", [])
    if not layers or layers[0].get("class_name") == "InputLayer":
        return config
    first_cfg = layers[0].get("config", {})
    shape = first_cfg.pop("batch_input_shape", None)
    if shape is None and "input_shape" in first_cfg:
        shape = [None] + list(first_cfg.pop("input_shape"))
    if shape is None:
        return config
    input_layer = {"class_name": "InputLayer", "config": {"batch_shape": shape, "name": "input_layer"}}
    return {**config, "layers": [input_layer] + layers}


def normalise_keras_json(model_json):
    """Returns a copy of a Keras 2 or Keras 3 model JSON that Keras 3's `model_from_json` accepts."""
    model_json = copy.deepcopy(model_json)
    model_json["class_name"] = _LEGACY_CLASS_NAMES.get(model_json.get("class_name"), model_json.get("class_name"))
    # Keras 3 finds its own model classes through "module"; Keras 2 and tfjs do not write it.
    if "module" not in model_json:
        model_json["module"] = "keras.src.models.functional" if model_json["class_name"] == "Functional" else "keras"
    for key in ("keras_version", "backend"):
        model_json.pop(key, None)
    config = model_json.get("config", {})
    if isinstance(config, dict) and isinstance(config.get("layers"), list):
        config["layers"] = [_legacy_layer_config(layer) for layer in config["layers"]]
        if model_json["class_name"] == "Sequential":
            config = _sequential_with_input(config)
        model_json["config"] = config
    return model_json


# --- nanguard's translated expressions -----------------------------------------------------
# A Lambda layer's function or a custom loss, as the reproduction translated it (core/tensorExpr.ts),
# evaluated with keras.ops, so that Keras trains what the reproduction trains.

_UNARY = {
    "neg": "negative", "exp": "exp", "log": "log", "log1p": "log1p", "expm1": "expm1", "sqrt": "sqrt",
    "rsqrt": "rsqrt", "square": "square", "abs": "absolute", "sign": "sign", "reciprocal": "reciprocal",
    "sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu", "relu6": "relu6", "elu": "elu", "selu": "selu",
    "softplus": "softplus", "softsign": "soft_sign", "sin": "sin", "cos": "cos", "floor": "floor",
    "ceil": "ceil", "round": "round",
}
_BINARY = {
    "add": "add", "sub": "subtract", "mul": "multiply", "div": "divide", "pow": "power",
    "maximum": "maximum", "minimum": "minimum",
}
_REDUCE = {"mean": "mean", "sum": "sum", "max": "max", "min": "min", "prod": "prod"}


def evaluate_expression(expr, args):
    from keras import ops
    op = expr["op"]
    if op == "arg":
        return args[expr["index"]]
    if op == "const":
        return expr["value"]
    if op == "clip":
        return ops.clip(evaluate_expression(expr["x"], args), expr["min"], expr["max"])
    if op in _UNARY:
        return getattr(ops, _UNARY[op])(evaluate_expression(expr["x"], args))
    if op == "squared_difference":
        return ops.square(ops.subtract(evaluate_expression(expr["a"], args), evaluate_expression(expr["b"], args)))
    if op == "bce":
        return ops.binary_crossentropy(evaluate_expression(expr["a"], args), evaluate_expression(expr["b"], args))
    if op in _BINARY:
        return getattr(ops, _BINARY[op])(evaluate_expression(expr["a"], args), evaluate_expression(expr["b"], args))
    if op in _REDUCE:
        axis = expr.get("axis")
        return getattr(ops, _REDUCE[op])(evaluate_expression(expr["x"], args), axis=None if axis is None else tuple(axis), keepdims=bool(expr.get("keepdims")))
    raise ValueError(f"unknown operation in a translated expression: {op}")


@keras.saving.register_keras_serializable(package="nanguard")
class NanguardLambda(keras.layers.Layer):
    """A Lambda layer whose function nanguard translated: the same operations, in keras.ops."""

    def __init__(self, expression, **kwargs):
        super().__init__(**kwargs)
        self.expression = expression

    def call(self, inputs):
        return evaluate_expression(self.expression, [inputs])

    def get_config(self):
        return {**super().get_config(), "expression": self.expression}


def _with_translated_lambdas(model_json):
    """Lambda layers carrying nanguard's expression become NanguardLambda layers (Keras cannot load the text of a function)."""
    model_json = copy.deepcopy(model_json)
    for layer in model_json.get("config", {}).get("layers", []):
        cfg = layer.get("config", {})
        if layer.get("class_name") == "Lambda" and "nanguard_expression" in cfg:
            layer["class_name"] = "NanguardLambda"
            layer["module"] = None
            layer["registered_name"] = "nanguard>NanguardLambda"
            layer["config"] = {"name": cfg.get("name"), "trainable": cfg.get("trainable", True), "dtype": cfg.get("dtype", "float32"), "expression": cfg["nanguard_expression"]}
    return model_json


def custom_loss(expression):
    def loss(y_true, y_pred):
        return evaluate_expression(expression, [y_true, y_pred])

    return loss


def build_model(model_json):
    model_json = _with_translated_lambdas(model_json)
    try:
        return keras.models.model_from_json(json.dumps(model_json))
    except Exception as first_error:  # a Keras 2 topology: translate and try once more
        try:
            return keras.models.model_from_json(json.dumps(normalise_keras_json(model_json)))
        except Exception:
            raise first_error


_FLOAT_OPTIMIZER_KEYS = (
    "learning_rate", "momentum", "rho", "epsilon", "beta_1", "beta_2", "clipnorm", "clipvalue",
    "global_clipnorm", "weight_decay", "initial_accumulator_value", "ema_momentum",
)


def build_optimizer(spec):
    if isinstance(spec, str):
        return keras.optimizers.get(spec)
    spec = copy.deepcopy(spec)
    config = spec.setdefault("config", {})
    # Keras 2 spelled it `lr`; Keras 3 only knows `learning_rate`.
    if "lr" in config and "learning_rate" not in config:
        config["learning_rate"] = config.pop("lr")
    # JSON writes 0.0 as 0, and Keras insists on floats for some of these (SGD's momentum).
    for key in _FLOAT_OPTIMIZER_KEYS:
        if isinstance(config.get(key), int) and not isinstance(config.get(key), bool):
            config[key] = float(config[key])
    return keras.optimizers.get(spec)


def output_activation(model):
    """The activation name of the model's (first) output layer, as the verdict's range floor needs it."""
    layer = model.layers[-1]
    if model.outputs:
        history = getattr(model.outputs[0], "_keras_history", None)
        if history is not None:
            layer = history[0]
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", None)


def set_initial_weights(model, weights):
    """Starts from given weights (the reproduction's own initial weights): per layer name, each
    layer's arrays in its `get_weights()` order (BatchNormalization: gamma, beta, moving mean, moving variance)."""
    for name, given in weights.items():
        layer = model.get_layer(name)
        current = layer.get_weights()
        if len(current) != len(given):
            raise ValueError(f"initialWeights has {len(given)} arrays for {name}, the layer {len(current)}")
        arrays = []
        for mine, entry in zip(current, given):
            array = np.asarray(entry["values"], dtype="float32").reshape(entry["shape"])
            if array.shape != mine.shape:
                raise ValueError(f"initialWeights shape {list(array.shape)} for {name} where the layer has {list(mine.shape)}")
            arrays.append(array)
        layer.set_weights(arrays)


def as_array(values):
    if values is None:
        return None
    return np.asarray(values, dtype="float32")


def shaped(array, shape):
    """The case's samples (one flat row each) in the shape the model takes: (28, 28) images, (32, 1) sequences."""
    if array is None or shape is None or not isinstance(shape, tuple) or any(d is None for d in shape[1:]):
        return array
    target = (array.shape[0],) + tuple(shape[1:])
    return array.reshape(target) if int(np.prod(target)) == array.size else array


# --- one case ---------------------------------------------------------------------------------

def run_case(case):
    started = time.perf_counter()
    seed = int(case.get("seed", 0))
    keras.backend.clear_session()  # each case starts from fresh layer names and traced functions
    keras.utils.set_random_seed(seed)
    model = build_model(case["kerasJson"])
    if case.get("initialWeights"):
        set_initial_weights(model, case["initialWeights"])
    loss = custom_loss(case["lossExpression"]) if case.get("loss") == "custom" else keras.losses.get(case.get("loss", "mse"))
    model.compile(optimizer=build_optimizer(case.get("optimizer", "adam")), loss=loss)
    built = time.perf_counter()

    input_shape = getattr(model, "input_shape", None)
    output_shape = getattr(model, "output_shape", None)
    x, y = shaped(as_array(case["x"]), input_shape), shaped(as_array(case["y"]), output_shape)
    val_x, val_y = shaped(as_array(case.get("valX")), input_shape), shaped(as_array(case.get("valY")), output_shape)
    fit_kwargs = {}
    if val_x is not None and val_y is not None:
        fit_kwargs["validation_data"] = (val_x, val_y)
    elif case.get("validationSplit"):
        fit_kwargs["validation_split"] = float(case["validationSplit"])

    watch = FirstNonFinite()
    callbacks = [watch]
    if case.get("earlyStopping"):
        callbacks.append(keras.callbacks.EarlyStopping(**case["earlyStopping"]))
    history = model.fit(
        x, y,
        epochs=int(case.get("epochs", 1)),
        batch_size=int(case.get("batchSize", 32)),
        shuffle=bool(case.get("shuffle", True)),
        callbacks=callbacks,
        verbose=0,
        **fit_kwargs,
    )
    fitted = time.perf_counter()

    losses = [float(v) for v in history.history.get("loss", [])]
    val_losses = [float(v) for v in history.history.get("val_loss", [])]
    loss_name = {"mean_squared_error": "mse", "mean_absolute_error": "mae"}.get(case.get("loss"), case.get("loss", "mse"))
    y = y.reshape(y.shape[0], -1)  # the bounds are per feature of flat samples, as the reproduction computes them
    baseline, floor = loss_bounds(loss_name, y, output_activation(model))
    entropy_floor, out_of_range = None, False
    if loss_name == "binary_crossentropy":
        baseline, entropy_floor = bce_bounds(y)
        out_of_range = bce_targets_out_of_range(y)
    return {
        "name": case.get("name"),
        "history": {"loss": [json_number(v) for v in losses], "val_loss": [json_number(v) for v in val_losses]},
        "firstNonFiniteEpoch": watch.first_epoch,
        "firstNonFiniteBatch": watch.first_batch,
        "verdict": classify(losses, val_losses, mean_predictor=baseline, output_floor=floor,
                            non_finite=watch.first_epoch is not None, loss_floor=entropy_floor,
                            bce_targets_out_of_range=out_of_range),
        "finalLoss": json_number(losses[-1]) if losses else None,
        "finalValLoss": json_number(val_losses[-1]) if val_losses else None,
        "epochsRun": len(losses),
        "baselineLoss": json_number(baseline) if baseline is not None else None,
        "outputFloor": json_number(floor) if floor is not None else None,
        "seconds": {
            "import": IMPORT_SECONDS,
            "build": built - started,
            "fit": fitted - built,
            "total": IMPORT_SECONDS + (fitted - started),
            "epochs": watch.epoch_seconds,
        },
        "versions": {"keras": keras.__version__, "tensorflow": tf.__version__},
    }


def run_case_safely(case):
    try:
        return run_case(case)
    except Exception as error:  # one broken case must not hide the results of the others
        return {"name": case.get("name") if isinstance(case, dict) else None, "error": f"{type(error).__name__}: {error}"}


def read_input(argv):
    if not argv or argv == ["-"]:
        return json.load(sys.stdin)
    cases = []
    for path in argv:
        with open(path, encoding="utf-8") as handle:
            cases.append(json.load(handle))
    return cases[0] if len(cases) == 1 else cases


def main(argv):
    payload = read_input(argv)
    if isinstance(payload, dict) and isinstance(payload.get("cases"), list):
        payload = payload["cases"]
    if isinstance(payload, list):
        output = [run_case_safely(case) for case in payload]
    else:
        output = run_case_safely(payload)
    sys.stdout.write(json.dumps(output, allow_nan=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
