# The fix of maxvfischer/keras-image-segmentation-loss-functions pull request 1 (the pull request's
# own): a small epsilon (1e-5) inside both logs.
# Re-creation of maxvfischer/keras-image-segmentation-loss-functions pull request 1, "Loss going
# NaN because of log(0)"
# (https://github.com/maxvfischer/keras-image-segmentation-loss-functions/pull/1): "My loss went to
# NaN because somewhere a log(y_pred) was log(0) to prevent this, I added a small value (epsilon
# = 1e-5)". The repository's binary focal loss (losses/binary_losses.py) takes K.log(y_pred) and
# K.log(1 - y_pred) of a sigmoid output without clipping: once the sigmoid rounds to exactly 0 or
# 1 in float32, a log is -inf, and 0 * -inf is NaN. The pull request gives no model or data: a
# small fully convolutional network with a sigmoid output on 32x32 images and their disc masks
# (masks.npz, written by make_data.py), under binary_focal_loss(beta=0.5) and Adam.
from typing import Callable

import numpy as np
import tensorflow as tf
import tensorflow.keras.backend as K
from tensorflow import keras
from tensorflow.keras import layers


def binary_focal_loss(beta: float, gamma: float = 2.) -> Callable[[tf.Tensor, tf.Tensor], tf.Tensor]:
    epsilon = 1e-5

    def loss(y_true: tf.Tensor, y_pred: tf.Tensor) -> tf.Tensor:
        f_loss = beta * (1 - y_pred) ** gamma * y_true * K.log(y_pred + epsilon)  # β*(1-p̂)ᵞ*p*log(p̂)
        f_loss += (1 - beta) * y_pred ** gamma * (1 - y_true) * K.log(1 - y_pred + epsilon)  # (1-β)*p̂ᵞ*(1−p)*log(1−p̂)
        f_loss = -f_loss  # −[β*(1-p̂)ᵞ*p*log(p̂) + (1-β)*p̂ᵞ*(1−p)*log(1−p̂)]

        # Average over each data point/image in batch
        axis_to_reduce = range(1, K.ndim(f_loss))
        f_loss = K.mean(f_loss, axis=axis_to_reduce)

        return f_loss

    return loss


data = np.load("masks.npz")
x_train, y_train = data["images"], data["masks"]

inputs = keras.Input(shape=(32, 32, 1))
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)

model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=binary_focal_loss(beta=0.5))
model.fit(x_train, y_train, batch_size=16, epochs=20, validation_split=0.1)
