# Fixed re-creation of https://github.com/keras-team/keras/issues/1172 ("root_mean_squared_error gives
# nan"): a regression network that works with mean_absolute_error returns nan after a few
# epochs with a root-mean-squared-error objective, whatever the optimizer; MSE works.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras import ops


def root_mean_squared_error(y_true, y_pred):
    return ops.sqrt(ops.mean(ops.square(y_pred - y_true), axis=-1))


rng = np.random.default_rng(1172)
X = rng.random((5000, 20)).astype('float32')
# sales counts: many rows are exactly 0
y = np.maximum(0, np.round(X[:, :5].sum(axis=1) * 3 - 7)).astype('float32')

model = Sequential()
model.add(Dense(64, input_dim=20, activation='relu'))
model.add(Dropout(0.1))
model.add(Dense(64, activation='relu'))
model.add(Dense(1, activation='relu'))
model.compile(loss='mse', optimizer='rmsprop')
model.fit(X, y, epochs=20, batch_size=32)
