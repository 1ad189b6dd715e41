# A VAE whose encoder predicts the standard deviation through softplus (bounded below, no exp of
# an unbounded value), tf.keras imports, MSE reconstruction.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(109)
latent = rng.normal(size=(512, 3))
X = np.tanh(latent @ rng.normal(size=(3, 20)) * 0.5).astype("float32")


class GaussianSample(layers.Layer):
    def call(self, inputs):
        mean, raw_scale = inputs
        scale = tf.nn.softplus(raw_scale) + 1e-4
        kl = tf.reduce_mean(tf.reduce_sum(0.5 * (tf.square(mean) + tf.square(scale)) - tf.math.log(scale) - 0.5, axis=1))
        self.add_loss(0.01 * kl)
        return mean + scale * tf.random.normal(tf.shape(mean))


inputs = keras.Input(shape=(20,))
h = layers.Dense(32, activation="relu")(inputs)
z = GaussianSample()([layers.Dense(3)(h), layers.Dense(3)(h)])
h = layers.Dense(32, activation="relu")(z)
outputs = layers.Dense(20)(h)
vae = keras.Model(inputs, outputs)
vae.compile(optimizer="adam", loss="mse")
vae.fit(X, X, epochs=10, batch_size=32)
