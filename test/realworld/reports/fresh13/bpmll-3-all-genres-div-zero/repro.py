# Re-creation of vanHavel/bp-mll-tensorflow issue 3, "Does this work with CNN?"
# (https://github.com/vanHavel/bp-mll-tensorflow/issues/3): the repository's BP-MLL loss (the
# bpmll package, a Keras loss for multi-label classification) used to train a CNN that tags movie
# posters with genres: "after some steps the loss is NaN". The maintainer: "could it be that you
# have data points that have no genres or all genres as labels?"; the reporter: "I figured it out.
# There may be some datapoints with all genres. Its working now." The reporter's notebook is not in
# the thread, so the CNN, the 32x32 poster stand-ins and the 10 genres (posters.npz, make_data.py)
# are filled in; the loss is the package's bp_mll_loss, written out here as it computes it (it
# divides each sample's sum by |Y| * |not Y|, which is 0 for a poster with every genre), and the optimizer and
# output layer are those of the repository's own Keras example (adagrad, sigmoid).
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense


def bp_mll_loss(y_true, y_pred):
    # BP-MLL (Zhang and Zhou 2006) in the form the bpmll package computes it: for each sample, the
    # sum of exp(-(p_k - p_l)) over the pairs (k a label the sample has, l one it has not), divided
    # by |Y| * |not Y|, then averaged over the batch.
    positive = tf.cast(tf.equal(y_true, 1.), tf.float32)
    negative = 1. - positive
    pairs = tf.expand_dims(positive, 2) * tf.expand_dims(negative, 1)
    differences = tf.expand_dims(y_pred, 2) - tf.expand_dims(y_pred, 1)
    sums = tf.reduce_sum(tf.exp(-differences) * pairs, axis=[1, 2])
    normalizers = tf.reduce_sum(positive, axis=1) * tf.reduce_sum(negative, axis=1)
    return tf.reduce_mean(sums / normalizers)


posters = np.load('posters.npz')
X_train = posters['images'].astype('float32') / 255.
Y_train = posters['genres'].astype('float32')

class_no = Y_train.shape[1]

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=X_train.shape[1:]))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dense(128, activation='relu'))
model.add(Dense(class_no, activation='sigmoid'))
model.compile(loss=bp_mll_loss, optimizer='adagrad', metrics=[])

model.fit(X_train, Y_train, epochs=20, batch_size=32)
