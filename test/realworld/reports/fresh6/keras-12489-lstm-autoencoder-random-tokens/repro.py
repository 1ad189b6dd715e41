# Re-creation of keras-team/keras issue 12489, "How to train LSTM autoencoder for long sequences?
# Does not learn." (https://github.com/keras-team/keras/issues/12489). The poster's model,
# complete in the thread: LSTM(200) encoder on one-hot sequences of 100 steps over 50 tokens,
# RepeatVector(100), LSTM(200, return_sequences=True) decoder, TimeDistributed(Dense(50,
# softmax)), categorical cross-entropy, adam, trained to echo "random genered sequence of the 50
# tokens": "after almost 10 hours training my network does not learn, loss not decreasing and
# accuracy not increasing". The sequences are written by make_data.py (sequences.npy, token ids;
# one-hot encoded here); the batch size and epochs, which the thread does not give, are ours. No
# reply naming a cause was read; our reading: the whole 100-step sequence of independent random
# tokens has to pass through one 200-unit state, and the loss stays at the entropy of a uniform
# guess (log 50).
# Keras 3 names: keras.utils.to_categorical.
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, RepeatVector, TimeDistributed, Dense
from keras.utils import to_categorical

encoder_cell=200
decoder_cell=200
n_in=100
n_out=100
code_len=50 # one hot encoded input of 50 tokens

sequences = np.load("sequences.npy")
X = to_categorical(sequences, num_classes=code_len)

model = Sequential()
model.add(LSTM(encoder_cell, input_shape=(n_in, code_len), stateful=False)) # From 4.3 on
model.add(RepeatVector(n_out))
model.add(LSTM(decoder_cell, return_sequences=True, stateful=False))
model.add(TimeDistributed(Dense(code_len, activation='softmax')))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['acc'])
model.fit(X, X, batch_size=32, epochs=50)
