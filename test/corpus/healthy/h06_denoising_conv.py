# A denoising convolutional autoencoder with tf.keras, noisy inputs clipped to [0, 1].
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(106)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 256, 1, 1))
clean = (255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0)).astype("uint8")
clean = clean.astype("float32")[..., None] / 255.
noisy = np.clip(clean + 0.25 * rng.normal(size=clean.shape), 0., 1.)

inp = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(16, 3, activation="relu", padding="same")(inp)
x = layers.MaxPooling2D(2, padding="same")(x)
x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
x = layers.UpSampling2D(2)(x)
out = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(noisy, clean, epochs=4, batch_size=32)
