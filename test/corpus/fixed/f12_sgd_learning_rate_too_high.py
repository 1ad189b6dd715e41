# nanguard-fixed-from: failing/f12_sgd_learning_rate_too_high.py
# nanguard-fix: lower the learning rate to SGD's usual range (SGD(learning_rate=0.01))
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(12)
latent = rng.uniform(size=(512, 4))
X = np.clip(latent @ rng.uniform(size=(4, 16)) / 2.0, 0, 1)

autoencoder = keras.Sequential([
    layers.Input(shape=(16,)),
    layers.Dense(8),
    layers.Dense(4),
    layers.Dense(8),
    layers.Dense(16),
])
autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32)
