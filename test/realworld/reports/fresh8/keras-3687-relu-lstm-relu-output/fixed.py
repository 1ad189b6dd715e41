# The fix of keras-team/keras issue 3687 (ours; no reply was read): the LSTMs keep their default
# tanh, the output is linear, and Adam at its default rate replaces SGD at momentum 0.99.
# Re-creation of keras-team/keras issue 3687, "Predictions are all zero"
# (https://github.com/keras-team/keras/issues/3687): a "many to many" regression RNN, LSTM(768)
# and LSTM(256) with activation='relu' and return_sequences=True, TimeDistributed(Dense(1,
# activation='relu')), SGD(lr=0.01, decay=1e-6, momentum=0.99, nesterov=True), mean_squared_error,
# trained batch by batch with train_on_batch: the predictions after each epoch are all zero. No
# reply was read; our reading: relu inside the LSTM cells with SGD at momentum 0.99 lets the
# recurrent activations blow up, and a relu output that has died predicts 0. The data are not in
# the issue: make_data.py writes series.npz (100 time steps, a target in [0, 1] at each step);
# fit stands in for the train_on_batch loop over mig.Xy_gen, output_dim is units and lr is
# learning_rate (decay is dropped: Keras 3 has no such argument).
import numpy as np
from keras.models import Sequential
from keras.layers import Input, LSTM, TimeDistributed, Dense
from keras.optimizers import Adam

data = np.load("series.npz")
X_train, y_train = data["X_train"], data["y_train"]
BATCH_SIZE = 32
NUM_EPOCH = 20


def RNN_keras(feat_num, timestep_num=100):
    model = Sequential()
    model.add(Input(shape=(timestep_num, feat_num)))
    model.add(LSTM(units=768, return_sequences=True))
    model.add(LSTM(units=256, return_sequences=True))
    model.add(TimeDistributed(Dense(units=1)))  # sequence labeling

    model.compile(loss='mean_squared_error',
                  optimizer=Adam(),
                  metrics=['mean_squared_error'])

    return model


rnn = RNN_keras(X_train.shape[2], X_train.shape[1])
rnn.fit(X_train, y_train, batch_size=BATCH_SIZE, epochs=NUM_EPOCH)
