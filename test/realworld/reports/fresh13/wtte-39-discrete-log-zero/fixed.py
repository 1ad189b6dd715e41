# ragulpr/wtte-rnn issue 39: "nan loss function when b approaches 0".
# A WTTE-RNN (LSTM -> Dense(2) -> Weibull alpha/beta activation) trained with
# the discrete Weibull log-likelihood. The reporter's line:
#     loglikelihoods = u * K.log(K.exp(hazard1 - hazard0) - 1.0) - hazard1
# (keras.backend.exp/log/pow are keras.ops in Keras 3).
# Fix from the issue: an epsilon inside the log, so that when b ~ 0
# (hazard1 = hazard0) the logarithm stays defined.
import numpy as np
import keras
from keras import ops as K
from keras.models import Sequential
from keras.layers import LSTM, Dense, Lambda, Input
from keras.optimizers import RMSprop

data = np.load("tte.npz")
x_train, y_train = data["x"], data["y"]

tte_mean_train = np.nanmean(y_train[:, :, 0])
init_alpha = -1.0 / np.log(1.0 - 1.0 / (tte_mean_train + 1.0))
max_beta_value = 5.0


def output_lambda(x):
    a = x[..., 0]
    b = x[..., 1]
    a = init_alpha * K.exp(a)
    b = max_beta_value * K.clip(K.sigmoid(b - np.log(max_beta_value - 1.0)),
                                1e-7, 1.0 - 1e-7)
    return K.stack([a, b], axis=-1)


def loss_function(y_true, y_pred, epsilon=keras.backend.epsilon()):
    y, u = y_true[..., 0], y_true[..., 1]
    a, b = y_pred[..., 0], y_pred[..., 1]
    hazard0 = K.power((y + epsilon) / a, b)
    hazard1 = K.power((y + 1.0) / a, b)
    loglikelihoods = u * \
        K.log(K.exp(hazard1 - hazard0) - 1.0 + epsilon) - hazard1
    return -1.0 * K.mean(loglikelihoods, axis=-1)


model = Sequential()
model.add(Input(shape=(None, x_train.shape[-1])))
model.add(LSTM(20, activation='tanh', return_sequences=True))
model.add(Dense(2))
model.add(Lambda(output_lambda))

model.compile(loss=loss_function, optimizer=RMSprop(learning_rate=0.01))
model.fit(x_train, y_train, epochs=60, batch_size=32, validation_split=0.1,
          verbose=2)
