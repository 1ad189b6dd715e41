# nanguard-fixed-from: failing/f20_linear_ae_sgd_unscaled.py
# nanguard-fix: scale the features (MinMaxScaler().fit_transform(X)) before training with SGD
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from sklearn.preprocessing import MinMaxScaler
from tensorflow import keras

rng = np.random.default_rng(20)
X = MinMaxScaler().fit_transform(rng.uniform(0, 1000, size=(512, 8)))

encoder = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16), keras.layers.Dense(4)])
decoder = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(16), keras.layers.Dense(8)])
autoencoder = keras.Sequential([encoder, decoder])
autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32)
