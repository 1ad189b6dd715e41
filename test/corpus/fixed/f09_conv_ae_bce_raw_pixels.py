# nanguard-fixed-from: failing/f09_conv_ae_bce_raw_pixels.py
# nanguard-fix: divide the images by 255 so that the targets lie in [0, 1] (x_train = x_train.astype("float32") / 255.)
# The same script with the fix applied: it trains in Keras (checked by verify_labels.py).
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(9)
yy, xx = np.mgrid[0:28, 0:28]
cx, cy = rng.uniform(8, 20, size=(2, 256, 1, 1))
x_train = (255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18.0)).astype("uint8")[..., None]

input_img = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, (3, 3), activation="relu", padding="same")(input_img)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(8, (3, 3), activation="relu", padding="same")(x)
encoded = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(8, (3, 3), activation="relu", padding="same")(encoded)
x = layers.UpSampling2D((2, 2))(x)
x = layers.Conv2D(8, (3, 3), activation="relu", padding="same")(x)
x = layers.UpSampling2D((2, 2))(x)
decoded = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)

autoencoder = keras.Model(input_img, decoded)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
x_train = x_train.astype("float32") / 255.
autoencoder.fit(x_train, x_train, epochs=6, batch_size=32, shuffle=True)
