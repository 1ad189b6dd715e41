# keras-team/keras#2009 (see repro.py) with the reply's fix: the next word as a class over the
# vocabulary (a softmax Dense(vocsize)) instead of its index as one number. The integer targets with
# sparse_categorical_crossentropy stand in for the reply's one-hot rows (the same loss, less memory).
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Embedding, LSTM, Dropout, Dense, Activation

text = open('books.txt').read().split()
words = sorted(set(text))
word_index = {w: i for i, w in enumerate(words)}
vocsize = len(words)
maxlen = 10
x = np.array([[word_index[w] for w in text[i:i + maxlen]] for i in range(len(text) - maxlen)])
y = np.array([word_index[text[i + maxlen]] for i in range(len(text) - maxlen)])

model = Sequential()
layers = [maxlen,256,256,1]
model.add(Input(shape=(maxlen,)))
model.add(Embedding(vocsize, 128))

model.add(LSTM(layers[1], return_sequences=True))
model.add(Dropout(0.2))

model.add(LSTM(layers[2], return_sequences=False))
model.add(Dropout(0.2))

model.add(Dense(vocsize))
model.add(Activation('softmax'))
model.compile(loss='sparse_categorical_crossentropy', optimizer='rmsprop')
model.fit(x, y, batch_size=128, epochs=100)
