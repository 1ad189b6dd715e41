# nanguard-fixed-from: failing/f06_sqrt_of_standardized.py
# nanguard-fix: apply the square-root transform to the raw, non-negative values before standardising (or drop it)
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

rng = np.random.default_rng(6)
raw = (rng.uniform(size=(500, 2)) @ rng.uniform(1, 5, size=(2, 8))) ** 2  # areas: squares of lengths

X = StandardScaler().fit_transform(np.sqrt(raw))

autoencoder = keras.Sequential([
    keras.layers.Dense(6, activation="relu", input_shape=(8,)),
    keras.layers.Dense(3, activation="relu"),
    keras.layers.Dense(6, activation="relu"),
    keras.layers.Dense(8),
])
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32)
