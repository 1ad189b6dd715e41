# Writes X.npy and y.npy for the re-creation of the Stack Overflow question 63909566: "X is a
# 2-dimentional np.array of np.int8 and y is a 1-dimentional array of np.float64 containing
# probabilities". The question gives no data; these are 2000 rows of 30 small integer features and
# a probability that is a logistic function of them.
import numpy as np

rng = np.random.default_rng(63909566)
n, d = 2000, 30
X = rng.integers(-3, 4, size=(n, d)).astype(np.int8)
w = rng.normal(scale=0.3, size=d)
y = 1.0 / (1.0 + np.exp(-(X @ w)))
np.save("X.npy", X)
np.save("y.npy", y.astype(np.float64))
print(X.shape, X.dtype, y.min(), y.max())
