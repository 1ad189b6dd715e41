# nanguard-fixed-from: failing/f04_minmax_stuck_sensor.py
# nanguard-fix: guard the range ((X - lo) / np.maximum(hi - lo, 1e-8)), or use MinMaxScaler, which leaves constant columns at 0
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

rng = np.random.default_rng(4)
readings = rng.uniform(20, 80, size=(600, 12))
readings[:, 0] = 21.5  # thermostat stuck at its set point

lo, hi = readings.min(axis=0), readings.max(axis=0)
X = (readings - lo) / np.maximum(hi - lo, 1e-8)

inp = Input(shape=(12,))
enc = Dense(6, activation="relu")(inp)
dec = Dense(12, activation="sigmoid")(enc)
ae = Model(inp, dec)
ae.compile(optimizer="adam", loss="mse")
ae.fit(X, X, epochs=5, batch_size=32)
