# The fix of keras-team/keras issue 2051 (https://github.com/keras-team/keras/issues/2051), ours:
# the layers keep Keras's default initialiser (glorot_uniform) in place of init='uniform' in
# [-0.05, 0.05], so that the gradient reaches the hidden weights.
import numpy
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD

data = numpy.genfromtxt('data.csv', delimiter=';', skip_header=True, skip_footer=False)

scale = numpy.max(data)
data /= scale

y = data[:, :1]
x = data[:, 1:]

model = Sequential()
model.add(keras.Input(shape=(x.shape[1],)))
model.add(Dense(7, activation='linear'))
model.add(Dense(4, activation='tanh'))
model.add(Dense(y.shape[1], activation='linear'))

sgd = SGD(learning_rate=0.06, momentum=0.5, nesterov=False)
model.compile(loss='mean_squared_error', optimizer=sgd)
model.fit(x, y, epochs=2, batch_size=1, shuffle=False)

print(model.predict(x, batch_size=1)*scale)
