# Re-creation of https://github.com/tensorflow/tensorflow/issues/46145 ("Pandas pct_change()
# function results in nan loss when training"): the model trains on the raw DataFrame, but after
# df.pct_change() the loss is always nan, although the NaN rows were dropped.
import numpy as np
import pandas as pd
import tensorflow as tf

df = pd.read_csv("prices.csv", index_col="day")
df = df.pct_change()
df.dropna(inplace=True)

X = df.values[:-1]
y = df["AAA_close"].values[1:]

model = tf.keras.Sequential([
    tf.keras.layers.Dense(32, activation="relu", input_shape=(X.shape[1],)),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=10, batch_size=32)
