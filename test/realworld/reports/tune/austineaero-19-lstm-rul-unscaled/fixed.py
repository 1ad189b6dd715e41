# Fixed re-creation of https://github.com/austineaero/Remaining-Useful-Life-RUL-Estimation/issues/19
# ("Model loss is NaN", "The loss goes to nan after the first epoch"): an LSTM estimating the
# remaining useful life from the raw C-MAPSS sensor columns. The maintainer: check that the data
# is normalised (LSTMs hate unscaled data), lower the learning rate, add clipvalue=1.0.
import numpy as np
import pandas as pd
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import LSTM, Dense, Dropout
from tensorflow.keras.optimizers import Adam

cols = ['unit', 'cycle', 'op1', 'op2', 'op3'] + ['s%d' % i for i in range(1, 22)]
train = pd.read_csv('train_FD001.txt', sep=' ', header=None, names=cols)
from sklearn.preprocessing import MinMaxScaler
train[cols[2:]] = MinMaxScaler().fit_transform(train[cols[2:]])
train['RUL'] = train.groupby('unit')['cycle'].transform('max') - train['cycle']

sequence_length = 50
feature_cols = cols[2:]


def gen_sequence(df, seq_length, columns):
    data = df[columns].values
    for start, stop in zip(range(0, len(data) - seq_length), range(seq_length, len(data))):
        yield data[start:stop, :]


seq_gen = (list(gen_sequence(train[train['unit'] == id], sequence_length, feature_cols))
           for id in train['unit'].unique())
seq_array = np.concatenate(list(seq_gen)).astype(np.float32)
label_gen = [train[train['unit'] == id]['RUL'].values[sequence_length:] for id in train['unit'].unique()]
label_array = np.concatenate(label_gen).astype(np.float32)

model = Sequential()
model.add(LSTM(units=100, return_sequences=True, input_shape=(sequence_length, len(feature_cols))))
model.add(Dropout(0.2))
model.add(LSTM(units=50, return_sequences=False))
model.add(Dropout(0.2))
model.add(Dense(units=1, activation='linear'))
model.compile(loss='mean_squared_error', optimizer=Adam(learning_rate=0.01))
model.fit(seq_array, label_array, epochs=5, batch_size=200, validation_split=0.05)
