# Writes x_train.npy and y_train.npy for the re-creation of keras-team/keras issue 3471: 625
# input features per row and targets that are "very large" (the thread gives neither; here a
# linear signal in the tens of thousands plus noise, so a linear model can reach an r^2 near the
# poster's 0.26).
import numpy as np

rng = np.random.default_rng(3471)
n, d = 200, 625
x_train = rng.normal(size=(n, d)).astype("float32")
w = rng.normal(size=(d,))
signal = x_train @ w
y_train = (40000.0 + 600.0 * signal + rng.normal(scale=26000.0, size=n)).astype("float32")
np.save("x_train.npy", x_train)
np.save("y_train.npy", y_train)
print(x_train.shape, y_train.min(), y_train.max())
