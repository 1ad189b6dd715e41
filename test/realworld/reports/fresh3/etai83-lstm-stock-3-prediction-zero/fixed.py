# etai83/lstm_stock_prediction#3 (see repro.py) with the maintainer's two changes: the prices
# divided by 1000 instead of 100, and a window of 5 days instead of 22.
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation, Input
from keras.layers import LSTM

def get_stock_data(stock_name, normalized=0):
    col_names = ['Date','Open','High','Low','Close','Volume']
    stocks = pd.read_csv('GOOGL_stock.csv', header=0, names=col_names) 
    df = pd.DataFrame(stocks)
    df.drop(df.columns[[0,3,5]], axis=1, inplace=True) 
    return df

stock_name = 'GOOGL'
df = get_stock_data(stock_name,0)

df['High'] = df['High'] / 1000
df['Open'] = df['Open'] / 1000
df['Close'] = df['Close'] / 1000

def load_data(stock, seq_len):
    amount_of_features = len(stock.columns)
    data = stock.to_numpy() #pd.DataFrame(stock)
    sequence_length = seq_len + 1
    result = []
    for index in range(len(data) - sequence_length):
        result.append(data[index: index + sequence_length])

    result = np.array(result)
    row = round(0.9 * result.shape[0])
    train = result[:int(row), :]
    x_train = train[:, :-1]
    y_train = train[:, -1][:,-1]
    x_test = result[int(row):, :-1]
    y_test = result[int(row):, -1][:,-1]

    x_train = np.reshape(x_train, (x_train.shape[0], x_train.shape[1], amount_of_features))
    x_test = np.reshape(x_test, (x_test.shape[0], x_test.shape[1], amount_of_features))  

    return [x_train, y_train, x_test, y_test]

def build_model2(layers):
        d = 0.2
        model = Sequential()
        model.add(Input(shape=(layers[1], layers[0])))
        model.add(LSTM(128, return_sequences=True))
        model.add(Dropout(d))
        model.add(LSTM(64, return_sequences=False))
        model.add(Dropout(d))
        model.add(Dense(16,kernel_initializer='uniform',activation='relu'))        
        model.add(Dense(1,kernel_initializer='uniform',activation='relu'))
        model.compile(loss='mse',optimizer='adam',metrics=['accuracy'])
        return model

window = 5
X_train, y_train, X_test, y_test = load_data(df[::-1], window)

model = build_model2([3,window,1])

model.fit(
    X_train,
    y_train,
    batch_size=512,
    epochs=500,
    validation_split=0.1,
    verbose=0)
