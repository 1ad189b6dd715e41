import numpy as np
from tensorflow import keras
X = np.load("x.npy")
model = keras.Sequential([keras.layers.Input(shape=(5,)), keras.layers.Dense(2, activation="tanh"), keras.layers.Dense(5)])
model.compile(optimizer="sgd", loss="mse")
model.fit(X, X, epochs=3, batch_size=32, validation_split=0.2)
