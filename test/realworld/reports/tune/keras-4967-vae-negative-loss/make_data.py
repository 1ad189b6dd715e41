# Writes expression.npy the way "different data" looked in the report: non-negative measurements
# per sample (counts normalized per row to a mean of 1, so many values are above 1).
import numpy as np

rng = np.random.default_rng(4967)
x = rng.gamma(0.8, 1.0, size=(450, 100)).astype("float32")
x = x / x.mean(axis=1, keepdims=True)
np.save("expression.npy", x)
