# nanguard-expect: feature-scale-disparity
# nanguard-outcome: nan
# nanguard-fix: scale each feature to a common range (StandardScaler) so that one column does not set the step size for all
# Modelled on: questions where most features are fractions but one (an amount in currency units)
# is in the tens of thousands, and SGD's first steps overflow.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(21)
X = rng.uniform(0, 1, size=(512, 10))
X[:, 0] = rng.uniform(10000, 50000, size=512)  # transaction amount

inputs = keras.Input(shape=(10,))
x = layers.Dense(8)(inputs)
x = layers.Dense(3)(x)
x = layers.Dense(8)(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
model.fit(X, X, epochs=5, batch_size=32)
