# nanguard-expect: custom-loss-unstable
# nanguard-outcome: nan
# nanguard-fix: guard the log against outputs at or below -1 (K.log(K.maximum(y_pred, 0.0) + 1.0)), or give the output a relu/softplus
# Modelled on: issues about a hand-written RMSLE loss that turns nan: the linear output dips below
# -1 and log(y_pred + 1) is undefined.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K


def rmsle(y_true, y_pred):
    return K.sqrt(K.mean(K.square(K.log(y_pred + 1.0) - K.log(y_true + 1.0))))


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
