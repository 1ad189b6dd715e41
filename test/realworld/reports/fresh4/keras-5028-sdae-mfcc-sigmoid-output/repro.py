# Re-creation of https://github.com/keras-team/keras/issues/5028 ("Get huge loss for Stack
# Denoising Autoencoder with mfcc input"): a stacked denoising autoencoder of 11 layers,
# nb_hidden_layers = [143, 64, 32, 16, 8, 4, 8, 16, 32, 64, 143], each layer pre-trained, on MFCC
# features of the an4 database (python_speech_features, noisy input, clean target): "Epoch
# 60/1000 ... loss: 54.1009 - val_loss: 57.0941 (The loss is unchanged for many epoch)". The
# post's code stops at the start of the pre-training loop; the comments it keeps ('this is the
# size of our encoded representations') are those of the Keras blog's autoencoders, whose layers
# are relu with a sigmoid output, optimizer adadelta. Ours, following the blog: relu layers, a
# sigmoid output, adadelta, mse, the whole stack fitted from the noisy to the clean features. The
# layer-wise pre-training is left out: its code is not in the thread, and the loss it reports is
# the one of the whole stack. A sigmoid output cannot reach MFCC values of +-25; the loss stays
# at about their mean square.
# data3.loaddata() is the poster's module; make_data.py writes features like theirs.
from keras.layers import Input, Dense
from keras.models import Model
from keras import regularizers
import numpy as np


class data3:
    @staticmethod
    def loaddata():
        d = np.load('an4_mfcc.npz')
        return (d['x_train'], d['x_train_noise']), (d['x_test'], d['x_test_noise'])


'''Loading Data'''

(x_train, x_train_noise),(x_test,x_test_noise)= data3.loaddata()
x_train = x_train.reshape((len(x_train), np.prod(x_train.shape[1:])))
x_train_noise = x_train_noise.reshape((len(x_train_noise), np.prod(x_train_noise.shape[1:])))
x_test = x_test.reshape((len(x_test), np.prod(x_test.shape[1:])))
x_test_noise = x_test_noise.reshape((len(x_test_noise), np.prod(x_test_noise.shape[1:])))

x_train=x_train
x_train_noise=x_train_noise
x_test=x_test
x_test_noise=x_test_noise

'''this is the size of our encoded representations'''
nb_hidden_layers = [143, 64, 32, 16, 8, 4, 8, 16, 32, 64, 143]

'''the whole stack'''
input_img = Input(shape=(nb_hidden_layers[0],))
x = input_img
for n_out in nb_hidden_layers[1:-1]:
    x = Dense(n_out, activation='relu')(x)
decoded = Dense(nb_hidden_layers[-1], activation='sigmoid')(x)
sdae = Model(input_img, decoded)
sdae.compile(optimizer='adadelta', loss='mse')
sdae.fit(x_train_noise, x_train, epochs=1000, batch_size=256, shuffle=True,
         validation_data=(x_test_noise, x_test))
