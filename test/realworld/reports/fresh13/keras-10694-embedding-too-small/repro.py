# Re-creation of keras-team/keras issue 10694, "No Error when using too Small Embedding Layer."
# (https://github.com/keras-team/keras/issues/10694): with tf.keras (TensorFlow 1.9) and tf.data
# input, a sequence model with an Embedding layer "with 100 Embeddings and you have more tokens than
# that ... doesnt throw an error or an exception but the loss goes to nan". The issue gives no code:
# the model (Embedding(100, 32), LSTM(32), Dense(1, sigmoid), binary cross-entropy, adam) and the
# data (sequences.npz, make_data.py: 40-token sequences over 150 token ids) are filled in as it
# describes them, fed through tf.data. The cause, as the issue states it: the Embedding's
# input_dim (100) is smaller than the number of token ids, so some ids index past its table.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

data = np.load('sequences.npz')
x, y = data['x'], data['y']

dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(3000, seed=1).batch(32)

model = keras.Sequential([
    keras.Input(shape=(x.shape[1],), dtype='int32'),
    layers.Embedding(100, 32),
    layers.LSTM(32),
    layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(dataset, epochs=10)
