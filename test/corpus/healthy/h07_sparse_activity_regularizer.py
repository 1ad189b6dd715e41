# A sparse autoencoder: an L1 activity regularizer on the code layer (the Keras blog's example).
import numpy as np
import keras
from keras import layers, regularizers

rng = np.random.default_rng(107)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 512, 1, 1))
x_train = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0).astype("float32").reshape(-1, 784)

input_img = keras.Input(shape=(784,))
encoded = layers.Dense(64, activation="relu", activity_regularizer=regularizers.l1(1e-5))(input_img)
decoded = layers.Dense(784, activation="sigmoid")(encoded)
autoencoder = keras.Model(input_img, decoded)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(x_train, x_train, epochs=8, batch_size=64, shuffle=True)
