# nanguard-expect: too-deep
# nanguard-outcome: stalled
# nanguard-fix: use relu hidden layers with BatchNormalization, trained with Adam instead of plain SGD, so that gradients reach the encoder
# Modelled on: "deep autoencoder learns nothing, output is the average image" questions: ten
# stacked sigmoid layers trained with SGD, whose gradients vanish on the way back.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(22)
X = np.clip(rng.uniform(size=(512, 4)) @ rng.uniform(size=(4, 32)) / 2.0, 0, 1)

model = keras.Sequential([layers.Input(shape=(32,))])
for units in (64, 48, 32, 24, 16, 8, 16, 24, 32, 48, 64):
    model.add(layers.Dense(units, activation="sigmoid"))
model.add(layers.Dense(32, activation="sigmoid"))
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
model.fit(X, X, epochs=5, batch_size=32)
