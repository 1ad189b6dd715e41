# Scaling inside the model: a Normalization layer adapted to the raw training data; the target is
# the normalised data as well.
import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(115)
raw = (rng.normal(size=(800, 3)) @ rng.normal(size=(3, 8))) * np.array([1, 10, 100, 1000, 1, 10, 100, 1000]) + 500

norm = layers.Normalization()
norm.adapt(raw)
target = np.asarray(norm(raw))

inputs = keras.Input(shape=(8,))
x = norm(inputs)
x = layers.Dense(8, activation="relu")(x)
x = layers.Dense(3)(x)
x = layers.Dense(8, activation="relu")(x)
outputs = layers.Dense(8)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(raw, target, epochs=10, batch_size=32)
