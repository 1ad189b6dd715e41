# nanguard-expect: nan-in-data
# nanguard-outcome: nan
# nanguard-fix: drop or impute the empty cells before scaling (df = df.dropna(), or df.fillna(df.median()))
# Modelled on: issue threads where a tabular anomaly-detection autoencoder shows "loss: nan" from
# the first epoch and the answer is "check your inputs for NaN" (a CSV export with empty cells).
import io

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(1)
latent = rng.normal(size=(400, 3))
table = latent @ rng.normal(size=(3, 6)) + 0.1 * rng.normal(size=(400, 6))
csv = pd.DataFrame(table, columns=[f"sensor_{i}" for i in range(6)]).to_csv(index=False)
# A few readings were never logged: the export leaves those cells empty.
lines = csv.splitlines()
for row in (17, 123, 301):
    cells = lines[row].split(",")
    cells[2] = ""
    lines[row] = ",".join(cells)

df = pd.read_csv(io.StringIO("\n".join(lines)))
X = StandardScaler().fit_transform(df.values)

model = keras.Sequential([
    keras.Input(shape=(6,)),
    layers.Dense(8, activation="relu"),
    layers.Dense(3, activation="relu"),
    layers.Dense(8, activation="relu"),
    layers.Dense(6),
])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=5, batch_size=32, validation_split=0.1)
