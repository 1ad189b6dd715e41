# Tabular data scaled into [0, 1] with MinMaxScaler, reconstructed through a sigmoid output.
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
import keras

rng = np.random.default_rng(114)
latent = rng.uniform(size=(800, 3))
df = pd.DataFrame(latent @ rng.uniform(0, 100, size=(3, 10)), columns=[f"f{i}" for i in range(10)])

X = MinMaxScaler().fit_transform(df)

inputs = keras.Input(shape=(10,))
h = keras.layers.Dense(8, activation="relu")(inputs)
h = keras.layers.Dense(3, activation="relu")(h)
h = keras.layers.Dense(8, activation="relu")(h)
outputs = keras.layers.Dense(10, activation="sigmoid")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=10, batch_size=32, validation_split=0.2)
