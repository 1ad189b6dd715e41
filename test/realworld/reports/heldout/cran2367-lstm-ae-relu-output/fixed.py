# Fixed re-creation of https://github.com/cran2367/lstm_autoencoder_classifier/issues/2 ("How to choose
# the activation function of the last layer in LSTM autoencoder?"): the LSTM autoencoder of the
# rare-event article, on data standardized with StandardScaler, ends in relu, so the part of the
# data below 0 can never be reconstructed and the reconstruction error does not fall near 0.
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from keras.models import Sequential
from keras.layers import LSTM, Dense, RepeatVector, TimeDistributed
from keras import optimizers

df = pd.read_csv("processminer-rare-event.csv")
input_X = df.loc[:, df.columns.difference(['y', 'time'])].values
lookback = 5


def temporalize(X, lookback):
    output_X = []
    for i in range(len(X) - lookback - 1):
        t = []
        for j in range(1, lookback + 1):
            t.append(X[[(i + j + 1)], :])
        output_X.append(t)
    return output_X


scaler = StandardScaler().fit(input_X)
X_scaled = scaler.transform(input_X)
X = np.array(temporalize(X_scaled, lookback))
X = X.reshape(X.shape[0], lookback, X.shape[-1])
timesteps = X.shape[1]
n_features = X.shape[2]

lstm_autoencoder = Sequential()
# Encoder
lstm_autoencoder.add(LSTM(32, activation='relu', input_shape=(timesteps, n_features), return_sequences=True))
lstm_autoencoder.add(LSTM(16, activation='relu', return_sequences=False))
lstm_autoencoder.add(RepeatVector(timesteps))
# Decoder
lstm_autoencoder.add(LSTM(16, activation='relu', return_sequences=True))
lstm_autoencoder.add(LSTM(32, activation='relu', return_sequences=True))
lstm_autoencoder.add(TimeDistributed(Dense(n_features)))

adam = optimizers.Adam(0.0001)
lstm_autoencoder.compile(loss='mse', optimizer=adam)
lstm_autoencoder.fit(X, X, epochs=20, batch_size=64, validation_split=0.1, verbose=2)
