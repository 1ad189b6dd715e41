# Re-creation of the Cross Validated question "Learning a simple sequence with RNN (Keras)"
# (https://stats.stackexchange.com/questions/329619, read on a mirror:
# https://wiki.hoelee.com/content/stats.stackexchange.com_en_all_2022-05/questions/329619/learning-a-simple-sequence-with-rnn-keras):
# random integers 0-100 as X, Y the input two steps back (the first two rows, NA, dropped), a
# SimpleRNN(2) on inputs reshaped to (rows, 1, 1), Dense(1), adam and mse, 200 epochs at batch 5:
# "this implementation results in a local minima which predicts constant value (~50) for all test
# observations". The re-creation is the question's code with the data made as it says (a pandas
# frame with X and Y = X shifted by 2, NA rows dropped); its model.SimpleRNN(2, ...) typo is
# model.add(SimpleRNN(2, ...)). The cause, our reading (no answer text was read): each sample is a
# single time step, so the network never sees the value two steps back and can only learn the mean,
# and the raw 0-100 inputs saturate the SimpleRNN's tanh.
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import SimpleRNN, Dense

x = np.random.randint(0, 100, size=2000)
df = pd.DataFrame({'X': x})
df['Y'] = df['X'].shift(2)
df = df.dropna()

xtrain = np.reshape(df['X'].values, (df.shape[0], 1, 1))
# to match dimension of input shape for SimpleRNN layer.
model = Sequential()
model.add(SimpleRNN(2, input_shape=(None, 1)))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
model.fit(x=xtrain, y=df['Y'], epochs=200, batch_size=5)
