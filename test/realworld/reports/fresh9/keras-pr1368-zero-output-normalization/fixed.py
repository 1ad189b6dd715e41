# The fix of keras-team/keras pull request 1368 (the pull request's own idea, clipping the outputs
# before they are normalized): a categorical cross-entropy that clips the output to [epsilon, 1]
# and then divides it by its sum, so that a row of zeros becomes uniform instead of 0/0 (the pull
# request clipped to 1 - epsilon; a reply objected that this cuts real information above it).
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras import ops
from keras.config import epsilon


def categorical_crossentropy(y_true, y_pred):
    y_pred = ops.clip(y_pred, epsilon(), 1.0)
    y_pred = y_pred / ops.sum(y_pred, axis=-1, keepdims=True)
    return -ops.sum(y_true * ops.log(y_pred), axis=-1)


data = np.load('eeg.npz')
X, Y = data['X'], data['Y']

model = Sequential()
model.add(Dense(64, input_dim=64, activation='relu'))
model.add(Dense(32, activation='relu'))
model.add(Dense(4, activation='relu'))
model.compile(loss=categorical_crossentropy, optimizer='adam', metrics=['accuracy'])
model.fit(X, Y, epochs=20, batch_size=32, validation_split=0.2)
