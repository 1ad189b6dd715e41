# nanguard-expect: exp-overflow-vae
# nanguard-outcome: nan
# nanguard-fix: bound the log-variance before exponentiating it (z_log_var = ops.clip(z_log_var, -10.0, 10.0)), in the sampling and in the KL term
# Modelled on: "How can I fix NaN loss in VAE autoencoder?" style issue threads: a plain autoencoder
# on the same data trains, the VAE reports loss: nan from the first epoch. Here the pixels are
# fed as stored (0-255), the log-variance Dense layer starts in the hundreds, and exp() of it
# overflows float32 (above about 88.7).
import numpy as np
import keras
from keras import layers, ops

rng = np.random.default_rng(8)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 256, 1, 1))
images = (255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0)).astype("float32").reshape(256, 784)

latent_dim = 2


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl = -0.5 * ops.mean(ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1))
        self.add_loss(kl)
        epsilon = keras.random.normal(ops.shape(z_mean))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


inputs = keras.Input(shape=(784,))
h = layers.Dense(128, activation="relu")(inputs)
z_mean = layers.Dense(latent_dim)(h)
z_log_var = layers.Dense(latent_dim)(h)
z = Sampling()([z_mean, z_log_var])
h = layers.Dense(128, activation="relu")(z)
outputs = layers.Dense(784)(h)
vae = keras.Model(inputs, outputs)
vae.compile(optimizer="adam", loss="mse")
vae.fit(images, images, epochs=5, batch_size=32)
