# A Conv1D autoencoder on standardised windows (the Keras timeseries anomaly-detection example's
# architecture, smaller).
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(116)
t = np.arange(3000)
signal = np.sin(2 * np.pi * t / 96) + 0.1 * rng.normal(size=t.size)
signal = (signal - signal.mean()) / signal.std()
x_train = np.stack([signal[i:i + 64] for i in range(0, len(signal) - 64, 8)])[..., None]

model = keras.Sequential([
    layers.Input(shape=(64, 1)),
    layers.Conv1D(16, 7, padding="same", strides=2, activation="relu"),
    layers.Dropout(0.2),
    layers.Conv1D(8, 7, padding="same", strides=2, activation="relu"),
    layers.Conv1DTranspose(8, 7, padding="same", strides=2, activation="relu"),
    layers.Dropout(0.2),
    layers.Conv1DTranspose(16, 7, padding="same", strides=2, activation="relu"),
    layers.Conv1DTranspose(1, 7, padding="same"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
model.fit(x_train, x_train, epochs=6, batch_size=32, validation_split=0.1)
