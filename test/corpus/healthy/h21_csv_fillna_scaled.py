# Data read from CSV text with pandas, missing cells imputed with the column median, then scaled.
import io

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

rng = np.random.default_rng(121)
table = pd.DataFrame(rng.normal(size=(500, 2)) @ rng.normal(size=(2, 6)) * 10 + 100, columns=list("abcdef"))
table.iloc[rng.integers(0, 500, 20), 2] = np.nan
df = pd.read_csv(io.StringIO(table.to_csv(index=False)))

df = df.fillna(df.median())
X = StandardScaler().fit_transform(df.values)

inputs = keras.Input(shape=(6,))
h = keras.layers.Dense(8, activation="relu")(inputs)
h = keras.layers.Dense(2)(h)
h = keras.layers.Dense(8, activation="relu")(h)
outputs = keras.layers.Dense(6)(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=10, batch_size=32, validation_split=0.2)
