# nanguard-expect: high-learning-rate
# nanguard-outcome: nan
# nanguard-fix: lower the learning rate to SGD's usual range (SGD(learning_rate=0.01))
# Modelled on: issue threads where the loss climbs for a few batches and then turns nan, resolved
# by "reduce the learning rate": here SGD at 3.0 on well-scaled data.
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
autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=3.0), loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32)
