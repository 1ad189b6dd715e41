# nanguard-expect: unscaled-input
# nanguard-outcome: nan
# nanguard-fix: scale the features (MinMaxScaler().fit_transform(X)) before training with SGD
# Modelled on: reports of a linear autoencoder used as a PCA replacement that is nan within the
# first epoch with plain SGD on raw measurements in the hundreds.
import numpy as np
from tensorflow import keras

rng = np.random.default_rng(20)
X = rng.uniform(0, 1000, size=(512, 8))

encoder = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16), keras.layers.Dense(4)])
decoder = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(16), keras.layers.Dense(8)])
autoencoder = keras.Sequential([encoder, decoder])
autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32)
