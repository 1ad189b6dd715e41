# A dense VAE done right: images in [0, 1], the log-variance clipped to [-10, 10] before exp, the
# KL term added with add_loss from the sampling layer.
import numpy as np
import keras
from keras import layers, ops

rng = np.random.default_rng(108)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 512, 1, 1))
x_train = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0).astype("float32").reshape(-1, 784)


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        z_log_var = ops.clip(z_log_var, -10.0, 10.0)
        kl = -0.5 * ops.mean(ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1))
        self.add_loss(kl / 784.0)
        return z_mean + ops.exp(0.5 * z_log_var) * keras.random.normal(ops.shape(z_mean))


inputs = keras.Input(shape=(784,))
h = layers.Dense(128, activation="relu")(inputs)
z_mean = layers.Dense(2)(h)
z_log_var = layers.Dense(2)(h)
z = Sampling()([z_mean, z_log_var])
h = layers.Dense(128, activation="relu")(z)
outputs = layers.Dense(784, activation="sigmoid")(h)
vae = keras.Model(inputs, outputs)
vae.compile(optimizer="adam", loss="binary_crossentropy")
vae.fit(x_train, x_train, epochs=8, batch_size=64)
