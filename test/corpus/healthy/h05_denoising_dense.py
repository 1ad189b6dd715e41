# A denoising dense autoencoder: Gaussian noise added to images in [0, 1], clipped back to [0, 1].
import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(105)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 512, 1, 1))
x_train = (np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0)).astype("float32").reshape(-1, 784)

noise_factor = 0.3
x_train_noisy = np.clip(x_train + noise_factor * rng.normal(size=x_train.shape), 0.0, 1.0)

inputs = keras.Input(shape=(784,))
x = layers.Dense(128, activation="relu")(inputs)
x = layers.Dense(32, activation="relu")(x)
x = layers.Dense(128, activation="relu")(x)
outputs = layers.Dense(784, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train_noisy, x_train, epochs=8, batch_size=64, validation_split=0.1)
