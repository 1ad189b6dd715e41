# nanguard-expect: fp16-overflow
# nanguard-outcome: nan
# nanguard-fix: scale the inputs so that activations stay far below float16's largest value, 65504 (X = X / X.max()), keeping the float32 output layer
# Modelled on: "Mix precision leads to nan loss" and "Infinity loss ... with float16" reports. Under a
# mixed_float16 policy every hidden layer computes in float16, whose largest finite value is
# 65504: raw counts near 1e5 make the first Dense layer's pre-activations overflow to inf.
# (Keras 3.15 computes the loss itself in float32 even when the output layer is float16, so the
# overflow that matters here is in the activations.)
import numpy as np
import keras
from keras import layers

keras.mixed_precision.set_global_policy("mixed_float16")

rng = np.random.default_rng(15)
X = (rng.uniform(size=(512, 4)) @ rng.uniform(50000, 100000, size=(4, 16)) / 2.0).astype("float32")  # packet counts per minute

inputs = keras.Input(shape=(16,))
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dense(4, activation="relu")(x)
x = layers.Dense(32, activation="relu")(x)
outputs = layers.Dense(16, dtype="float32")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=5, batch_size=32)
