# The fix of fchollet/keras-blog issue 5 (ours; no reply was read): Adadelta at the learning rate of
# 1.0 that the blog's Keras used by default.
# Re-creation of fchollet/keras-blog issue 5, "autoencoder post reproducibility"
# (https://github.com/fchollet/keras-blog/issues/5): the blog's sparse autoencoder, 784 -> 32
# (relu, an L1 activity regularizer of 10e-5) -> 784 (sigmoid), adadelta and binary_crossentropy
# on MNIST: "Going by the book I cannot get anything better than: 0.26 after 300+ epochs". No
# reply was read. The issue shows the model and compile; the data and fit are the blog post's
# (MNIST scaled to [0, 1], 100 epochs, batch 256, shuffled, the test set as validation).
# Keras 3 names: regularizers.l1 for activity_l1, inputs/outputs for input/output. Under Keras 3,
# 'adadelta' starts at a learning rate of 0.001 where the Keras the blog used had 1.0.
import numpy as np
from keras.layers import Input, Dense
from keras.models import Model
from keras.datasets import mnist
from keras import regularizers
from keras.optimizers import Adadelta

encoding_dim = 32
input_img = Input(shape=(784,))
# add a Dense layer with a L1 activity regularizer
encoded = Dense(encoding_dim, activation='relu',
                activity_regularizer=regularizers.l1(10e-5))(input_img)
decoded = Dense(784, activation='sigmoid')(encoded)
autoencoder = Model(inputs=input_img, outputs=decoded)
# this model maps an input to its encoded representation
encoder = Model(inputs=input_img, outputs=encoded)
# create a placeholder for an encoded (32-dimensional) input
encoded_input = Input(shape=(encoding_dim,))
# retrieve the last layer of the autoencoder model
decoder_layer = autoencoder.layers[-1]
# create the decoder model
decoder = Model(inputs=encoded_input, outputs=decoder_layer(encoded_input))
autoencoder.compile(optimizer=Adadelta(learning_rate=1.0), loss='binary_crossentropy')

(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
x_train = x_train.reshape((len(x_train), np.prod(x_train.shape[1:])))
x_test = x_test.reshape((len(x_test), np.prod(x_test.shape[1:])))

autoencoder.fit(x_train, x_train,
                epochs=100,
                batch_size=256,
                shuffle=True,
                validation_data=(x_test, x_test))
