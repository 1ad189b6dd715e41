# nanguard-expect: unscaled-input
# nanguard-outcome: stalled
# nanguard-fix: standardise the features (StandardScaler().fit_transform(X)) before training
# Modelled on: questions about a tabular autoencoder whose mse sits near 1e10 and barely moves:
# prices, areas and counts go in raw, so the loss is dominated by the largest column.
import numpy as np
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(19)
area = rng.uniform(40, 250, 800)
houses = pd.DataFrame({
    "price": 2500 * area + rng.normal(0, 40000, 800),
    "area_m2": area,
    "rooms": np.round(area / 30),
    "year_built": rng.integers(1900, 2020, 800),
    "lot_m2": area * rng.uniform(1.5, 4, 800),
})
X = houses.values.astype("float32")

autoencoder = keras.Sequential([
    layers.Input(shape=(5,)),
    layers.Dense(8, activation="relu"),
    layers.Dense(2, activation="relu"),
    layers.Dense(8, activation="relu"),
    layers.Dense(5),
])
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32, validation_split=0.2)
