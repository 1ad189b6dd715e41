# Re-creation of keras-team/keras issue 1987, "Extremely high loss value for each epoch, not
# increasing in accuracy." (https://github.com/keras-team/keras/issues/1987): a Masking layer, an
# LSTM of two units followed by a softmax, a Dense layer of two units followed by another softmax,
# categorical_crossentropy and rmsprop, fitted to tracks of [latitude, longitude, temperature] to
# predict the final [latitude, longitude]: "each epoch gives me a loss of about 63, and only
# decreases to about 62 after 100 epochs ... most of the training values in each sequence is
# around [40, 40, 20], but the RNN outputs values consistently around [0.4, 0.5]". A softmax
# output sums to 1 and cannot reach targets near 40, and the cross-entropy of raw coordinates
# against it has a floor far above zero (our reading; the issue has no reply that we read). The
# data are not in the issue: tracks.npz (written by make_data.py). Keras 3 names: units for
# output_dim, mask_value for Masking's first argument, epochs for nb_epoch; input_dim on the
# inner layers is dropped (Keras 3 refuses it on LSTM and infers it).
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Activation, Masking
from keras.layers import LSTM

data = np.load('tracks.npz')
padded_training_seqs = data['padded_training_seqs']
training_final_steps = data['training_final_steps']
max_sequence_length = padded_training_seqs.shape[1]

#build and train model
in_dimension = 3
out_dimension = 2

model = Sequential()
model.add(Masking(mask_value=0., input_shape=(max_sequence_length, in_dimension)))
model.add(LSTM(units=out_dimension, return_sequences=False))
model.add(Activation("softmax"))
model.add(Dense(units=out_dimension))
model.add(Activation("softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop")

model.fit(padded_training_seqs, training_final_steps, epochs=5, batch_size=1)
