# Re-creation of hunkim/DeepLearningZeroToAll pull request 11, "change optimizer from sgd to
# rmsprop for keras linear regression" (https://github.com/hunkim/DeepLearningZeroToAll/pull/11),
# opened with a pointer to the Stack Overflow question "NaN when training regression net using
# Keras and Theano". The file it changed, klab-04-1-multi_input_linear_regression.py as it stood
# before the change (commit 52f9349's parent): three test scores per student (73 to 100) predict
# a final score (142 to 196) with one Dense unit, mse, plain 'sgd', 1000 epochs. The scores are
# used as they are, so SGD's default step (0.01) on gradients in the tens of thousands overshoots
# and the weights blow up. This is the pull request's fix: optimizer='rmsprop'.
# Keras 3 names: units and an Input layer for output_dim/input_dim, epochs for nb_epoch; the
# compile call's lr=1e-10, which Keras 1 ignored (compile passed unknown keywords on to the
# backend function), is dropped as Keras 3 refuses unknown keywords; the lists become arrays.
from keras.models import Sequential
from keras.layers import Dense, Activation, Input
import numpy as np

x_data = [[73., 80., 75.], [93., 88., 93.], [
    89., 91., 90.], [96., 98., 100.], [73., 66., 70.]]
y_data = [[152.], [185.], [180.], [196.], [142.]]
x_data = np.array(x_data)
y_data = np.array(y_data)

model = Sequential()
model.add(Input(shape=(3,)))
model.add(Dense(units=1))
model.add(Activation('linear'))

model.compile(loss='mse', optimizer='rmsprop')
model.fit(x_data, y_data, epochs=1000)

y_predict = model.predict(np.array([[95., 100., 80]]))
print(y_predict)
