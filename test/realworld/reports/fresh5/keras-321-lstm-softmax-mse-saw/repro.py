# Re-creation of keras-team/keras issue 321, "LSTM with mean_squared_error doesn't reduce the loss
# over time" (https://github.com/keras-team/keras/issues/321). "I am trying to use LSTM on this
# terribly simple data - just saw-like sequence of two columns from 1 to 10" with
#     model.add(LSTM(2, 150, return_sequences=False))
#     model.add(Dense(150, 2))
#     model.add(Activation('softmax'))
#     model.compile(loss="mean_squared_error", optimizer="rmsprop")
#     model.fit(X_train, y_train, batch_size=450, nb_epoch=40, validation_split=0.05)
# "I get all the time the exactly same value of loss function on end of each epoch", whatever the
# number of samples. The two softmax outputs always sum to 1, so they cannot come near targets
# from 1 to 10, and the loss stays near the targets' mean square. The data generation is in a
# gist the thread links to, which was not read; ours: a DataFrame of two saw-tooth columns
# counting 1 to 10 (the second a few steps out of phase), cut into windows of 10 rows whose
# target is the next row, 10,000 windows.
# Keras 3 names: LSTM(150) and Dense(2) for the Keras 0.1 (input_dim, output_dim) signatures, an
# Input layer, epochs for nb_epoch.
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, Activation, Input
from keras.layers import LSTM

n_rows = 10011
df = pd.DataFrame({'a': np.arange(n_rows) % 10 + 1, 'b': (np.arange(n_rows) + 3) % 10 + 1})
data = df.values.astype('float32')
steps = 10
X_train = np.array([data[i:i + steps] for i in range(len(data) - steps - 1)])
y_train = np.array([data[i + steps] for i in range(len(data) - steps - 1)])

model = Sequential()
model.add(Input(shape=(steps, 2)))
model.add(LSTM(150, return_sequences=False))
model.add(Dense(2))
model.add(Activation('softmax'))
model.compile(loss="mean_squared_error", optimizer="rmsprop")

model.fit(X_train, y_train, batch_size=450, epochs=40, validation_split=0.05)
