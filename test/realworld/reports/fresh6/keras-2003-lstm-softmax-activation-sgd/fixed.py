# Fixed version of the re-creation of keras-team/keras issue 2003
# (https://github.com/keras-team/keras/issues/2003). Our fix (no reply was read): the Masking
# layer first, so it sees the [0,0,0] padding, and the LSTM's default tanh activation in place of
# the softmax; the rest as the poster had it.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Activation, Masking, Input
from keras.layers import LSTM
from keras.layers import BatchNormalization

padded_training_seqs = np.load("padded_training_seqs.npy")
training_final_steps = np.load("training_final_steps.npy")
max_sequence_length = padded_training_seqs.shape[1]

#build and train model
in_dimension = 3
hidden_neurons = 300
out_dimension = 2

model = Sequential()
model.add(Input(shape=(max_sequence_length, in_dimension)))
model.add(Masking(0.0))
model.add(LSTM(hidden_neurons, return_sequences=False))
model.add(Dense(out_dimension, activation='linear'))

model.compile(loss="mse", optimizer="sgd")
model.fit(padded_training_seqs, training_final_steps, epochs=5, batch_size=1)
