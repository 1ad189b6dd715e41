"""A linear-output autoencoder on unscaled data trained with plain SGD.

Eight features uniform in [0, 1000] reach the network unscaled, and no layer bends them: all
four Dense layers are linear. The first batch's gradients reach about 1e5, so one SGD step at
learning rate 0.01 moves weights of order 1 by about 1e3; the second batch's loss is 1e27 or
more, and after the second step the third batch overflows float32 in the 4-unit bottleneck (dense_1):
the loss is NaN at epoch 0, batch 2 (counting from 0), in Keras and in the reproduction, for
every initialization tried (8 seeds in each).
With relu hidden layers the same setup is a coin flip instead: some initializations kill every
relu in the first steps and the loss stalls (at 1e5 to 1e29) without going NaN.
`nanguard reproduce examples/nan_sgd_linear.py` shows the NaN and where it started.
"""
import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Dense

X = np.random.uniform(0, 1000, (1000, 8))

autoencoder = keras.Sequential([
    keras.Input(shape=(8,)),
    Dense(16, activation="linear"),
    Dense(4, activation="linear"),
    Dense(16, activation="linear"),
    Dense(8, activation="linear"),
])
autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
autoencoder.fit(X, X, epochs=20, batch_size=32, validation_split=0.2)
