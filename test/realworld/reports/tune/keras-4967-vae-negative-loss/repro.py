# Re-creation of https://github.com/keras-team/keras/issues/4967 ("Vae loss negative"): the
# keras examples' variational_autoencoder.py, loss as provided (binary cross-entropy times
# original_dim plus the KL term), run on different data; training and validation loss both go
# negative.
import numpy as np
from keras.layers import Input, Dense, Layer
from keras.models import Model
from keras import backend as K
from keras import ops, metrics

x = np.load('expression.npy')
x_train, x_test = x[:400], x[400:]

batch_size = 100
original_dim = 100
latent_dim = 2
intermediate_dim = 64
epochs = 20
epsilon_std = 1.0


class KLSampling(Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl_loss = - 0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
        self.add_loss(ops.mean(kl_loss))
        epsilon = K.random_normal(shape=(ops.shape(z_mean)[0], latent_dim), mean=0., stddev=epsilon_std)
        return z_mean + ops.exp(z_log_var / 2) * epsilon


def xent(x, x_decoded_mean):
    return original_dim * metrics.binary_crossentropy(x, x_decoded_mean)


x_in = Input(shape=(original_dim,))
h = Dense(intermediate_dim, activation='relu')(x_in)
z_mean = Dense(latent_dim)(h)
z_log_var = Dense(latent_dim)(h)
z = KLSampling()([z_mean, z_log_var])
decoder_h = Dense(intermediate_dim, activation='relu')
decoder_mean = Dense(original_dim, activation='sigmoid')
x_decoded_mean = decoder_mean(decoder_h(z))

vae = Model(x_in, x_decoded_mean)
vae.compile(optimizer='rmsprop', loss=xent)
vae.fit(x_train, x_train, shuffle=True, epochs=epochs, batch_size=batch_size,
        validation_data=(x_test, x_test))
