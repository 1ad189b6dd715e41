# Re-creation of https://github.com/fferroni/DEC-Keras/issues/9 ("loss: nan"): the DEC
# autoencoder pretraining on 17 features, standardized column by column; the loss is nan before
# one iteration finishes. The thread's answer: a column is all zeros, remove it.
import numpy as np
import pandas as pd
from keras.layers import Input, Dense
from keras.models import Model
from keras.optimizers import SGD

df = pd.read_csv("features.csv")
labels = df.pop("label").values
X = df.values
X = (X - X.mean(axis=0)) / X.std(axis=0)

input_dim = 17
dims = [input_dim, 500, 500, 2000, 10]

x = Input(shape=(input_dim,))
h = x
for d in dims[1:-1]:
    h = Dense(d, activation="relu")(h)
h = Dense(dims[-1])(h)
for d in dims[-2:0:-1]:
    h = Dense(d, activation="relu")(h)
h = Dense(dims[0])(h)

autoencoder = Model(x, h)
autoencoder.compile(loss="mse", optimizer=SGD(learning_rate=0.1, momentum=0.9))
autoencoder.fit(X, X, batch_size=256, epochs=20)
