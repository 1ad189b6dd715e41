# Fixed re-creation of http://dong.sh/posts/lossbreakgredients: a convolutional autoencoder (CAE)
# trained on new data for transfer learning stopped learning and then the loss became NaN; the
# dataset contained NaN values. The post's fix: x_train[np.isnan(x_train)] = 0.
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, models

x_train = np.load('fields.npy')[..., np.newaxis]
x_train[np.isnan(x_train)] = 0

cae = models.Sequential([
    layers.Input(shape=(32, 32, 1)),
    layers.Conv2D(16, 3, activation='relu', padding='same'),
    layers.MaxPooling2D(2),
    layers.Conv2D(8, 3, activation='relu', padding='same'),
    layers.MaxPooling2D(2),
    layers.Conv2DTranspose(8, 3, strides=2, activation='relu', padding='same'),
    layers.Conv2DTranspose(16, 3, strides=2, activation='relu', padding='same'),
    layers.Conv2D(1, 3, activation='linear', padding='same'),
])
cae.compile(optimizer='adam', loss='mse')
cae.fit(x_train, x_train, epochs=10, batch_size=32, validation_split=0.1)
