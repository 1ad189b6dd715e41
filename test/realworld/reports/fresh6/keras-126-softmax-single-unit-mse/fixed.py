# Fixed version of the re-creation of keras-team/keras issue 126, "MLP example doesn't make progress"
# The fix: a sigmoid on the single output unit (a softmax needs one unit per class).
# (https://github.com/keras-team/keras/issues/126). The poster's complete script: a toy binary
# problem (eight points, label x0 + x1 > 0.5), the README's MLP (Dense 64 tanh, Dropout, Dense 64
# tanh, Dropout) ending in Dense(1) with a softmax, mean squared error and SGD(lr=0.1, momentum
# 0.9, nesterov). "the loss and validation loss don't improve, and y-hat is always just all
# zeros. predict_proba gives all ones." A softmax over one unit is exp(z)/exp(z) = 1 whatever z is,
# so the output never moves and no gradient reaches the weights.
# Keras 3 names: units and an Input layer for Dense(input_dim, output_dim), kernel_initializer
# for init, learning_rate for lr, epochs for nb_epoch (the fit call is cut off in the thread: the
# rest of it, validation on the same points and 100 epochs, is ours); SGD's decay is dropped.
from keras.models import Sequential
from keras.layers import Dense, Dropout, Input
from keras.optimizers import SGD
import numpy as np

X = np.array([
    [0.0, 0.1],
    [0.6, 0.8],
    [0.1, 0.2],
    [0.9, 0.8],
    [0.9, 0.7],
    [0.3, 0.0],
    [0.2, 0.2],
    [0.5, 0.9]
    ])

y = (X[:,0] + X[:,1] > 0.5).astype("int32")

# MLP example from https://github.com/fchollet/keras
model = Sequential()
model.add(Input(shape=(2,)))
model.add(Dense(64, kernel_initializer='uniform', activation='tanh'))
model.add(Dropout(0.5))
model.add(Dense(64, kernel_initializer='uniform', activation='tanh'))
model.add(Dropout(0.5))
model.add(Dense(1, kernel_initializer='uniform', activation='sigmoid'))
sgd = SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
model.compile(loss='mean_squared_error', optimizer=sgd)

model.fit(X, y, validation_data=(X, y), epochs=100)
print(model.predict(X))
