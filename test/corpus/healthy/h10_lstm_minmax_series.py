# An LSTM autoencoder (encoder LSTM, RepeatVector, decoder LSTM, TimeDistributed Dense) on sine
# windows scaled with MinMaxScaler.
import numpy as np
from sklearn.preprocessing import MinMaxScaler
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(110)
t = np.arange(30)
raw = 50 + 40 * np.sin(2 * np.pi * t[None, :] / rng.uniform(10, 30, size=(256, 1)) + rng.uniform(0, 6, size=(256, 1)))
scaled = MinMaxScaler().fit_transform(raw.reshape(-1, 1)).reshape(256, 30, 1)

model = keras.Sequential([
    layers.Input(shape=(30, 1)),
    layers.LSTM(32),
    layers.RepeatVector(30),
    layers.LSTM(32, return_sequences=True),
    layers.TimeDistributed(layers.Dense(1)),
])
model.compile(optimizer="adam", loss="mse")
model.fit(scaled, scaled, epochs=6, batch_size=32, validation_split=0.1)
