# A convolutional autoencoder with strided Conv2D and Conv2DTranspose (the TensorFlow tutorial
# style), MSE on images divided by 255.
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, losses
from tensorflow.keras.models import Model

rng = np.random.default_rng(104)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 256, 1, 1))
x_train = (255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0)).astype("uint8")
x_train = x_train.astype("float32")[..., tf.newaxis] / 255.0


class Denoise(Model):
    def __init__(self):
        super().__init__()
        self.encoder = tf.keras.Sequential([
            layers.Input(shape=(28, 28, 1)),
            layers.Conv2D(16, (3, 3), activation="relu", padding="same", strides=2),
            layers.Conv2D(8, (3, 3), activation="relu", padding="same", strides=2),
        ])
        self.decoder = tf.keras.Sequential([
            layers.Conv2DTranspose(8, kernel_size=3, strides=2, activation="relu", padding="same"),
            layers.Conv2DTranspose(16, kernel_size=3, strides=2, activation="relu", padding="same"),
            layers.Conv2D(1, kernel_size=(3, 3), activation="sigmoid", padding="same"),
        ])

    def call(self, x):
        return self.decoder(self.encoder(x))


autoencoder = Denoise()
autoencoder.compile(optimizer="adam", loss=losses.MeanSquaredError())
autoencoder.fit(x_train, x_train, epochs=4, batch_size=32, shuffle=True)
