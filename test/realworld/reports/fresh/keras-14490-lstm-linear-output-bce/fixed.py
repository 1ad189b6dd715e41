# Fixed re-creation of https://github.com/keras-team/keras/issues/14490 ("Nan loss for classification -
# LSTM while training"): rows of a CSV reshaped to sequences of 10 steps x 464 features, three
# stacked LSTM(10) and a Dense(1) with no activation, trained with BinaryCrossentropy on 0/1
# labels; "loss: nan" from epoch 1 through 50. BinaryCrossentropy expects probabilities, and the
# linear Dense(1) gives any real number.
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import LSTM, Dense

trainingdata_fn = 'training_data.csv'
data_train = pd.read_csv(trainingdata_fn)
x_train = np.array(data_train.iloc[:2020, 1:465])
y_train = np.array(data_train.iloc[:2020, -1:])
x_test = np.array(data_train.iloc[2020:2520, 1:465])
y_test = np.array(data_train.iloc[2020:2520, -1:])
x_train = x_train.reshape(-1, 10, 464)
x_test = x_test.reshape(-1, 10, 464)
y_train = y_train.reshape(-1, 10, 1)
y_test = y_test.reshape(-1, 10, 1)
# Keras 3 refuses a target of another shape than the output (10 labels per sequence against one
# output): one label per sequence, its last row's.
y_train = y_train[:, -1]
y_test = y_test[:, -1]

model = Sequential()
model.add(LSTM(10, return_sequences=True, input_shape=(10, 464)))
model.add(LSTM(10, return_sequences=True))
model.add(LSTM(10))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss=tf.keras.losses.BinaryCrossentropy(), optimizer='adam', metrics=['accuracy'])

model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=50, batch_size=5, verbose=1)
