# A custom loss written with its guards: the log is taken of clipped predictions, and the
# optimizer clips gradient norms.
import numpy as np
import tensorflow as tf
from tensorflow import keras


def log_cosh_plus_bce(y_true, y_pred):
    y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
    bce = -tf.reduce_mean(y_true * tf.math.log(y_pred) + (1.0 - y_true) * tf.math.log(1.0 - y_pred))
    return bce + tf.reduce_mean(tf.math.log(tf.cosh(y_pred - y_true)))


rng = np.random.default_rng(120)
X = np.clip(rng.uniform(size=(600, 4)) @ rng.uniform(size=(4, 20)) / 2.0, 0, 1).astype("float32")

model = keras.Sequential([
    keras.layers.Input(shape=(20,)),
    keras.layers.Dense(12, activation="relu"),
    keras.layers.Dense(4, activation="relu"),
    keras.layers.Dense(12, activation="relu"),
    keras.layers.Dense(20, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0), loss=log_cosh_plus_bce)
model.fit(X, X, epochs=10, batch_size=32)
