# Re-creation of https://github.com/keras-team/keras/issues/4563 ("Very high / Nan loss when
# performing multiple sequence time series regression"): an LSTM(64), Dropout(0.3) and Dense(1)
# trained with mean absolute error and SGD(lr=0.0008, momentum=0.9, nesterov=True); "my losses
# are always either very high or Nan", and "the Y values I am trying to predict are very high".
# Reply (Bo604): "Have you tried to rescale the values before training?". The arrays are read
# from the files make_data.py writes (the reporter's were not posted); Keras 3 names `lr`
# `learning_rate`, has no `decay` argument and no `nb_epoch`; `print` is Python 3.
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dropout, Dense
from keras.optimizers import SGD

X_train = np.load('X_train.npy')
Y_train = np.load('Y_train.npy')
X_test = np.load('X_test.npy')
Y_test = np.load('Y_test.npy')
MAX_TIMESTEPS = X_train.shape[1]
MAX_FEATURES = X_train.shape[2]

sgd = SGD(learning_rate=0.0008, momentum=0.9, nesterov=True)
# Build the Keras Model
model = Sequential()
model.add(LSTM(64, input_shape=(MAX_TIMESTEPS, MAX_FEATURES)))
model.add(Dropout(0.3))
model.add(Dense(1))
model.compile(loss='mean_absolute_error',
              optimizer=sgd)

print('Training the LSTM model')

batch_size = 32
model.fit(X_train, Y_train, batch_size=batch_size, epochs=20, validation_split=0.2)
mae = model.evaluate(X_test, Y_test, batch_size=batch_size)
