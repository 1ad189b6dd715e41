# Re-creation of https://github.com/AppliedDataSciencePartners/WorldModels/issues/9 ("NaNs in KL
# Loss"): the World Models convolutional VAE (64x64x3 frames, z_dim 32, RMSprop) whose KL loss
# blows up to 2.9e8 in the first epoch, comes back down, and then turns into NaN.
import numpy as np
from keras import backend as K
from keras import ops
from keras.layers import Input, Conv2D, Flatten, Dense, Reshape, Conv2DTranspose, Layer
from keras.models import Model
from keras.optimizers import RMSprop

INPUT_DIM = (64, 64, 3)
CONV_FILTERS = [32, 64, 64, 128]
CONV_KERNEL_SIZES = [4, 4, 4, 4]
CONV_STRIDES = [2, 2, 2, 2]
CONV_ACTIVATIONS = ['relu', 'relu', 'relu', 'relu']
DENSE_SIZE = 1024
CONV_T_FILTERS = [64, 64, 32, 3]
CONV_T_KERNEL_SIZES = [5, 5, 6, 6]
CONV_T_STRIDES = [2, 2, 2, 2]
CONV_T_ACTIVATIONS = ['relu', 'relu', 'relu', 'sigmoid']
Z_DIM = 32
BATCH_SIZE = 32
LEARNING_RATE = 0.0001


class Sampling(Layer):
    def call(self, inputs):
        vae_z_mean, vae_z_log_var = inputs
        vae_kl_loss = - 0.5 * ops.sum(1 + vae_z_log_var - ops.square(vae_z_mean) - ops.exp(vae_z_log_var), axis=-1)
        self.add_loss(ops.mean(vae_kl_loss))
        epsilon = K.random_normal(shape=(K.shape(vae_z_mean)[0], Z_DIM), mean=0., stddev=1.)
        return vae_z_mean + ops.exp(vae_z_log_var / 2) * epsilon


vae_x = Input(shape=INPUT_DIM)
vae_c1 = Conv2D(filters=CONV_FILTERS[0], kernel_size=CONV_KERNEL_SIZES[0], strides=CONV_STRIDES[0], activation=CONV_ACTIVATIONS[0])(vae_x)
vae_c2 = Conv2D(filters=CONV_FILTERS[1], kernel_size=CONV_KERNEL_SIZES[1], strides=CONV_STRIDES[1], activation=CONV_ACTIVATIONS[0])(vae_c1)
vae_c3 = Conv2D(filters=CONV_FILTERS[2], kernel_size=CONV_KERNEL_SIZES[2], strides=CONV_STRIDES[2], activation=CONV_ACTIVATIONS[0])(vae_c2)
vae_c4 = Conv2D(filters=CONV_FILTERS[3], kernel_size=CONV_KERNEL_SIZES[3], strides=CONV_STRIDES[3], activation=CONV_ACTIVATIONS[0])(vae_c3)
vae_z_in = Flatten()(vae_c4)
vae_z_mean = Dense(Z_DIM)(vae_z_in)
vae_z_log_var = Dense(Z_DIM)(vae_z_in)
vae_z = Sampling()([vae_z_mean, vae_z_log_var])

vae_dense = Dense(1024)(vae_z)
vae_z_out = Reshape((1, 1, DENSE_SIZE))(vae_dense)
vae_d1 = Conv2DTranspose(filters=CONV_T_FILTERS[0], kernel_size=CONV_T_KERNEL_SIZES[0], strides=CONV_T_STRIDES[0], activation=CONV_T_ACTIVATIONS[0])(vae_z_out)
vae_d2 = Conv2DTranspose(filters=CONV_T_FILTERS[1], kernel_size=CONV_T_KERNEL_SIZES[1], strides=CONV_T_STRIDES[1], activation=CONV_T_ACTIVATIONS[1])(vae_d1)
vae_d3 = Conv2DTranspose(filters=CONV_T_FILTERS[2], kernel_size=CONV_T_KERNEL_SIZES[2], strides=CONV_T_STRIDES[2], activation=CONV_T_ACTIVATIONS[2])(vae_d2)
vae_d4 = Conv2DTranspose(filters=CONV_T_FILTERS[3], kernel_size=CONV_T_KERNEL_SIZES[3], strides=CONV_T_STRIDES[3], activation=CONV_T_ACTIVATIONS[3])(vae_d3)


def vae_r_loss(y_true, y_pred):
    return 10 * ops.mean(ops.square(y_true - y_pred), axis=[1, 2, 3])


vae = Model(vae_x, vae_d4)
opti = RMSprop(learning_rate=LEARNING_RATE, rho=0.9, epsilon=None)
vae.compile(optimizer=opti, loss=vae_r_loss)

data = np.load('rollouts.npz')['obs']
data = (data - data.mean()) / data.std()
vae.fit(data, data, shuffle=True, epochs=3, batch_size=BATCH_SIZE)
