# A GRU sequence autoencoder on multichannel signals already in [-1, 1].
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(112)
t = np.linspace(0, 1, 40)
freqs = rng.uniform(1, 4, size=(300, 1, 3))
X = np.sin(2 * np.pi * freqs * t[None, :, None] + rng.uniform(0, 6, size=(300, 1, 3))).astype("float32")

inputs = tf.keras.Input(shape=(40, 3))
code = tf.keras.layers.GRU(24)(inputs)
x = tf.keras.layers.RepeatVector(40)(code)
x = tf.keras.layers.GRU(24, return_sequences=True)(x)
outputs = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(3))(x)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01), loss="mse")
model.fit(X, X, epochs=12, batch_size=32)
