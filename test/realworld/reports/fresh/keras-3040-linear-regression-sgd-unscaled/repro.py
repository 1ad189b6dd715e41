# Re-creation of https://github.com/keras-team/keras/issues/3040 ("Simple Linear Regression Nan's
# after a few iterations"): one Dense(1) fitted to y = 2x for x = 0..199 with SGD(lr=0.001),
# batch_size=1; the weights go to nan. The reporter: "realized my learning rate was too high" (the
# inputs run to 199, so each step's gradient is hundreds of times the weight). Keras 3 names `lr`
# `learning_rate` and has no `decay` argument (1e-6 per step: 0.02% over the 200 steps), nor
# `nb_epoch`, and wants `momentum` a float (0.0 for 0); `print layer` is Python 2.
import numpy as np
import os
os.environ['KERAS_BACKEND'] = 'tensorflow'
import tensorflow as tf
from keras.models import Sequential
from keras.layers import Dense, Activation
from keras.optimizers import SGD

x = 1.0*np.array(range(200))
y = 2.0*x

model = Sequential()
model.add(Dense(1, input_dim=1))

sgd = SGD(learning_rate=0.001, momentum=0.0, nesterov=False)
model.compile(loss='mean_squared_error', optimizer=sgd)
model.fit(x, y, epochs=1, batch_size=1)
score = model.predict(x[:10], batch_size=10)
for layer in model.layers:
    weights = layer.get_weights()
    print(layer)
    print(weights)
print(score)
