# Dropout in the encoder, EarlyStopping on the validation loss, data scaled with MinMaxScaler.
import numpy as np
from sklearn.preprocessing import MinMaxScaler
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.callbacks import EarlyStopping

rng = np.random.default_rng(119)
X = MinMaxScaler().fit_transform(rng.normal(size=(800, 3)) @ rng.normal(size=(3, 16)))

inputs = keras.Input(shape=(16,))
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dropout(0.1)(x)
x = layers.Dense(4, activation="relu")(x)
x = layers.Dense(32, activation="relu")(x)
outputs = layers.Dense(16, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
stop = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
model.fit(X, X, epochs=15, batch_size=32, validation_split=0.2, callbacks=[stop])
