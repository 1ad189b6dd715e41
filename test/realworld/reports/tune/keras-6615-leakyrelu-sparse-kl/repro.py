# Re-creation of https://github.com/keras-team/keras/issues/6615 ("LeakyReLU gives nan loss"):
# a convolutional autoencoder whose conv layers carry an l2 kernel regularizer and a KL sparsity
# activity regularizer (SparseReg(beta=5e-1, p=1e-2)), each followed by LeakyReLU(alpha=1e-1);
# loss: nan every time, normal values with activation='relu' inside the layer.
import numpy as np
from keras import backend as K
from keras import ops
from keras import regularizers
from keras.datasets import mnist
from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D, LeakyReLU
from keras.models import Model


class SparseReg(regularizers.Regularizer):
    def __init__(self, beta, p):
        self.beta = beta
        self.p = p

    def __call__(self, x):
        p_hat = ops.mean(x, axis=0)
        kl = self.p * ops.log(self.p / p_hat) + (1 - self.p) * ops.log((1 - self.p) / (1 - p_hat))
        return self.beta * ops.sum(kl)


(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.astype('float32') / 255.
x_train = np.reshape(x_train, (len(x_train), 28, 28, 1))

input_img = Input(shape=(28, 28, 1))
# encoding structure
x = Conv2D(256, (3, 3), padding='same', kernel_regularizer=regularizers.l2(0.01),
           activity_regularizer=SparseReg(beta=5e-1, p=1e-2), name='lay1')(input_img)
x = LeakyReLU(negative_slope=1e-1)(x)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(128, (3, 3), padding='same', kernel_regularizer=regularizers.l2(0.01),
           activity_regularizer=SparseReg(beta=5e-1, p=1e-2), name='lay2')(x)
x = LeakyReLU(negative_slope=1e-1)(x)
encoded = MaxPooling2D((2, 2), padding='same')(x)
# decoding structure
x = Conv2D(128, (3, 3), padding='same')(encoded)
x = LeakyReLU(negative_slope=1e-1)(x)
x = UpSampling2D((2, 2))(x)
x = Conv2D(256, (3, 3), padding='same')(x)
x = LeakyReLU(negative_slope=1e-1)(x)
x = UpSampling2D((2, 2))(x)
decoded = Conv2D(1, (3, 3), activation='sigmoid', padding='same')(x)

autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(x_train[:1024], x_train[:1024], epochs=5, batch_size=128)
