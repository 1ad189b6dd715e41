"""A linear-output autoencoder on unscaled data trained with plain SGD.

Eight features uniform in [0, 1000] reach the network unscaled. The first SGD step with
learning rate 0.01 multiplies gradients of order 1e6 into the weights, the next forward
pass overflows float32, and the loss is NaN within the first epoch.
"""
import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Dense

X = np.random.uniform(0, 1000, (1000, 8))

autoencoder = keras.Sequential([
    keras.Input(shape=(8,)),
    Dense(16, activation="relu"),
    Dense(4, activation="relu"),
    Dense(16, activation="relu"),
    Dense(8, activation="linear"),
])
autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
autoencoder.fit(X, X, epochs=20, batch_size=32, validation_split=0.2)
