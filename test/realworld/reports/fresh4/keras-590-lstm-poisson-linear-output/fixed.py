# keras-team/keras#590 (see repro.py) with the activation the Poisson loss was added for
# (keras-team/keras#479: "Should be used after a softplus activation, to ensure that y_pred > 0"):
# a softplus on the last Dense, so that the predicted rate is positive (the fix is ours).
import numpy as np
from keras.models import Model
from keras.layers import Input, Embedding, LSTM, Dropout, Dense, Add

rng = np.random.default_rng(590)
n, steps, n_cov = 1500, 10, 8
X_1 = rng.integers(0, 300, size=(n, steps))
X_2 = rng.normal(size=(n, steps, n_cov)).astype('float32')
rate = np.exp(0.5 + 0.4 * X_2[:, -1, 0] - 0.3 * X_2[:, -1, 1])
y = rng.poisson(rate).astype('float32')

left_in = Input(shape=(steps,))
left = Embedding(len(X_1), 256)(left_in)
left = LSTM(256)(left)
left = Dropout(0.3)(left)
left = Dense(128)(left)

right_in = Input(shape=(steps, X_2.shape[2]))
right = LSTM(512, return_sequences=True)(right_in)
right = Dropout(0.3)(right)
right = LSTM(256, return_sequences=False)(right)
right = Dropout(0.1)(right)
right = Dense(128)(right)

merged = Add()([left, right])
out = Dense(1, activation='softplus')(merged)
model = Model([left_in, right_in], out)

model.compile(loss='poisson', optimizer='adam')
components = model.fit([X_1, X_2], y, batch_size=256,
                       epochs=20, validation_split=0.1)
