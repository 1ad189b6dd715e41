# Fixed re-creation of https://github.com/keras-team/keras/issues/6644 ("custom rmse loss return nan"):
# root_mean_squared_error = K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1)) as the loss of a
# stack of Conv2D + LeakyReLU layers mapping images to images; "a normal loss value, then inf,
# then nan". The thread's advice: use MSE.
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, LeakyReLU


def root_mean_squared_error(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))


def get(width=64, height=64):
    m = Sequential()
    m.add(Conv2D(96, 3, input_shape=(height, width, 3), padding='same'))
    m.add(LeakyReLU())
    m.add(Conv2D(96, 3, padding='same'))
    m.add(LeakyReLU())
    m.add(Conv2D(96, 5, padding='same'))
    m.add(LeakyReLU())
    m.add(Conv2D(3, 5, padding='same'))
    return m


# images with flat black borders, where the prediction can match the target exactly
images = np.zeros((64, 64, 64, 3), dtype='float32')
images[:, 16:48, 16:48, :] = np.random.rand(64, 32, 32, 3)
targets = np.clip(images * 1.2, 0, 1)

m = get()
m.compile(optimizer='adam', loss='mse')
m.fit(images, targets, epochs=10, batch_size=8)
