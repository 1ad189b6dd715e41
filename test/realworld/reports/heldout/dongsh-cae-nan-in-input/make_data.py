# Writes fields.npy as the blog post's data looked: 2D physical fields (32x32) for a
# convolutional autoencoder, with a few missing points stored as NaN.
import numpy as np

rng = np.random.default_rng(2020)
xx, yy = np.meshgrid(np.linspace(0, 1, 32), np.linspace(0, 1, 32))
fields = np.stack([np.sin(6 * xx * rng.random() + 3 * yy * rng.random()) for _ in range(45)]).astype("float32")
mask = rng.random(fields.shape) < 0.001
fields[mask] = np.nan
np.save("fields.npy", fields)
