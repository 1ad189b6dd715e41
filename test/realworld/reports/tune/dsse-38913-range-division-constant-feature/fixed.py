# Fixed re-creation of https://datascience.stackexchange.com/questions/38913 ("normalizing data and
# avoiding dividing by zero"): data compressed with a 3-layer autoencoder, normalized with
# x(i) - xmean / (xmax - xmin); several features have max == min, giving NaN.
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense

df = pd.read_csv('sensors.csv')
data = df.loc[:, df.max() != df.min()].values

xmean = data.mean(axis=0)
xmax = data.max(axis=0)
xmin = data.min(axis=0)
data_norm = (data - xmean) / (xmax - xmin)

n_features = data_norm.shape[1]
autoencoder = Sequential()
autoencoder.add(Dense(8, activation='tanh', input_shape=(n_features,)))
autoencoder.add(Dense(n_features, activation='tanh'))
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(data_norm, data_norm, epochs=20, batch_size=64, validation_split=0.1)
