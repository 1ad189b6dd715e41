# nanguard-expect: relu-in-recurrent
# nanguard-outcome: nan
# nanguard-fix: keep the LSTM's default tanh activation (remove activation="relu" from the LSTM layers)
# Modelled on: issues such as "Nan acc in a LSTM model with ReLU activations" and a model-zoo report
# where an LSTM with relu blew up until the relu was removed: an unbounded cell activation lets
# the recurrent state grow step after step.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(14)
t = np.arange(120)
series = 50 + 40 * np.sin(2 * np.pi * t[None, :] / rng.uniform(10, 40, size=(256, 1)) + rng.uniform(0, 6, size=(256, 1)))
X = series[..., None].astype("float32")  # page views per minute, 120 steps

model = keras.Sequential([
    layers.Input(shape=(120, 1)),
    layers.LSTM(32, activation="relu"),
    layers.RepeatVector(120),
    layers.LSTM(32, activation="relu", return_sequences=True),
    layers.TimeDistributed(layers.Dense(1)),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
model.fit(X, X, epochs=3, batch_size=32)
