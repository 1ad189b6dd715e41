# Re-creation of keras-team/keras issue 3471, "Using Keras to test linear regression"
# (https://github.com/keras-team/keras/issues/3471). The poster compares a Keras network with one
# Dense unit (no activation) to sklearn's LinearRegression on inputs of dimension 625: with
# 'adagrad' it does not get beyond r^2 .2 after thousands of epochs, "I haven't been able to try
# SGD yet because it spits out NAN's. My y values are very large, so that might the issue for why
# SGD is failing". This is the SGD run the poster describes: the same model and fit with
# optimizer='sgd'. The data are not in the thread: make_data.py writes 200 rows of 625 features
# and targets in the tens of thousands (x_train.npy, y_train.npy).
# Keras 3 names: epochs for nb_epoch.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

x_train = np.load("x_train.npy")
y_train = np.load("y_train.npy")

model = Sequential()
model.add(Dense(1, input_shape = (x_train.shape[1],)))
model.compile(loss='mse', optimizer='sgd')
model.fit(x_train, y_train, batch_size=128, epochs=1000, verbose=1)
