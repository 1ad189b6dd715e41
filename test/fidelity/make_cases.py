"""Writes the hand-written FidelityCase fixtures in cases/ (run with the Keras environment's python).

The seed's three examples are written as Keras 3's `model.to_json()` gives them; the SGD case is
written in the Keras 2 layout that tfjs-layers' `toJSON` also uses, so the runner is exercised on
both. Data is materialised here with a fixed numpy seed: both frameworks train on the same numbers.
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ADAM = {"class_name": "Adam", "config": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}}


def write(case):
    path = os.path.join(HERE, "cases", case["name"] + ".json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(case, handle, indent=1)
        handle.write("\n")
    print(path)


def functional(input_dim, hidden):
    """Input -> Dense stack, as the seed's examples write it (Keras 3 JSON)."""
    inputs = keras.Input(shape=(input_dim,))
    x = inputs
    for layer in hidden:
        x = layer(x)
    return json.loads(keras.Model(inputs=inputs, outputs=x).to_json())


def rows(array):
    return np.asarray(array, dtype="float64").tolist()


def seed1_unscaled():
    x_train = np.array([[1, 1000], [2, 2000], [3, 3000]], dtype="float32")
    x_val = np.array([[4, 4000], [5, 5000]], dtype="float32")
    model = functional(2, [layers.Dense(1, activation="sigmoid"), layers.Dense(2, activation="sigmoid")])
    return {"name": "seed1_unscaled", "kerasJson": model, "optimizer": ADAM, "loss": "mse", "epochs": 100,
            "batchSize": 32, "shuffle": True, "validationSplit": None, "x": rows(x_train), "y": rows(x_train),
            "valX": rows(x_val), "valY": rows(x_val), "seed": 0}


def seed2_batchnorm():
    rng = np.random.default_rng(2)
    x_train, x_val = rng.random((100, 10)), rng.random((20, 10))
    model = functional(10, [layers.Dense(10, activation="relu"), layers.BatchNormalization(),
                            layers.Dense(5, activation="relu"), layers.Dense(10, activation="relu"),
                            layers.BatchNormalization(), layers.Dense(10, activation="linear")])
    return {"name": "seed2_batchnorm", "kerasJson": model, "optimizer": ADAM, "loss": "mse", "epochs": 100,
            "batchSize": 32, "shuffle": True, "validationSplit": None, "x": rows(x_train), "y": rows(x_train),
            "valX": rows(x_val), "valY": rows(x_val), "seed": 0}


def seed3_early_stopping():
    rng = np.random.default_rng(3)
    x_train, x_val = rng.random((100, 10)), rng.random((20, 10))
    model = functional(10, [layers.Dense(5, activation="relu"), layers.Dense(10, activation="linear")])
    # EarlyStopping(patience=10) is not part of a FidelityCase: 100 epochs stand in for it.
    return {"name": "seed3_early_stopping", "kerasJson": model, "optimizer": ADAM, "loss": "mse", "epochs": 100,
            "batchSize": 32, "shuffle": True, "validationSplit": None, "x": rows(x_train), "y": rows(x_train),
            "valX": rows(x_val), "valY": rows(x_val), "seed": 0}


def keras2_dense(name, units, activation, batch_input_shape=None):
    config = {"name": name, "units": units, "activation": activation, "use_bias": True, "trainable": True,
              "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
              "bias_initializer": {"class_name": "Zeros", "config": {}},
              "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
              "kernel_constraint": None, "bias_constraint": None}
    if batch_input_shape is not None:
        config["batch_input_shape"] = batch_input_shape
        config["dtype"] = "float32"
    return {"class_name": "Dense", "config": config}


def sgd_unscaled(name, hidden_activation):
    """8 features uniform in [0, 1000], Dense 16-4-16-8, SGD 0.01, MSE.

    With linear hidden layers the first steps overflow on every seed. With relu hidden layers the
    outcome is a coin flip on the initial weights in Keras itself (6 of 12 seeds go NaN in the
    first epoch; the others kill every relu on the first step and stall), so a single-seed
    comparison between frameworks says nothing: that case is compared over several seeds.
    """
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1000, size=(256, 8))
    model = {"class_name": "Sequential", "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js",
             "config": {"name": "sequential", "layers": [
                 keras2_dense("dense", 16, hidden_activation, [None, 8]), keras2_dense("dense_1", 4, hidden_activation),
                 keras2_dense("dense_2", 16, hidden_activation), keras2_dense("dense_3", 8, "linear")]}}
    return {"name": name, "kerasJson": model,
            "optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.01}}, "loss": "mse", "epochs": 5,
            "batchSize": 32, "shuffle": True, "validationSplit": 0.2, "x": rows(x), "y": rows(x),
            "valX": None, "valY": None, "seed": 0}


if __name__ == "__main__":
    for make in (seed1_unscaled, seed2_batchnorm, seed3_early_stopping):
        write(make())
    write(sgd_unscaled("nan_sgd_linear", "linear"))
    write(sgd_unscaled("sgd_relu_unscaled", "relu"))
