# Re-creation of the Stack Overflow question "Keras multi-layer LSTM model stock price predictions
# converge to a constant value", read on a mirror (https://techfeed.net/es/485530/, in Spanish): a
# multi-layer LSTM regression predicting the next frame's value, LSTM(800, activation='relu',
# return_sequences=True) and LSTM(500, activation='relu'), both with
# kernel_initializer=RandomUniform(-0.05, 0.05), dropout=0.5 and recurrent_dropout=0.2, then
# Dense(1024, linear), BatchNormalization, Dropout(0.5) and Dense(1, linear), compiled with
# mean_squared_error and rmsprop, 20 epochs: "the predictions converge to a constant value" (about
# -0.1), more so the more epochs. The re-creation is the question's model; x_train is not shown, so
# it is filled in as the next-frame stock tutorials of the time made it: windows of 20 days of Close
# and Volume from stock.csv (make_data.py, a stand-in), each normalized to its first day
# (p / p0 - 1), the target the next day's normalized Close; fit at the default batch of 32 with a
# 0.1 validation split. The Keras 2 module paths (keras.layers.core, tensorflow.python.keras) are
# keras.layers and keras.initializers. The cause, our reading (the mirror shows no answer text): relu
# in the LSTM's cell and output activations instead of tanh, with small uniform initial weights, so
# the recurrent state either dies at 0 or grows, and the network falls back to the mean.
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, Activation, Dropout
from keras.layers import LSTM, BatchNormalization
from keras.initializers import RandomUniform

seq_len = 20
data = pd.read_csv('stock.csv').get(['Close', 'Volume']).values.astype(float)
windows = np.array([data[i:i + seq_len + 1] for i in range(len(data) - seq_len)])
windows = windows / windows[:, :1, :] - 1
x_train = windows[:, :-1, :]
y_train = windows[:, -1, 0]

init = RandomUniform(minval=-0.05, maxval= 0.05)

model = Sequential()

model.add(LSTM(kernel_initializer=init, activation='relu', return_sequences=True, units=800, dropout=0.5, recurrent_dropout=0.2, input_shape=(x_train.shape[1], x_train.shape[2]) ))
model.add(LSTM(kernel_initializer=init, activation='relu', return_sequences=False, units=500, dropout=0.5, recurrent_dropout=0.2 ))

model.add(Dense(1024, activation='linear', kernel_initializer=init))
model.add(BatchNormalization())
model.add(Dropout(0.5))
model.add(Dense(1, activation='linear', kernel_initializer= 'normal'))

model.compile(loss='mean_squared_error', optimizer='rmsprop' )
model.summary()

model.fit(x_train, y_train, epochs=20, validation_split=0.1)
predictions = model.predict(x_train)
print('spread of the predictions:', predictions.std(), 'of the targets:', y_train.std())
