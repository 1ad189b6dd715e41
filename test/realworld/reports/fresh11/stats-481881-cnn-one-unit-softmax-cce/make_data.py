# Writes given_answer.npz beside this script: train_X (1000, 99, 25, 2) and test_X (250, 99, 25, 2),
# whose first channel is noise and whose second channel repeats the sample's label over the whole
# 99 x 25 grid ("The output boolean is in the input in the 3rd dimension of the input"), and the 0/1
# labels train_y / test_y of shape (n, 1). The question links one sample on a paste site that is not
# kept; the sizes and the noise are ours.
import os

import numpy as np

rng = np.random.default_rng(481881)


def make(n):
    y = rng.integers(0, 2, size=(n, 1))
    X = np.empty((n, 99, 25, 2), dtype=np.float32)
    X[..., 0] = rng.normal(0.0, 1.0, size=(n, 99, 25))
    X[..., 1] = y[:, :, None]
    return X, y.astype(np.float32)


train_X, train_y = make(1000)
test_X, test_y = make(250)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'given_answer.npz')
np.savez_compressed(path, train_X=train_X, train_y=train_y, test_X=test_X, test_y=test_y)
print('wrote', path, train_X.shape, test_X.shape)
