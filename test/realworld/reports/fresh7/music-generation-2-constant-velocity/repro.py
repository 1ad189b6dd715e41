# Re-creation of subpath/Keras_music_gereration issue 2, "Loss is NaN"
# (https://github.com/subpath/Keras_music_gereration/issues/2). The notebook (as it stood then,
# "Music gerenation with Keras and TF.ipynb") reads note_on messages of a MIDI piano cover into
# notes and velocities, scales each to [-1, 1] with its min and max, cuts windows of 30 and fits
# three LSTMs with Dropout(0.6) and a Dense(2) linear output under mse. The issue: "While
# training, the loss is NaN all the time ... Caused by division by 0. (velocities_min is equal to
# velocities_max, so their difference becomes 0.)"; the author: "you're right, I'm gettings NaN's
# too". The MIDI file is read with mido in the notebook; here its (note, velocity) pairs come from
# notes.csv (make_data.py), in the notebook's order. Keras 3 names: learning_rate for lr; the
# checkpoint callback is left out (Keras 3 refuses its hdf5 name and period argument).
import numpy as np
from keras.layers import LSTM, Dense, Activation, Dropout, Input
from keras.models import Sequential
from keras.optimizers import Adam

pairs = np.loadtxt("notes.csv", delimiter=",", skiprows=1, dtype=int)
notes = []
velocities = []
for note, velocity in pairs:
    notes.append(note)
    velocities.append(velocity)
combine = [[float(i), float(j)] for i, j in zip(notes, velocities)]

note_min = np.min(notes)
note_max = np.max(notes)
velocities_min = np.min(velocities)
velocities_max = np.max(velocities)

for i in combine:
    i[0] = 2*(i[0]-((note_min+note_max)/2))/(note_max-note_min)
    i[1] = 2*(i[1]-((velocities_min+velocities_max)/2))/(velocities_max-velocities_min)

X = []
Y = []
n_prev = 30
for i in range(len(combine)-n_prev):
    x = combine[i:i+n_prev]
    y = combine[i+n_prev]
    X.append(x)
    Y.append(y)
# save a seed to do prediction later
seed = combine[0:n_prev]

model = Sequential()
model.add(Input(shape=(n_prev, 2)))
model.add(LSTM(256, return_sequences=True))
model.add(Dropout(0.6))
model.add(LSTM(128, return_sequences=True))
model.add(Dropout(0.6))
model.add(LSTM(64, return_sequences=False))
model.add(Dropout(0.6))
model.add(Dense(2))
model.add(Activation('linear'))
optimizer = Adam(learning_rate=0.001)
model.compile(loss='mse', optimizer=optimizer)

model.fit(np.array(X), np.array(Y), 32, 5, verbose=1)
