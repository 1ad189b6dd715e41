# nanguard-fixed-from: failing/f05_log_counts_with_zeros.py
# nanguard-fix: use np.log1p(counts) (log(1 + x) is 0 at 0) instead of np.log(counts), then centre as before
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(5)
rates = np.exp(rng.normal(1.0, 1.0, size=(400, 1))) * rng.uniform(0.2, 2.0, size=(1, 20))
counts = rng.poisson(rates)  # many cells are 0

X = np.log1p(counts)
X = X - X.mean(axis=0)

model = keras.Sequential([
    layers.Input(shape=(20,)),
    layers.Dense(10, activation="relu"),
    layers.Dense(4, activation="relu"),
    layers.Dense(10, activation="relu"),
    layers.Dense(20, activation="linear"),
])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
model.fit(X, X, epochs=12, batch_size=32, validation_split=0.2)
