# Writes series.npz beside the script: the reporter's data (mig.X_train, mig.y_train of a
# "many to many" regression, 100 time steps) is not in the issue. 64 sequences of 100 steps of 8
# features and a non-negative target at each step (a smoothed mix of the features, scaled to
# [0, 1]), as a relu output can give. Seeded.
import numpy as np

rng = np.random.default_rng(3687)
n, t, f = 64, 100, 8
X = np.cumsum(rng.standard_normal((n, t, f)), axis=1) / 10.0
w = rng.standard_normal(f)
y = np.tanh(X @ w)
y = (y - y.min()) / (y.max() - y.min())
np.savez_compressed("series.npz", X_train=X.astype("float32"), y_train=y[..., None].astype("float32"))
