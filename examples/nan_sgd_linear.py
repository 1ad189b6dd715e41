"""A linear-output autoencoder on unscaled data trained with plain SGD.

Eight features uniform in [0, 1000] reach the network unscaled. The first SGD steps with
learning rate 0.01 multiply gradients of order 1e6 and more into the weights, the next
forward passes overflow float32, and the loss is NaN within the first epoch: in Keras for
5 of 8 random initializations, the others kill every relu and stay at losses around 1e21.
`nanguard reproduce examples/nan_sgd_linear.py --seed 2` shows the NaN.
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
