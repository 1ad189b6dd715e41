# Re-creation of keras-team/keras issue 108, "Regression problems / continuous target"
# (https://github.com/keras-team/keras/issues/108): a comment on the maintainer's regression
# example, which "add[s] a 'tanh' activation layer for the unidimensional regression model", run
# on a net "to predict the sum of 2 numbers which are the feature vectors in X and the sum is the
# corresponding vectors in Y": "your code took more than 100000 to converge to just 0.6904 loss",
# where the same model with a linear output reached 0.0554 in 2000 epochs; "a linear regression
# model should not require a non-linear layer". The model is the comment's (Dense(2, 1,
# init='uniform'), mean_absolute_error, rmsprop, batch_size=16) with the tanh of the example; the
# numbers are not given: pairs drawn uniformly from [0, 1) (seeded), whose sums reach 2 where tanh
# stops at 1. Keras 3 names: units and kernel_initializer (Keras 1's 'uniform' is the
# RandomUniform of -0.05 to 0.05), epochs.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Activation

rng = np.random.RandomState(108)
X_train = rng.random_sample((1000, 2))
y_train = X_train.sum(axis=1)
X_test = rng.random_sample((200, 2))
y_test = X_test.sum(axis=1)

model = Sequential()
model.add(Dense(1, input_dim=2, kernel_initializer='random_uniform'))
model.add(Activation('tanh'))
model.compile(loss='mean_absolute_error', optimizer='rmsprop')

model.fit(X_train, y_train, epochs=20, batch_size=16)
score = model.evaluate(X_test, y_test, batch_size=16)
