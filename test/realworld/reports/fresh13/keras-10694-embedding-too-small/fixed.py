# The fix of keras-team/keras issue 10694, "No Error when using too Small Embedding Layer."
# (https://github.com/keras-team/keras/issues/10694), as the issue states it: an Embedding large
# enough for every token id, input_dim = the largest id + 1; nothing else is changed.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

data = np.load('sequences.npz')
x, y = data['x'], data['y']

dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(3000, seed=1).batch(32)

model = keras.Sequential([
    keras.Input(shape=(x.shape[1],), dtype='int32'),
    layers.Embedding(int(x.max()) + 1, 32),
    layers.LSTM(32),
    layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(dataset, epochs=10)
