# A deeper dense autoencoder with BatchNormalization and LeakyReLU on standardised features.
import numpy as np
from sklearn.preprocessing import StandardScaler
import keras
from keras import layers

rng = np.random.default_rng(117)
X = StandardScaler().fit_transform(rng.normal(size=(1000, 5)) @ rng.normal(size=(5, 30)))

inputs = keras.Input(shape=(30,))
x = inputs
for units in (64, 32, 8, 32, 64):
    x = layers.Dense(units)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.1)(x)
outputs = layers.Dense(30)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=8, batch_size=64, validation_split=0.2)
