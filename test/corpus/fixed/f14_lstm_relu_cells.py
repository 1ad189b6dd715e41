# nanguard-fixed-from: failing/f14_lstm_relu_cells.py
# nanguard-fix: keep the LSTM's default tanh activation (remove activation="relu" from the LSTM layers)
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(14)
t = np.arange(120)
series = 50 + 40 * np.sin(2 * np.pi * t[None, :] / rng.uniform(10, 40, size=(256, 1)) + rng.uniform(0, 6, size=(256, 1)))
X = series[..., None].astype("float32")  # page views per minute, 120 steps

model = keras.Sequential([
    layers.Input(shape=(120, 1)),
    layers.LSTM(32),
    layers.RepeatVector(120),
    layers.LSTM(32, return_sequences=True),
    layers.TimeDistributed(layers.Dense(1)),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
model.fit(X, X, epochs=3, batch_size=32)
