# nanguard-fixed-from: failing/f07_lambda_log_layer.py
# nanguard-fix: take the log of (x + 1) inside the Lambda (tf.math.log1p), since the spectra contain exact zeros
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(7)
spectra = np.abs(rng.normal(size=(400, 32))) * (rng.uniform(size=(400, 32)) > 0.2)  # silent bins are exact zeros
target = spectra / spectra.max()

inputs = keras.Input(shape=(32,))
x = layers.Lambda(lambda s: tf.math.log1p(s))(inputs)
x = layers.Dense(16, activation="relu")(x)
x = layers.Dense(4, activation="relu")(x)
x = layers.Dense(16, activation="relu")(x)
outputs = layers.Dense(32, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(spectra, target, epochs=5, batch_size=32)
