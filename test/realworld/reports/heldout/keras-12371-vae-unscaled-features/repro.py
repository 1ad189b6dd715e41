# Re-creation of https://github.com/keras-team/keras/issues/12371 ("How can I fix NaN loss in
# VAE autoencoder?"): a dense VAE on 42 tabular features, lr 1e-4, latent_dim 20. The plain
# autoencoder on the same data trained; the VAE went to loss: nan.
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import backend as K

x_train = pd.read_csv("train.csv").values.astype("float32")
x_test = pd.read_csv("test.csv").values.astype("float32")

original_dim = x_train.shape[1]
intermediate_dim = 64
latent_dim = 20
learning_rate = 0.0001
batch_size = 32
nb_epoch = 100


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        self.add_loss(K.mean(kl_loss))
        epsilon = K.random_normal(shape=(K.shape(z_mean)[0], latent_dim))
        return z_mean + K.exp(z_log_var / 2) * epsilon


x = keras.Input(shape=(original_dim,))
h = layers.Dense(intermediate_dim, activation="relu")(x)
z_mean = layers.Dense(latent_dim)(h)
z_log_var = layers.Dense(latent_dim)(h)
z = Sampling()([z_mean, z_log_var])
decoder_h = layers.Dense(intermediate_dim, activation="relu")
decoder_mean = layers.Dense(original_dim)
x_decoded_mean = decoder_mean(decoder_h(z))

autoencoder = keras.Model(x, x_decoded_mean)
autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mse", metrics=["acc"])

autoencoder.fit(x_train, x_train,
                epochs=nb_epoch,
                batch_size=batch_size,
                shuffle=True,
                validation_data=(x_test, x_test))
