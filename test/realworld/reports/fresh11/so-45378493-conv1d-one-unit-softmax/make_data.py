# Writes prices.npz beside this script: X_train (5820, 10, 4) and X_test (970, 10, 4), windows of
# ten steps of four price columns (open, high, low, close) standardized over the whole series as the
# question's printed row looks (values near -1.06), and y_train / y_test, 1 where the window's last
# close is above its first (a label the windows carry). The question gives one row and the test set's class
# counts (608 ones, 362 zeros); the series is a stand-in random walk with a slight upward drift,
# not the poster's data.
import os

import numpy as np

rng = np.random.default_rng(45378493)
n = 6800
close = 100.0 * np.exp(np.cumsum(rng.normal(0.0008, 0.01, n + 12)))
open_ = close * np.exp(rng.normal(0, 0.003, close.shape))
high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, 0.003, close.shape)))
low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, 0.003, close.shape)))
prices = np.stack([open_, high, low, close], axis=1)
prices = (prices - prices.mean()) / prices.std()

X, y = [], []
for i in range(len(prices) - 11):
    X.append(prices[i:i + 10])
    y.append([1 if prices[i + 9, 3] > prices[i, 3] else 0])
X, y = np.array(X)[:6790], np.array(y)[:6790]
X_train, X_test, y_train, y_test = X[:5820], X[5820:], y[:5820], y[5820:]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'prices.npz')
np.savez_compressed(path, X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test)
print('wrote', path, X_train.shape, X_test.shape, 'share of ones', float(y.mean()))
