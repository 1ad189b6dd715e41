# Re-creation of https://community.deeplearning.ai/t/loss-values-do-not-change/324182 ("Loss values
# do not change"): Dense(4, relu), Dense(2, relu) and Dense(1, relu) fitted with MSE and Adam(0.001)
# to the seven points of y = 2x - 1 for x = -1..5; "most of the time ... the loss values do not
# change and stick with a specific value. It happens 6 or 7 times from 10 times of running." Two of
# the targets (-3, -1) are negative, which a relu output cannot give, and a relu unit that starts
# (or ends up) below zero for every input passes no gradient. The code is the poster's (the forum
# turned its quotes into curly ones); Keras 3 refuses a list in `predict`, so [10] is an array.
import numpy as np

x = np.array([[-1.0, 0.0 , 1.0, 2.0, 3.0, 4.0, 5.0]])

y = np.array([[-3.0, -1.0, 1.0, 3.0, 5.0, 7.0, 9.0]])

x = np.reshape(x,(7,1))

y = np.reshape(y,(7,1))

from tensorflow import keras

from keras import Model

from keras.models import Sequential

from keras.layers import Input, Dense

input_1 = Input(shape=(1,))

dense_1 = Dense(4, activation='relu')(input_1)

dense_2 = Dense(2, activation='relu')(dense_1)

dense_3 = Dense(1, activation='relu')(dense_2)

model_2 = Model(inputs= input_1, outputs = dense_3)

model_2.compile(loss = keras.losses.MeanSquaredError(),

optimizer = keras.optimizers.Adam(0.001))

model_2.fit(x,y, epochs=500)

print(model_2.predict(np.array([[10]])))
