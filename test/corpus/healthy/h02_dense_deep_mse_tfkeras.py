# A deeper dense autoencoder with tf.keras imports and MSE, images divided by 255.
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

rng = np.random.default_rng(102)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 512, 1, 1))
images = (255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0)).astype("uint8")
x_train = images.reshape(-1, 784).astype("float32") / 255.0

inp = Input(shape=(784,))
x = Dense(128, activation="relu")(inp)
x = Dense(64, activation="relu")(x)
code = Dense(16, activation="relu")(x)
x = Dense(64, activation="relu")(code)
x = Dense(128, activation="relu")(x)
out = Dense(784, activation="sigmoid")(x)
autoencoder = Model(inp, out)
autoencoder.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")
autoencoder.fit(x_train, x_train, epochs=8, batch_size=64, validation_split=0.1)
