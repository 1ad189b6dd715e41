# Re-creation of a Stack Overflow question (55322991) read on a mirror, "Why am I getting NaN after
# adding relu activation in LSTM?"
# (https://kiwix.lema.org/stackoverflow.com_en_all_2023-11/questions/55322991/why-am-i-getting-nan-after-adding-relu-activation-in-lstm):
# lstm_activation = tf.nn.relu; two stacked LSTMCell(num_units=100) and LSTMCell(num_units=10)
# with that activation run by dynamic_rnn over an embedding layer with the sequence lengths, and
# the last h of each layer concatenated: "When I don't use activation (activation=None) or use tanh
# everything works but when I switch relu I'm keep getting 'NaN loss during training' ... It's 100%
# reproducible." The answer: with relu inside the LSTM cell the outputs and the cell state are
# never below zero, "your gradients become extremely large and are exploding". The TensorFlow 1
# cells are Keras 3's LSTM layers here (masking the padding stands for sequence_length); the
# question's embedding size, head, loss and data are not in the thread: a 5-class softmax head,
# Adam, and token sequences written by make_data.py (texts.csv).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

data = np.loadtxt("texts.csv", delimiter=",", dtype=int)
labels, tokens = data[:, 0], data[:, 1:]

lstm_activation = tf.nn.relu

inputs = keras.Input(shape=(300,), dtype="int32")
embedding_layer = layers.Embedding(5000, 64, mask_zero=True)(inputs)
seq_1, h_1, c_1 = layers.LSTM(100, activation=lstm_activation, return_sequences=True, return_state=True)(embedding_layer)
_, h_2, c_2 = layers.LSTM(10, activation=lstm_activation, return_state=True)(seq_1)
output_states = [h_1, h_2]
states = layers.Concatenate(axis=1)(output_states)
logits = layers.Dense(5, activation="softmax")(states)

model = keras.Model(inputs, logits)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(tokens, labels, batch_size=32, epochs=10, validation_split=0.1)
