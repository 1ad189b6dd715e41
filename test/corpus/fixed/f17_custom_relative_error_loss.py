# nanguard-fixed-from: failing/f17_custom_relative_error_loss.py
# nanguard-fix: add an epsilon to the denominator (tf.abs(y_true) + 1e-3), or use keras.losses.MeanAbsolutePercentageError, which clips it
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
import tensorflow as tf
from tensorflow import keras


def relative_error(y_true, y_pred):
    return tf.reduce_mean(tf.abs(y_true - y_pred) / (tf.abs(y_true) + 1e-3))


rng = np.random.default_rng(17)
X = rng.uniform(0, 1, size=(512, 10)).astype("float32")
X[rng.uniform(size=X.shape) < 0.05] = 0.0  # idle periods are recorded as exact zeros

inputs = keras.Input(shape=(10,))
h = keras.layers.Dense(6, activation="relu")(inputs)
outputs = keras.layers.Dense(10, activation="sigmoid")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=relative_error)
model.fit(X, X, epochs=5, batch_size=32)
