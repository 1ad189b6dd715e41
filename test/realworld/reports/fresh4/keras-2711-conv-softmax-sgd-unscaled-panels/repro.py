# Re-creation of https://github.com/keras-team/keras/issues/2711 ("Loss not changing when
# training"): a comment's model, Convolution2D(32, 10, 10, border_mode='same') on 106 x 106
# grayscale panels, Flatten, Dense(2), softmax, categorical_crossentropy,
# SGD(lr=0.1, decay=1e-2, momentum=0.9), batch_size=64, nb_epoch=10: "My loss seems to stay the
# same" (1,600 training images, two classes); a later run: "loss: 8.8503 ... loss: nan". The
# panels are read from image folders by loadCustomData() (os.walk over
# 'modified/convNetPanelsPaneled_sorted/'), whose pixel handling the thread does not show; ours:
# 1,600 panels of 0-255 grey levels, each class with its own bright band, as image files give
# them, with no scaling. A learning rate of 0.1 with momentum on pixels of 0-255 through 359,552
# features pins the softmax. Keras 3 names: channels last, and the old decay as the
# InverseTimeDecay schedule it was (lr / (1 + decay * iterations)).
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
