# Re-creation of https://github.com/keras-team/keras/issues/590 ("nan loss with poisson objective
# function"): two branches summed, an Embedding and LSTM(256) over one sequence input and two
# stacked LSTMs (512, 256) over time-dependent covariates, each ending in Dense(128), then
# Dense(1) with no activation, loss='poisson', adam, batch_size=256, validation_split=0.1: "I get
# nan from the first epoch"; with the target made 0-1 and binary cross-entropy it trains. The
# reply added an epsilon to the log of the Poisson loss; the poster: "I still have the nan". The
# Poisson loss takes log(y_pred), and a linear output gives negative predictions. The thread does
# not give the data; ours: 1,500 sequences of 10 steps, word indices below len(X_1) (the post's
# Embedding size) and 8 covariates, counts drawn from a Poisson law whose rate depends on them.
# Keras 3 names: the functional API for the Merge(mode='sum') of two Sequentials, units for the
# old (input_dim, output_dim) pairs; the right branch's input size (X_1.shape[2] in the post) is
# the number of covariates.
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
out = Dense(1)(merged)
model = Model([left_in, right_in], out)

model.compile(loss='poisson', optimizer='adam')
components = model.fit([X_1, X_2], y, batch_size=256,
                       epochs=20, validation_split=0.1)
