# Re-creation of keras-team/keras issue 2003, "Loss increasing after each epoch."
# (https://github.com/keras-team/keras/issues/2003). The poster's model, complete in the thread:
# BatchNormalization on the input, Masking([0,0,0]), LSTM(300, activation='softmax'), Dense(2,
# linear), mse, 'sgd', batch_size=1, 5 epochs, on sequences of [latitude, longitude, temperature]
# padded with [0,0,0] to predict the final [latitude, longitude]: "the first epoch gives me a loss
# of about 63, and increases after more epochs", and predictions sit around [0.4, 0.5] while the
# targets are around 40. The data are not in the thread: make_data.py writes 400 padded tracks
# (padded_training_seqs.npy) and their end points (training_final_steps.npy). No reply naming a
# cause was read; our reading: the softmax squashes the LSTM's state, the targets are left in the
# tens, and the BatchNormalization before the Masking turns the padding into values the mask no
# longer sees.
# Keras 3 names: epochs for nb_epoch, an Input layer for input_shape, a scalar mask_value.
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
model.add(BatchNormalization())
model.add(Masking(0.0))
model.add(LSTM(hidden_neurons, activation='softmax', return_sequences=False))
model.add(Dense(out_dimension, activation='linear'))

model.compile(loss="mse", optimizer="sgd")
model.fit(padded_training_seqs, training_final_steps, epochs=5, batch_size=1)
