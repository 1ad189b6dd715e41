# The fix of keras-team/keras issue 1987 (ours; the issue has no reply that we read): a regression
# of the coordinates, with a linear output and mean squared error, the readings (not the zero
# padding) and the targets standardized with their training mean and standard deviation; the LSTM
# keeps its output without a softmax.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Activation, Masking
from keras.layers import LSTM

data = np.load('tracks.npz')
padded_training_seqs = data['padded_training_seqs']
training_final_steps = data['training_final_steps']
max_sequence_length = padded_training_seqs.shape[1]
readings = padded_training_seqs.any(axis=-1)
padded_training_seqs[readings] = (padded_training_seqs[readings] - padded_training_seqs[readings].mean(axis=0)) / padded_training_seqs[readings].std(axis=0)
training_final_steps = (training_final_steps - training_final_steps.mean(axis=0)) / training_final_steps.std(axis=0)

#build and train model
in_dimension = 3
out_dimension = 2

model = Sequential()
model.add(Masking(mask_value=0., input_shape=(max_sequence_length, in_dimension)))
model.add(LSTM(units=out_dimension, return_sequences=False))
model.add(Dense(units=out_dimension))
model.compile(loss="mean_squared_error", optimizer="rmsprop")

model.fit(padded_training_seqs, training_final_steps, epochs=5, batch_size=1)
