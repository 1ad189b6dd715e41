# The fix of the Stack Overflow question "Basic Tensorflow Model shows random outcomes"
# (https://www.whosebug.com/index.php/question/5547178/Basic-Tensorflow-Model-shows-random-outcomes),
# the answer's: the last Dense(1) gets a sigmoid activation, so that its output is the probability
# that binary cross-entropy expects; nothing else is changed.
import numpy as np
from tensorflow.keras import layers, models
from tensorflow import keras

data = [[1., 1.], [1., 0.], [0., 1.], [0., 0.]]
results = [[1.], [0.], [0.], [0.]]


def build_model():
  model = models.Sequential()

  model.add(layers.Dense(len(data[0]), activation='relu'))
  model.add(layers.Dense(128, activation='relu'))
  model.add(layers.Dense(1, activation='sigmoid'))

  model.compile(loss=keras.losses.BinaryCrossentropy(), metrics=[keras.metrics.Accuracy()], optimizer='adam')

  return model


model = build_model()

model.fit(np.array(data), np.array(results), epochs=1000)
model.summary()

print(model.predict(np.array([data[0]])))
print(model.predict(np.array([data[1]])))
print(model.predict(np.array([data[2]])))
print(model.predict(np.array([data[3]])))
