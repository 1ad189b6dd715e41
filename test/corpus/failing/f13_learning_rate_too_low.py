# nanguard-expect: low-learning-rate
# nanguard-outcome: stalled
# nanguard-fix: use Adam's default learning rate (Adam(learning_rate=1e-3))
# Modelled on: "my autoencoder's loss doesn't decrease" questions where the learning rate had
# been set to 1e-7 while chasing an earlier NaN.
import numpy as np
import keras

rng = np.random.default_rng(13)
X = np.clip(rng.uniform(size=(512, 4)) @ rng.uniform(size=(4, 16)) / 2.0, 0, 1)

model = keras.Sequential([
    keras.Input(shape=(16,)),
    keras.layers.Dense(8, activation="relu"),
    keras.layers.Dense(4, activation="relu"),
    keras.layers.Dense(8, activation="relu"),
    keras.layers.Dense(16, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-7), loss="mse")
model.fit(X, X, epochs=5, batch_size=32)
