# Writes x_train.npy, y_train.npy and x_test.npy for the re-creation of keras-team/keras issue
# 10607: "a x_train with 34 dimension, which are some stock technical indicator data. And y_train
# is label, which is binary(1,0) represent the stock is uptrend or downtrend". The thread gives no
# data; these are 3000 days of 34 indicator-like columns (oscillators from 0 to 100, returns,
# moving averages in price units) and a trend label that depends on a few of them.
import numpy as np

rng = np.random.default_rng(10607)
n, n_test = 3000, 500

def indicators(m):
    osc = rng.uniform(0, 100, size=(m, 12))
    ret = rng.normal(scale=0.02, size=(m, 11))
    ma = 100 + np.cumsum(rng.normal(size=(m, 11)), axis=0)
    return np.hstack([osc, ret, ma]).astype("float32")

x_train = indicators(n)
x_test = indicators(n_test)
y_train = ((x_train[:, 0] - 50) / 30 + x_train[:, 12] * 40 + rng.normal(scale=0.5, size=n) > 0).astype("float32")
np.save("x_train.npy", x_train)
np.save("y_train.npy", y_train)
np.save("x_test.npy", x_test)
print(x_train.shape, y_train.mean())
