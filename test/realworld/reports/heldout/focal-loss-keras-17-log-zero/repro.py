# Re-creation of https://github.com/mkocabas/focal-loss-keras/issues/17 ("Nan problem for LOG"):
# the repository's binary focal loss takes K.log(pt_1) and K.log(1. - pt_0) with no epsilon; on a
# 40-attribute CelebA-style multi-label classifier the loss is nan. Adding K.epsilon() fixed it.
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense


def focal_loss(gamma=2., alpha=.25):
    def focal_loss_fixed(y_true, y_pred):
        pt_1 = tf.where(tf.equal(y_true, 1), y_pred, tf.ones_like(y_pred))
        pt_0 = tf.where(tf.equal(y_true, 0), y_pred, tf.zeros_like(y_pred))
        return -K.sum(alpha * K.pow(1. - pt_1, gamma) * K.log(pt_1)) - K.sum((1 - alpha) * K.pow(pt_0, gamma) * K.log(1. - pt_0))
    return focal_loss_fixed


rng = np.random.default_rng(17)
features = rng.integers(0, 256, size=(4000, 512)).astype('float32')
attributes = (rng.random((4000, 40)) < 0.3).astype('float32')

model = Sequential()
model.add(Dense(256, activation='relu', input_shape=(512,)))
model.add(Dense(40, activation='sigmoid'))
model.compile(optimizer='adam', loss=[focal_loss(alpha=.25, gamma=2)], metrics=['accuracy'])
model.fit(features, attributes, epochs=5, batch_size=64)
