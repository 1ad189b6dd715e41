# The TensorFlow tutorial's subclassed Autoencoder(Model) with a latent Dense, images in [0, 1].
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, losses
from tensorflow.keras.models import Model

rng = np.random.default_rng(118)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 512, 1, 1))
x_train = (255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0)).astype("uint8").astype("float32") / 255.


class Autoencoder(Model):
    def __init__(self, latent_dim, shape):
        super().__init__()
        self.encoder = tf.keras.Sequential([layers.Flatten(), layers.Dense(latent_dim, activation="relu")])
        self.decoder = tf.keras.Sequential([
            layers.Dense(int(np.prod(shape)), activation="sigmoid"),
            layers.Reshape(shape),
        ])

    def call(self, x):
        return self.decoder(self.encoder(x))


autoencoder = Autoencoder(64, (28, 28))
autoencoder.compile(optimizer="adam", loss=losses.MeanSquaredError())
autoencoder.fit(x_train, x_train, epochs=8, shuffle=True, batch_size=64)
