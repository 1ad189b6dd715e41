"""A variational-style autoencoder whose exp(log_var) overflows.

The encoder predicts a mean and a log-variance for a 4-dimensional latent code; the
variance is exp(log_var), added to the mean and perturbed with Gaussian noise on the way
to the decoder. The sensor readings (0 to 500) reach the encoder unscaled, so log_var
starts in the hundreds: exp() of anything above 88.7 is infinite in float32, and the
loss is NaN from the first batch. Scaling the inputs (StandardScaler) or bounding the
log-variance (clip, tanh, softplus) fixes it.
"""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

X = np.random.uniform(0, 500, (512, 8))

inputs = keras.Input(shape=(8,))
h = layers.Dense(16, activation="relu")(inputs)
z_mean = layers.Dense(4)(h)
z_log_var = layers.Dense(4)(h)
z_var = layers.Activation("exponential")(z_log_var)
z = layers.Add()([z_mean, z_var])
z = layers.GaussianNoise(1.0)(z)
d = layers.Dense(16, activation="relu")(z)
outputs = layers.Dense(8)(d)

vae = keras.Model(inputs, outputs)
vae.compile(optimizer="adam", loss="mse")
vae.fit(X, X, epochs=10, batch_size=32, validation_split=0.1)
