# Re-creation of keras-team/keras pull request 1368, "Clipping values at the right place in order to
# avoid losses with nan." (https://github.com/keras-team/keras/pull/1368): "On the
# categorical_crossentropy function ... the code `output /= output.sum(axis=-1, keepdims=True)`
# was resulting in nans if there was a sample with all indexes with 0 values (in my problem - EEG
# Analysis - the zero-vector means 'doing nothing')"; the reply: "You are right that this is an
# edge case that should be taken care of". Keras 3's categorical_crossentropy still divides the
# output by its sum before clipping it, so an output row of zeros is 0/0. The pull request gives
# no model or data: a dense network whose output layer is relu (so that it can give the zero
# vector of 'doing nothing'), trained with categorical_crossentropy and Adam on EEG band powers
# whose targets are one-hot actions or the zero vector (eeg.npz, written by make_data.py).
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

data = np.load('eeg.npz')
X, Y = data['X'], data['Y']

model = Sequential()
model.add(Dense(64, input_dim=64, activation='relu'))
model.add(Dense(32, activation='relu'))
model.add(Dense(4, activation='relu'))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X, Y, epochs=20, batch_size=32, validation_split=0.2)
