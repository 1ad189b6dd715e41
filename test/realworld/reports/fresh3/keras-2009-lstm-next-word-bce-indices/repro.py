# Re-creation of https://github.com/keras-team/keras/issues/2009 ("Word embedding (predicting next
# word)"): x a window of maxlen word indices, y the index of the next word, Embedding(vocsize, 128),
# LSTM(256, return_sequences=True), Dropout(0.2), LSTM(256), Dropout(0.2), Dense(1), linear:
# "I get a loss of -5444.4293 steady for all epochs". The reply: y should be one-hot, not word
# indices. The posted compile line uses mse, which cannot be negative; the commented-out line,
# binary_crossentropy, gives such a loss (an output pinned near 1 against integer targets in the
# hundreds or thousands comes to about (1 - mean index) * 16.1), so that is the one run here. The
# text (make_data.py), the windows of 10 words (a later comment) and batch_size=128 are ours;
# Keras 3 names.
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

model.add(Dense(layers[3]))
model.add(Activation("linear"))
#model.add(Activation('sigmoid'))
#model.compile(loss="mse", optimizer="rmsprop")
model.compile(loss='binary_crossentropy', optimizer='rmsprop')
model.fit(x, y, batch_size=128, epochs=100)
