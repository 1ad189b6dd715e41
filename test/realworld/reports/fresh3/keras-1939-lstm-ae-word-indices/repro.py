# Re-creation of https://github.com/keras-team/keras/issues/1939 ("LSTM Autoencoder - insanely high
# loss"): sentences turned into word indices (0 padding, 1 the end marker, then each new word the
# next index), X_train of shape (len(db), 1, 100), an LSTM(256, return_sequences=True) and an
# LSTM(100, return_sequences=True, activation='linear'), optimizer 'rms', mse, fitted to reproduce
# X_train: "loss: 189790438 ... 177798999" after 102 epochs. The indices run to the size of the
# vocabulary and nothing scales them. db.txt is written by make_data.py (the thread does not give
# the text); the rest is the poster's code, with Keras 3's names (input shape, 'rmsprop', epochs).
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
model = Sequential()
model.add(Input(shape=(1, 100)))
model.add(LSTM(256, return_sequences=True))
model.add(LSTM(100, return_sequences=True, activation='linear'))
model.compile(optimizer='rmsprop', loss='mse')
model.fit(X_train, X_train, epochs=3000, verbose=1, batch_size=128)
