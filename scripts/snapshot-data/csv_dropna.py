import pandas as pd
from tensorflow import keras
X = pd.read_csv("sensors.csv").dropna().values
model = keras.Sequential([keras.layers.Input(shape=(3,)), keras.layers.Dense(2, activation="relu"), keras.layers.Dense(3)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=3, batch_size=32)
