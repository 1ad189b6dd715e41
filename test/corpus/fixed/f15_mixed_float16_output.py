# nanguard-fixed-from: failing/f15_mixed_float16_output.py
# nanguard-fix: keep the output layer in float32 (Dense(..., dtype="float32")) so that the loss is computed in float32
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
import keras
from keras import layers

keras.mixed_precision.set_global_policy("mixed_float16")

rng = np.random.default_rng(15)
X = (rng.uniform(size=(512, 4)) @ rng.uniform(200, 400, size=(4, 16))).astype("float32")  # power readings in watts

inputs = keras.Input(shape=(16,))
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dense(4, activation="relu")(x)
x = layers.Dense(32, activation="relu")(x)
outputs = layers.Dense(16, dtype="float32")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=5, batch_size=32)
