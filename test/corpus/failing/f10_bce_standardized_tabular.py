# nanguard-expect: bce-target-out-of-range
# nanguard-outcome: invalid
# nanguard-fix: scale the features into [0, 1] with MinMaxScaler (or keep StandardScaler and switch the loss to mse with a linear output)
# Modelled on: Q&A threads asking why an autoencoder's binary_crossentropy loss is negative: the
# features were standardised, so half of the targets are below zero.
import numpy as np
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

rng = np.random.default_rng(10)
latent = rng.normal(size=(600, 3))
X = StandardScaler().fit_transform(latent @ rng.normal(size=(3, 12)) + 0.2 * rng.normal(size=(600, 12)))

inputs = keras.Input(shape=(12,))
encoded = keras.layers.Dense(6, activation="relu")(inputs)
encoded = keras.layers.Dense(3, activation="relu")(encoded)
decoded = keras.layers.Dense(6, activation="relu")(encoded)
decoded = keras.layers.Dense(12, activation="sigmoid")(decoded)
autoencoder = keras.Model(inputs, decoded)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(X, X, epochs=5, batch_size=32, validation_split=0.1)
