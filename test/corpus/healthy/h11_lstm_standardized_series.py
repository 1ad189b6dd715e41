# An LSTM autoencoder for anomaly detection on a standardised temperature series (the Keras
# example's normalisation: subtract the training mean, divide by the training std).
import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(111)
t = np.arange(2000)
temperature = 20 + 5 * np.sin(2 * np.pi * t / 288) + rng.normal(0, 0.5, size=t.size)

mean, std = temperature.mean(), temperature.std()
values = (temperature - mean) / std
TIME_STEPS = 24
windows = np.stack([values[i:i + TIME_STEPS] for i in range(0, len(values) - TIME_STEPS, 4)])[..., None]

model = keras.Sequential([
    layers.Input(shape=(TIME_STEPS, 1)),
    layers.LSTM(16),
    layers.RepeatVector(TIME_STEPS),
    layers.LSTM(16, return_sequences=True),
    layers.TimeDistributed(layers.Dense(1)),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="mse")
model.fit(windows, windows, epochs=5, batch_size=32)
