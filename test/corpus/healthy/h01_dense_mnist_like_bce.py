# A dense autoencoder on 28x28 grey images scaled to [0, 1], as in the Keras blog's first example.
# The images are synthetic blobs shaped like MNIST digits (no download).
import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(101)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 512, 1, 1))
x_train = (255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0)).astype("uint8")

x_train = x_train.astype("float32") / 255.0
x_train = x_train.reshape((len(x_train), 784))

encoding_dim = 32
input_img = keras.Input(shape=(784,))
encoded = layers.Dense(encoding_dim, activation="relu")(input_img)
decoded = layers.Dense(784, activation="sigmoid")(encoded)
autoencoder = keras.Model(input_img, decoded)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(x_train, x_train, epochs=8, batch_size=64, shuffle=True, validation_split=0.1)
