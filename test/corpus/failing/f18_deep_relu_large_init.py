# nanguard-expect: bad-init
# nanguard-outcome: nan
# nanguard-fix: keep Keras's default glorot_uniform initializer (or he_normal for relu) instead of RandomNormal(stddev=5)
# Modelled on: reports of a deep autoencoder that is nan from the very first batch after the
# author "made the initial weights bigger to speed up learning".
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers, initializers

rng = np.random.default_rng(18)
X = np.clip(rng.uniform(size=(512, 4)) @ rng.uniform(size=(4, 64)) / 2.0, 0, 1)

init = initializers.RandomNormal(mean=0.0, stddev=5.0)
inputs = keras.Input(shape=(64,))
x = inputs
for units in (256, 128, 64, 16, 64, 128, 256):
    x = layers.Dense(units, activation="relu", kernel_initializer=init)(x)
outputs = layers.Dense(64, activation="linear", kernel_initializer=init)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=3, batch_size=32)
