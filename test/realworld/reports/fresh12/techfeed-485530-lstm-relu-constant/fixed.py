# The fix for the Stack Overflow question mirrored at https://techfeed.net/es/485530/, ours: the
# LSTM layers with their default tanh activation and default initializers (no relu, no
# RandomUniform(-0.05, 0.05)); the rest is the question's model.
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

model.add(LSTM(return_sequences=True, units=800, dropout=0.5, recurrent_dropout=0.2, input_shape=(x_train.shape[1], x_train.shape[2]) ))
model.add(LSTM(return_sequences=False, units=500, dropout=0.5, recurrent_dropout=0.2 ))

model.add(Dense(1024, activation='linear', kernel_initializer=init))
model.add(BatchNormalization())
model.add(Dropout(0.5))
model.add(Dense(1, activation='linear', kernel_initializer= 'normal'))

model.compile(loss='mean_squared_error', optimizer='rmsprop' )
model.summary()

model.fit(x_train, y_train, epochs=20, validation_split=0.1)
predictions = model.predict(x_train)
print('spread of the predictions:', predictions.std(), 'of the targets:', y_train.std())
