# Fixed version of the re-creation of the Stack Overflow question 63909566, "Why can't I use softmax in regression task
# The fix, from the accepted answer: a sigmoid on the single output unit in place of the softmax.
# for probabilities?" (mirrored at https://example-a.com/answer/63909566). The poster regresses
# probabilities y from an int8 matrix X with one hidden Dense layer (relu) and "softmax as the
# activation function of the output layer (i.e. output neuron) in order to squash the network's
# output to [0, 1]", mse and Adam: "the loss does not change at all between epochs and remains
# constant". The accepted answer and the poster's edit: "The softmax function for a vector of size
# 1 is always 1"; a sigmoid is what squashes one value to [0, 1]. The question's code, with the
# sizes it leaves as names filled in (W1_size 64, batch_size 32, MAX_EPOCHS 100) and the data
# written by make_data.py (X.npy, y.npy).
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import Adam

X = np.load("X.npy")
y = np.load("y.npy")
input_dims = X.shape[1]
W1_size = 64
batch_size = 32
MAX_EPOCHS = 100

model = Sequential()
model.add(Dense(W1_size, input_shape=(input_dims,), activation='relu'))
model.add(Dense(1, activation='sigmoid'))
# compile model
model.compile(optimizer=Adam(), loss='mse')   # mse is the standard loss for regression
# fit
model.fit(X, y, batch_size=batch_size, epochs=MAX_EPOCHS)
