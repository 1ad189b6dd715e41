import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

# Grey images: every pixel strictly between 0 and 1.
X = np.random.uniform(0.2, 0.8, size=(512, 64))

autoencoder = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(64, activation="sigmoid"),
])
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(X, X, epochs=20, batch_size=32)
