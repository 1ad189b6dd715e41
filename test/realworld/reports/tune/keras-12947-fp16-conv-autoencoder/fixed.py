# Fixed re-creation of https://github.com/keras-team/keras/issues/12947 ("Kears use float16 failed to
# train Keras Model"): a convolutional autoencoder built in a class (Conv2D encoder, Dense latent,
# Conv2DTranspose decoder, sigmoid output) trained with the float type set to float16.
import numpy as np
from keras import backend as K
from keras.layers import Input, Conv2D, Conv2DTranspose, Dense, Flatten, Reshape, Activation
from keras.models import Model
from keras.datasets import mnist



class ConvAutoEncoder:
    def __init__(self, ConvFilters=(32, 64), KernelSize=(3, 3), stride=(2, 2), LatentDim=16, activation='relu'):
        self.ConvFilters = ConvFilters
        self.KernelSize = KernelSize
        self.stride = stride
        self.LatentDim = LatentDim
        self.activation = activation

    def build(self):
        EncoderInput = Input(shape=(28, 28, 1), name='Encoder_input')
        x = EncoderInput
        for i, (CurFilter, CurKernelSize, CurStride) in enumerate(zip(self.ConvFilters, self.KernelSize, self.stride)):
            x = Conv2D(CurFilter, CurKernelSize, strides=CurStride, activation=self.activation,
                       padding='same', name='Conv2D_' + str(i))(x)
        self.shape = K.int_shape(x)
        x = Flatten()(x)
        Latent = Dense(self.LatentDim, name='Latent')(x)
        self.encoder = Model(EncoderInput, Latent, name='Encoder')

        LatentInput = Input(shape=(self.LatentDim,), name='Decoder_input')
        x = Dense(self.shape[1] * self.shape[2] * self.shape[3])(LatentInput)
        x = Reshape((self.shape[1], self.shape[2], self.shape[3]), name='Construct_Tensor')(x)
        i = 0
        for CurFilter, CurKernelSize, CurStride, in zip(self.ConvFilters[::-1], self.KernelSize[::-1], self.stride[::-1]):
            x = Conv2DTranspose(filters=CurFilter, kernel_size=CurKernelSize, strides=CurStride,
                                activation=self.activation, padding='same', name='Conv2DTranspose_' + str(i))(x)
            i += 1
        x = Conv2DTranspose(filters=1, kernel_size=self.KernelSize[0], padding='same', name='Conv2DTranspsze_Last')(x)
        DecoderOutput = Activation('sigmoid', name='Decoder_output')(x)
        self.decoder = Model(LatentInput, DecoderOutput, name='Decoder')
        self.autoencoder = Model(EncoderInput, self.decoder(self.encoder(EncoderInput)), name='autoencoder')
        return self.autoencoder


(x_train, _), (x_test, _) = mnist.load_data()
x_train = (x_train.astype('float32') / 255.)[..., None]

cae = ConvAutoEncoder().build()
cae.compile(optimizer='adam', loss='binary_crossentropy')
cae.fit(x_train, x_train, epochs=10, batch_size=128)
