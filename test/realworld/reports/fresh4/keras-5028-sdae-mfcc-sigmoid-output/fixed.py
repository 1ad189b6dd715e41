# keras-team/keras#5028 (see repro.py) with a linear output layer, so that the reconstruction
# can take the range of the MFCC features (ours; no reply was read). 'adadelta' is spelled out
# with Keras 1's default rate of 1.0.
from keras.layers import Input, Dense
from keras.models import Model
from keras import regularizers
from keras.optimizers import Adadelta
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
decoded = Dense(nb_hidden_layers[-1], activation='linear')(x)
sdae = Model(input_img, decoded)
sdae.compile(optimizer=Adadelta(learning_rate=1.0), loss='mse')
sdae.fit(x_train_noise, x_train, epochs=1000, batch_size=256, shuffle=True,
         validation_data=(x_test_noise, x_test))
