# Tabular anomaly detection: features standardised with scikit-learn's StandardScaler, trained on
# normal transactions only.
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(113)
latent = rng.normal(size=(1000, 4))
features = latent @ rng.normal(size=(4, 14)) * rng.uniform(1, 500, size=14) + rng.normal(size=(1000, 14))

x_train, x_test = train_test_split(features, test_size=0.2, random_state=0)
scaler = StandardScaler().fit(x_train)
x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)

model = keras.Sequential([
    layers.Input(shape=(14,)),
    layers.Dense(10, activation="relu"),
    layers.Dense(4, activation="relu"),
    layers.Dense(10, activation="relu"),
    layers.Dense(14, activation="linear"),
])
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, x_train, epochs=8, batch_size=32, validation_data=(x_test, x_test))
