# Fixed re-creation of https://github.com/AlexanderVNikitin/tsgm/issues/59 ("Loss explosion issue in
# ConvnLSTMnArchitecture"): the model zoo's conv + LSTM classifier has activation="relu" in its
# LSTM layer; the loss sometimes explodes to very high numbers. Removing "relu" fixed it.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

seq_len, feat_dim, output_dim, n_conv_lstm_blocks = 64, 4, 2, 2

inputs = keras.Input(shape=(seq_len, feat_dim))
x = inputs
for _ in range(n_conv_lstm_blocks):
    x = layers.Conv1D(filters=64, kernel_size=3, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    x = layers.LSTM(128, return_sequences=True)(x)
    x = layers.Dropout(0.2)(x)
x = layers.Flatten()(x)
outputs = layers.Dense(output_dim, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(), metrics=["accuracy"])

rng = np.random.default_rng(59)
X = np.cumsum(rng.normal(0, 1, (512, seq_len, feat_dim)), axis=1)
y = keras.utils.to_categorical((X[:, -1, 0] > 0).astype(int), output_dim)
model.fit(X, y, epochs=10, batch_size=64)
