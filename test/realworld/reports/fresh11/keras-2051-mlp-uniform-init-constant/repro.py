# Re-creation of keras-team/keras issue 2051, "Simple mlp with one hidden layer keeps predicting same
# number for all training examples" (https://github.com/keras-team/keras/issues/2051): a stock price
# predicted from its previous values by Dense(7, linear), Dense(4, tanh) and Dense(1, linear), all
# with init='uniform', under mean squared error and SGD(lr=0.06, decay=1e-6, momentum=0.5), two
# epochs at batch 1 on the data divided by its maximum: "This model minimizes its lost function and
# weights are changing, but when I'm trying to actualy predict prices using trainig examples, I'm
# getting an array with fixed number". The re-creation is the issue's code; data.csv (make_data.py)
# is a stand-in price series in the ';'-separated layout it reads; Keras 1's init='uniform' (uniform
# in [-0.05, 0.05]) is written as kernel_initializer=RandomUniform(-0.05, 0.05), nb_epoch as
# epochs, input_dim as an Input, and SGD's decay, which Keras 3 does not have (1e-6 a step, a 0.5%
# change over the two epochs), is left out. The cause, three layers of weights a hundredth the size
# of the default initialiser's, so that the gradient reaching them is tiny and only the output bias
# (the mean price) is learned, is our reading of the thread.
import numpy
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD
from keras.initializers import RandomUniform

data = numpy.genfromtxt('data.csv', delimiter=';', skip_header=True, skip_footer=False)

scale = numpy.max(data)
data /= scale

y = data[:, :1]
x = data[:, 1:]

model = Sequential()
model.add(keras.Input(shape=(x.shape[1],)))
model.add(Dense(7, kernel_initializer=RandomUniform(-0.05, 0.05), activation='linear'))
model.add(Dense(4, kernel_initializer=RandomUniform(-0.05, 0.05), activation='tanh'))
model.add(Dense(y.shape[1], kernel_initializer=RandomUniform(-0.05, 0.05), activation='linear'))

sgd = SGD(learning_rate=0.06, momentum=0.5, nesterov=False)
model.compile(loss='mean_squared_error', optimizer=sgd)
model.fit(x, y, epochs=2, batch_size=1, shuffle=False)

print(model.predict(x, batch_size=1)*scale)
