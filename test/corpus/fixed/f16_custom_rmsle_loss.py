# nanguard-fixed-from: failing/f16_custom_rmsle_loss.py
# nanguard-fix: guard the log against outputs at or below -1 (K.log(K.maximum(y_pred, 0.0) + 1.0)), or give the output a relu/softplus
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K


def rmsle(y_true, y_pred):
    return K.sqrt(K.mean(K.square(K.log(K.maximum(y_pred, 0.0) + 1.0) - K.log(y_true + 1.0))))


rng = np.random.default_rng(16)
X = rng.uniform(0, 5, size=(512, 10)).astype("float32")

model = keras.Sequential([
    keras.layers.Input(shape=(10,)),
    keras.layers.Dense(8, activation="relu"),
    keras.layers.Dense(3, activation="relu"),
    keras.layers.Dense(8, activation="relu"),
    keras.layers.Dense(10),
])
model.compile(optimizer="adam", loss=rmsle)
model.fit(X, X, epochs=15, batch_size=32)
