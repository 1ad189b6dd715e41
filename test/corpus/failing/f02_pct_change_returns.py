# nanguard-expect: nan-in-data
# nanguard-outcome: nan
# nanguard-fix: drop the first row that pct_change leaves empty and the infinite returns of zero prices (returns.replace([np.inf, -np.inf], np.nan).dropna())
# Modelled on: forum questions about an LSTM/dense autoencoder on stock returns whose loss is nan
# from the start; pct_change() leaves NaN in the first row and a zero price gives inf.
import numpy as np
import pandas as pd
import tensorflow as tf

rng = np.random.default_rng(2)
prices = pd.DataFrame(
    100 * np.exp(np.cumsum(0.01 * rng.normal(size=(300, 5)), axis=0)),
    columns=["AAA", "BBB", "CCC", "DDD", "EEE"],
)
prices.iloc[150, 3] = 0.0  # a halted listing reported as price 0

returns = prices.pct_change()
X = returns.values.astype("float32")

inputs = tf.keras.Input(shape=(5,))
h = tf.keras.layers.Dense(8, activation="tanh")(inputs)
z = tf.keras.layers.Dense(2, activation="tanh")(h)
h = tf.keras.layers.Dense(8, activation="tanh")(z)
outputs = tf.keras.layers.Dense(5)(h)
autoencoder = tf.keras.Model(inputs, outputs)
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32, shuffle=True)
