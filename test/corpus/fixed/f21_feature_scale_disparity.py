# nanguard-fixed-from: failing/f21_feature_scale_disparity.py
# nanguard-fix: scale each feature to a common range (StandardScaler) so that one column does not set the step size for all
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(21)
X = rng.uniform(0, 1, size=(512, 10))
X[:, 0] = rng.uniform(10000, 50000, size=512)  # transaction amount
X = StandardScaler().fit_transform(X)

inputs = keras.Input(shape=(10,))
x = layers.Dense(8)(inputs)
x = layers.Dense(3)(x)
x = layers.Dense(8)(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
model.fit(X, X, epochs=5, batch_size=32)
