# nanguard-fixed-from: failing/f03_zscore_constant_column.py
# nanguard-fix: add an epsilon to the standard deviation ((X - mean) / (std + 1e-8)), or drop the constant column, or use StandardScaler
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(3)
X = 50 + 10 * (rng.normal(size=(512, 3)) @ rng.normal(size=(3, 10))) + rng.normal(size=(512, 10))
X[:, 7] = 0.0  # a channel that was disconnected for the whole recording

X = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)

inputs = keras.Input(shape=(10,))
x = layers.Dense(16, activation="relu")(inputs)
x = layers.Dense(4, activation="relu")(x)
x = layers.Dense(16, activation="relu")(x)
outputs = layers.Dense(10)(x)
autoencoder = keras.Model(inputs, outputs)
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=12, batch_size=64, validation_split=0.2)
