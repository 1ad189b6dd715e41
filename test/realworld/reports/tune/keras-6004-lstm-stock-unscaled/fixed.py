# Fixed re-creation of https://github.com/keras-team/keras/issues/6004 ("Inconsistency for decreasing
# loss"): an LSTM stock-prediction script on GOOGLE prices; sometimes the loss reaches 0.3 within
# 500 epochs, sometimes it is still 3.x after 1500. The reporter: "By applying normalization, the
# problem will be solved".
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation, LSTM

stock_name = 'GOOGL'
seq_len = 22
d = 0.2
shape = [5, seq_len, 1]
neurons = [128, 128, 32, 1]
epochs = 10


def get_stock_data(stock_name):
    df = pd.read_csv(stock_name + '.csv', index_col='Date')
    df = df[['Open', 'High', 'Low', 'Close', 'Volume']]
    df = (df - df.min()) / (df.max() - df.min())
    return df


def load_data(stock, seq_len):
    amount_of_features = len(stock.columns)
    data = stock.values
    sequence_length = seq_len + 1
    result = []
    for index in range(len(data) - sequence_length):
        result.append(data[index: index + sequence_length])
    result = np.array(result)
    row = round(0.9 * result.shape[0])
    train = result[:int(row), :]
    X_train = train[:, :-1]
    y_train = train[:, -1][:, -2]
    X_test = result[int(row):, :-1]
    y_test = result[int(row):, -1][:, -2]
    X_train = np.reshape(X_train, (X_train.shape[0], X_train.shape[1], amount_of_features))
    X_test = np.reshape(X_test, (X_test.shape[0], X_test.shape[1], amount_of_features))
    return [X_train, y_train, X_test, y_test]


def build_model(layers, neurons, d):
    model = Sequential()
    model.add(LSTM(neurons[0], input_shape=(layers[1], layers[0]), return_sequences=True))
    model.add(Dropout(d))
    model.add(LSTM(neurons[1], input_shape=(layers[1], layers[0]), return_sequences=False))
    model.add(Dropout(d))
    model.add(Dense(neurons[2], kernel_initializer="uniform", activation='relu'))
    model.add(Dense(neurons[3], kernel_initializer="uniform", activation='linear'))
    model.compile(loss='mse', optimizer='adam', metrics=['accuracy'])
    return model


df = get_stock_data(stock_name)
X_train, y_train, X_test, y_test = load_data(df, seq_len)
model = build_model(shape, neurons, d)
model.fit(X_train, y_train, batch_size=512, epochs=epochs, validation_split=0.1, verbose=1)
