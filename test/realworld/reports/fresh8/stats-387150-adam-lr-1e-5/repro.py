# Re-creation of Cross Validated question 387150, "Training error not decreasing on the training
# set" (https://stats.stackexchange.com/questions/387150): an MLP with 1 hidden layer of 10 units
# (keras for R: layer_dense(10, input_shape = c(1)), layer_dense(activation = "linear", units =
# 1)), mean_squared_error, optimizer_adam(lr = 0.00001), batch_size = 32, epochs = 10000, on three
# points xs1 = (-1, 0, 1), ys1 = (-0.2445248, 0.1232554, 0.1713998): "I would like to have 0 error
# on this training set. However, this is how convergence looks like: ... loss: 0.0084 ... 0.0066"
# after 35 epochs. No answer was read; the learning rate of 1e-5 moves each weight by about 1e-5 a
# step, one step an epoch here. The same calls in Python (lr is learning_rate in Keras 3).
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Dense
from keras.optimizers import Adam

Xtrain = np.array([-1.0, 0.0, 1.0]).reshape(3, 1)
Ytrain = np.array([-0.2445248, 0.1232554, 0.1713998]).reshape(3, 1)

model = Sequential()
model.add(Input(shape=(1,)))
model.add(Dense(10))
model.add(Dense(units=1, activation="linear"))

model.compile(loss='mean_squared_error', optimizer=Adam(learning_rate=0.00001))
model.fit(Xtrain, Ytrain, batch_size=32, epochs=10000, verbose=2)
