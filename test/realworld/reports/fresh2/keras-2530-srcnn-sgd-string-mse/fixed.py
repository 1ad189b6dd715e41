# Fixed re-creation of https://github.com/keras-team/keras/issues/2530 ("Mean Square Error Optimizer
# returns Nan's"): an SRCNN (Super-Resolution CNN) of Convolution2D(64, 9x9), relu,
# Convolution2D(32, 1x1), relu, Convolution2D(3, 5x5), 'valid' borders and glorot_normal weights,
# compiled with mean squared error and optimizer='sgd' - the string, so Keras's default SGD, not the
# SGD(lr=10e-4) built the line before; "this results in a loss of NAN". The reporter: with rmsprop
# and mean_squared_logarithmic_error "it appears to work now". Keras 3 names Convolution2D Conv2D,
# border_mode padding, init kernel_initializer, has no channels-first convolution on the CPU (the
# patches are 32x32x3 here, (3, 32, 32) in the report) and no `lr`; `print` is Python 3. The fit
# call and the data (make_data.py) are ours.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation, Flatten
from keras.layers import Conv2D, MaxPooling2D
from keras.optimizers import SGD


def build_model():
    cnn_model = Sequential()
    cnn_model.add(Conv2D(64, (9, 9), padding='valid', kernel_initializer='glorot_normal', input_shape=(32, 32, 3)))
    cnn_model.add(Activation('relu'))
    cnn_model.add(Conv2D(32, (1, 1), padding='valid', kernel_initializer='glorot_normal'))
    cnn_model.add(Activation('relu'))
    cnn_model.add(Conv2D(3, (5, 5), padding='valid', kernel_initializer='glorot_normal'))

    # 0.0001 10^-4 | 0.00001 10^-5 last layer
    sgd = SGD(learning_rate=10e-4)
    # the fix (the reporter's): rmsprop and mean squared logarithmic error
    cnn_model.compile(loss='mean_squared_logarithmic_error', optimizer='rmsprop')

    print("Model Build")
    return cnn_model


X_train = np.load('X_train.npy')
Y_train = np.load('Y_train.npy')
model = build_model()
model.fit(X_train, Y_train, batch_size=32, epochs=20)
