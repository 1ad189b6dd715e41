# mixed_float16 done as the guide says: the last layer's dtype is float32, so the output and the
# loss are computed in float32 (and Keras wraps the optimizer in a LossScaleOptimizer).
import numpy as np
import keras
from keras import layers, mixed_precision

mixed_precision.set_global_policy("mixed_float16")

rng = np.random.default_rng(122)
X = np.clip(rng.uniform(size=(512, 4)) @ rng.uniform(size=(4, 32)) / 2.0, 0, 1).astype("float32")

inputs = keras.Input(shape=(32,))
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dense(4, activation="relu")(x)
x = layers.Dense(32, activation="relu")(x)
outputs = layers.Dense(32, activation="sigmoid", dtype="float32")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=8, batch_size=32)
