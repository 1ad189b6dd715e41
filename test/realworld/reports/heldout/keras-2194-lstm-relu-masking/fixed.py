# Fixed re-creation of https://github.com/keras-team/keras/issues/2194 ("Nan acc in A LSTM model with
# ReLU activations"): Masking, an LSTM with activation='relu', RepeatVector and a time-distributed
# softmax over 4 labels, zero-padded sentences up to ~1000 steps; loss nan for all epochs.
import numpy as np
from keras.models import Sequential
from keras.layers import Masking, LSTM, Dropout, RepeatVector, TimeDistributed, Dense, Activation

UNIT = LSTM
HIDDEN_SIZE = 128

rng = np.random.default_rng(2194)
n, xmax_timestamp, x_feature, y_feature = 256, 1019, 64, 4
x_train = np.zeros((n, xmax_timestamp, x_feature), dtype='float32')
y_train = np.zeros((n, 40, y_feature), dtype='float32')
for i in range(n):
    length = rng.integers(20, xmax_timestamp)
    x_train[i, :length] = rng.random((length, x_feature)) * 4
    y_train[i, np.arange(40), rng.integers(0, 4, 40)] = 1

print('Build Model ... ')
_, xmax_timestamp, x_feature = x_train.shape
_, ymax_timestamp, y_feature = y_train.shape
model = Sequential()
model.add(Masking(input_shape=(xmax_timestamp, x_feature)))
model.add(UNIT(HIDDEN_SIZE, activation='tanh'))
model.add(Dropout(0.2))
model.add(RepeatVector(ymax_timestamp))
model.add(TimeDistributed(Dense(y_feature)))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam')
model.fit(x_train, y_train, batch_size=32, epochs=3)
