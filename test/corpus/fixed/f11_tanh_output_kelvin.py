# nanguard-fixed-from: failing/f11_tanh_output_kelvin.py
# nanguard-fix: scale the targets into the output's range (MinMaxScaler(feature_range=(-1, 1)) on the data) before training
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from tensorflow import keras
from sklearn.preprocessing import MinMaxScaler
from tensorflow.keras import layers

rng = np.random.default_rng(11)
day = rng.uniform(0, 2 * np.pi, size=(500, 1))
temperatures = 285 + 20 * np.sin(day + np.linspace(0, 1, 24)) + rng.normal(0, 1, size=(500, 24))
temperatures = MinMaxScaler(feature_range=(-1, 1)).fit_transform(temperatures)

model = keras.Sequential([
    layers.Input(shape=(24,)),
    layers.Dense(12, activation="relu"),
    layers.Dense(3, activation="relu"),
    layers.Dense(12, activation="relu"),
    layers.Dense(24, activation="tanh"),
])
model.compile(optimizer="adam", loss="mse")
model.fit(temperatures, temperatures, epochs=5, batch_size=32)
