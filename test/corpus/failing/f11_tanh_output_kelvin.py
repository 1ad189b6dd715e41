# nanguard-expect: output-range-mismatch
# nanguard-outcome: stalled
# nanguard-fix: scale the targets into the output's range (MinMaxScaler(feature_range=(-1, 1)) on the data) before training
# Modelled on: questions where an autoencoder's loss "does not go down at all": temperatures in
# kelvin (250-320) are reconstructed through a tanh output that can only produce [-1, 1].
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(11)
day = rng.uniform(0, 2 * np.pi, size=(500, 1))
temperatures = 285 + 20 * np.sin(day + np.linspace(0, 1, 24)) + rng.normal(0, 1, size=(500, 24))

model = keras.Sequential([
    layers.Input(shape=(24,)),
    layers.Dense(12, activation="relu"),
    layers.Dense(3, activation="relu"),
    layers.Dense(12, activation="relu"),
    layers.Dense(24, activation="tanh"),
])
model.compile(optimizer="adam", loss="mse")
model.fit(temperatures, temperatures, epochs=5, batch_size=32)
