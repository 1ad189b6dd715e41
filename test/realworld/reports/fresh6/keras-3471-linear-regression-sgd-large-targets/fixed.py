# Fixed version of the re-creation of keras-team/keras issue 3471
# (https://github.com/keras-team/keras/issues/3471): the targets are standardized before the fit,
# as the poster suspects their size is why SGD fails (the scaling is ours; no reply was read).
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

x_train = np.load("x_train.npy")
y_train = np.load("y_train.npy")
y_mean, y_std = y_train.mean(), y_train.std()
y_train = (y_train - y_mean) / y_std

model = Sequential()
model.add(Dense(1, input_shape = (x_train.shape[1],)))
model.compile(loss='mse', optimizer='sgd')
model.fit(x_train, y_train, batch_size=128, epochs=1000, verbose=1)
