# Re-creation of keras-team/keras issue 4744, "The Theano backend should not clip output values
# by default for the binary_crossentropy function."
# (https://github.com/keras-team/keras/issues/4744): "I learned this the hard way by forgetting
# to add a sigmoid activation function to my final Dense layer and then training a model for
# several days without error, only to then discover that the model generates negative
# predictions": binary_crossentropy clips the outputs to [epsilon, 1 - epsilon] before taking
# their log, so a linear output below 0 or above 1 gives a bounded loss and no gradient. The
# model and data are not in the issue: a dense network on 20 features (train.csv, written by
# make_data.py) whose last Dense layer has no activation, under binary_crossentropy and Adam.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

data = np.loadtxt("train.csv", delimiter=",")
X = data[:, :20]
y = data[:, 20]

model = Sequential()
model.add(Dense(64, input_dim=20, activation='relu'))
model.add(Dense(64, activation='relu'))
model.add(Dense(1))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X, y, epochs=20, batch_size=64, validation_split=0.2)
