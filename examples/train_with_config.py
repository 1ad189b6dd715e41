"""A dense autoencoder whose hyperparameters live in config.json.

The data is fine (uniform in [0, 1]); the problem is the config: a learning rate of 0.5
for Adam, 500 times its default. nanguard points at line 3 of config.json.
Trained with Keras 3.15 on CPU, the loss jumps from 0.33 to about 1200 within the first
epoch (epoch mean 577), then settles at 0.081 by epoch 50: the variance of the data, i.e.
the network only outputs the mean and has stopped learning.
Run from this folder: python train_with_config.py
"""
import json

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

cfg = json.load(open("config.json"))

X_train = np.random.rand(1000, 20)
input_dim = X_train.shape[1]

inputs = keras.Input(shape=(input_dim,))
encoded = layers.Dense(16, activation=cfg["activation"])(inputs)
encoded = layers.Dense(cfg["encoding_dim"], activation=cfg["activation"])(encoded)
decoded = layers.Dense(16, activation=cfg["activation"])(encoded)
decoded = layers.Dense(input_dim, activation=cfg["output_activation"])(decoded)
autoencoder = keras.Model(inputs, decoded)

autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=cfg["learning_rate"]), loss=cfg["loss"])
autoencoder.fit(
    X_train,
    X_train,
    epochs=cfg["epochs"],
    batch_size=cfg["batch_size"],
    validation_split=cfg["validation_split"],
)
