# keras-team/keras#1939 (see repro.py) with a fix: the word indices, which run to the size of the
# vocabulary, scaled into [0, 1] before the fit. The fix is ours; no reply in the thread was read.
import numpy as np
from keras.models import Sequential
from keras.layers import Input, LSTM

db = open('db.txt').read().splitlines()

words = [0, '<!END!>']
X_train = np.zeros((len(db), 1, 100), dtype=int)
for i, ln in enumerate(db):
    g = ln.lower().split(' ')
    for iw, word in enumerate(g[:99]):
        try:
            X_train[i][0][iw] = words.index(word)
        except:
            words.append(word)
            X_train[i][0][iw] = words.index(word)
    X_train[i][0][iw+1] = 1
# The fix (ours; no reply in the thread was read): scale the indices into [0, 1] by the vocabulary size.
X_train = X_train / float(len(words))
model = Sequential()
model.add(Input(shape=(1, 100)))
model.add(LSTM(256, return_sequences=True))
model.add(LSTM(100, return_sequences=True, activation='linear'))
model.compile(optimizer='rmsprop', loss='mse')
model.fit(X_train, X_train, epochs=3000, verbose=1, batch_size=128)
