# keras-team/keras#2711 (see repro.py) with the panels scaled to [0, 1] (divided by 255) before
# the fit (the fix is ours; no reply in the thread was read).
import numpy as np
from keras.models import Sequential
from keras.layers import Input, Convolution2D, Flatten, Dense, Activation
from keras.optimizers import SGD, RMSprop
from keras.optimizers.schedules import InverseTimeDecay
from keras.utils import to_categorical


def loadCustomData():
    rng = np.random.default_rng(2711)
    n = 1600
    labels = rng.integers(0, 2, size=n)
    panels = rng.integers(0, 120, size=(n, 106, 106, 1)).astype('float32')
    for i in range(n):
        row = 20 + 50 * labels[i] + rng.integers(-5, 6)
        panels[i, row:row + 12, :, 0] += 120
    return panels, to_categorical(labels, 2)


Xtrain, Ytrain = loadCustomData()
Xtrain = Xtrain / 255.

model = Sequential()
model.add(Input(shape=(106, 106, 1)))
model.add(Convolution2D(32, (10, 10), padding='same', name='conv1'))
#flatten
model.add(Flatten())
model.add(Dense(2))
model.add(Activation('softmax'))
rms = RMSprop()
sgd = SGD(learning_rate=InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-2), momentum=0.9)
model.compile(loss='categorical_crossentropy', optimizer=sgd, metrics=["accuracy"])
model.fit(Xtrain, Ytrain, batch_size=64, epochs=10,
          verbose=1)
