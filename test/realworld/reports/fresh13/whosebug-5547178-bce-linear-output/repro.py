# Re-creation of the Stack Overflow question "Basic Tensorflow Model shows random outcomes", read on
# the whosebug.com mirror
# (https://www.whosebug.com/index.php/question/5547178/Basic-Tensorflow-Model-shows-random-outcomes):
# a tf.keras classifier meant to map [1, 1] to 1 and the other three 0/1 pairs to 0, Dense(2, relu),
# Dense(128, relu) and a Dense(1) with no activation, compiled with BinaryCrossentropy(), the
# Accuracy() metric and adam, fit for 1000 epochs on the four pairs: "sometimes the output is
# completely wrong ... [[0.]] [[0.]] [[0.]] [[0.]] and the model is never accurate ... loss: 3.8562",
# other runs give other results. The answer (read on the xue-jishu.com copy of the thread): "since you
# have a binary classification problem (binary cross-entropy loss and an accuracy metric), you should
# not use a linear activation in the last layer, which is the default when you do not specify
# anything". The re-creation is the question's code as written (its data are in the script); for
# Keras 3 the four pairs are passed as NumPy arrays.
import numpy as np
from tensorflow.keras import layers, models
from tensorflow import keras

data = [[1., 1.], [1., 0.], [0., 1.], [0., 0.]]
results = [[1.], [0.], [0.], [0.]]


def build_model():
  model = models.Sequential()

  model.add(layers.Dense(len(data[0]), activation='relu'))
  model.add(layers.Dense(128, activation='relu'))
  model.add(layers.Dense(1))

  model.compile(loss=keras.losses.BinaryCrossentropy(), metrics=[keras.metrics.Accuracy()], optimizer='adam')

  return model


model = build_model()

model.fit(np.array(data), np.array(results), epochs=1000)
model.summary()

print(model.predict(np.array([data[0]])))
print(model.predict(np.array([data[1]])))
print(model.predict(np.array([data[2]])))
print(model.predict(np.array([data[3]])))
