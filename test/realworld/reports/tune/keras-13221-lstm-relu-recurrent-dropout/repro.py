# Re-creation of https://github.com/keras-team/keras/issues/13221 ("'recurrent_dropout' with
# 'relu' in LSTM yields NaNs"): stacked LSTMs with activation='relu' and recurrent_dropout,
# batch_shape (32, 672, 16), binary_crossentropy, Nadam with clipnorm=50; NaN within a few
# batches, none with activation='tanh'.
import numpy as np
from keras.layers import Input, LSTM, Dense
from keras.models import Model
from keras.optimizers import Nadam
from keras.constraints import MaxNorm

constraint = MaxNorm(0.5, axis=0)

ipt = Input(batch_shape=(32, 672, 16))
x = LSTM(512, activation='relu', return_sequences=True, recurrent_dropout=0.3,
         kernel_constraint=constraint, recurrent_constraint=constraint)(ipt)
x = LSTM(512, activation='relu', return_sequences=False, recurrent_dropout=0.3,
         kernel_constraint=constraint, recurrent_constraint=constraint)(x)
out = Dense(1, activation='sigmoid')(x)

model = Model(ipt, out)
model.compile(Nadam(learning_rate=1e-4, clipnorm=50), loss='binary_crossentropy')

X = np.random.randn(32 * 4, 672, 16)
Y = np.random.randint(0, 2, (32 * 4, 1))
for epoch in range(3):
    model.fit(X, Y, batch_size=32, epochs=1, shuffle=False)
