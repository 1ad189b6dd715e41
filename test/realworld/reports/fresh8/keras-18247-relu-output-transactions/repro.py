# Re-creation of keras-team/keras issue 18247, "Neural Network generates zeros as predictions"
# (https://github.com/keras-team/keras/issues/18247): daily debit transactions of 15 bank
# branches, missing values interpolated with method='time', weekends and holidays filled with 0,
# and for each branch the model BatchNormalization, Dense(32, 64, 128, relu), Flatten,
# Dense(1, activation='relu'), mean_squared_error, Adam(), batch_size=31: "the model fits very
# well on some branches while for rest ... it generates zeros as predictions". No reply was read;
# our reading: the targets are raw amounts in the hundreds of thousands, which Adam's steps of
# 0.001 cannot reach, and a relu output that goes negative gives 0 with no gradient. The data and
# the windows are not in the issue: transactions.csv is written by make_data.py, and each sample
# is the 7 previous days of the branch (X) for the next day's amount (y); one branch is fitted.
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, LSTM, Flatten, BatchNormalization, Dropout
from keras.optimizers import Adam

df = pd.read_csv("transactions.csv", index_col="date", parse_dates=True)
df = df.asfreq("D")
df.interpolate(method='time', axis=0, inplace=True)
df.fillna(0, inplace=True)

epochs = 20
lookback = 7
series = df["1001"].values
X = np.array([series[i:i + lookback] for i in range(len(series) - lookback)])
y = series[lookback:]

model = Sequential()
model.add(BatchNormalization())
model.add(Dense(32 , activation='relu'))
model.add(Dense(64, activation='relu'))
model.add(Dense(128, activation='relu'))
model.add(Flatten())
model.add(Dense(1, activation='relu'))
model.compile(loss='mean_squared_error', optimizer=Adam())
model.fit(X, y, epochs=epochs, batch_size=31, verbose=0)
