# Fixed re-creation of https://github.com/jadhavhninad/Sparse_autoencoder/issues/1 ("problem with keras
# sparse autoencoder"): the repository's se_keras4.py sparse autoencoder (a KL-divergence sparsity
# penalty on the mean hidden activation, rho = 0.01) gives NaN or a very high loss.
import numpy as np
from keras.layers import Input, Dense
from keras.models import Model
from keras import ops
from keras.datasets import mnist

rho = 0.01
beta = 3


def kl_divergence(rho, rho_hat):
    return rho * ops.log(rho) - rho * ops.log(rho_hat) + (1 - rho) * ops.log(1 - rho) - (1 - rho) * ops.log(1 - rho_hat)


def sparse_reg(activ_matrix):
    rho_hat = ops.mean(activ_matrix, axis=0)
    return beta * ops.sum(kl_divergence(rho, rho_hat))


(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
x_train = x_train.reshape((len(x_train), np.prod(x_train.shape[1:])))
x_test = x_test.reshape((len(x_test), np.prod(x_test.shape[1:])))

input_img = Input(shape=(784,))
encoded = Dense(196, activation='sigmoid', activity_regularizer=sparse_reg)(input_img)
decoded = Dense(784, activation='sigmoid')(encoded)

autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(x_train, x_train, epochs=10, batch_size=256, shuffle=True,
                validation_data=(x_test, x_test))
