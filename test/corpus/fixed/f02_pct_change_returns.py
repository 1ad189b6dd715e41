# nanguard-fixed-from: failing/f02_pct_change_returns.py
# nanguard-fix: drop the first row that pct_change leaves empty and the infinite returns of zero prices (returns.replace([np.inf, -np.inf], np.nan).dropna())
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
import pandas as pd
import tensorflow as tf

rng = np.random.default_rng(2)
prices = pd.DataFrame(
    100 * np.exp(np.cumsum(0.01 * rng.normal(size=(300, 5)), axis=0)),
    columns=["AAA", "BBB", "CCC", "DDD", "EEE"],
)
prices.iloc[150, 3] = 0.0  # a halted listing reported as price 0

returns = prices.pct_change().replace([np.inf, -np.inf], np.nan).dropna()
X = returns.values.astype("float32")

inputs = tf.keras.Input(shape=(5,))
h = tf.keras.layers.Dense(8, activation="tanh")(inputs)
z = tf.keras.layers.Dense(2, activation="tanh")(h)
h = tf.keras.layers.Dense(8, activation="tanh")(z)
outputs = tf.keras.layers.Dense(5)(h)
autoencoder = tf.keras.Model(inputs, outputs)
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32, shuffle=True)
