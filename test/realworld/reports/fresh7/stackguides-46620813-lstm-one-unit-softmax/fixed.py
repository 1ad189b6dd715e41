# Re-creation of a Stack Overflow question (46620813) read on a mirror, "Keras LSTM model not
# learning binary sequence" (https://stackguides.com/questions/46620813/keras-lstm-model-not-learning-binary-sequence):
# a binary sequence of {0, 1}; each window of the 3 previous numbers predicts the next. vecX has
# shape (n, 3, 1), vecY (n, 1); LSTM(1, input_shape=(3, 1)), Dense(1, activation="softmax"),
# adagrad, binary_crossentropy, batch_size=256, epochs=100: "it gets stuck with constant accuracy
# during the whole training process ... loss: 0.7534 - acc: 0.4992" and "gives only constant 0
# predictions". No reply was read; the standard answer to a softmax over one unit (it is 1 for
# every input) is a sigmoid output (fixed.py). The sequence is written by make_data.py (sequence.csv).
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, Input

seq = np.loadtxt("sequence.csv", dtype=int)
vecX = np.array([seq[i:i + 3] for i in range(len(seq) - 3)]).reshape(-1, 3, 1)
vecY = seq[3:].reshape(-1, 1)

LSTM_net = Sequential()
LSTM_net.add(Input(shape=(3, 1)))
LSTM_net.add(LSTM(1))
LSTM_net.add(Dense(1, activation="sigmoid"))
LSTM_net.compile(optimizer="adagrad", loss="binary_crossentropy", metrics=["accuracy"])
LSTM_net.fit(vecX, vecY, batch_size=256, epochs=100, verbose=2)
