# Writes eeg.npz beside the script: the data of keras-team/keras pull request 1368 are not in it
# ("my problem - EEG Analysis - the zero-vector means 'doing nothing'"). 2400 windows of 8
# channels x 8 band powers (64 standardized features) and a target over 4 actions, one-hot, or the
# zero vector for a window where the subject does nothing (a quarter of them). Seeded.
import numpy as np

rng = np.random.default_rng(1368)
n, n_actions = 2400, 4
state = rng.integers(0, n_actions + 1, n)  # n_actions = doing nothing
patterns = rng.normal(0, 1, (n_actions + 1, 64))
X = patterns[state] * 0.8 + rng.normal(0, 1, (n, 64))
Y = np.zeros((n, n_actions), dtype="float32")
acting = state < n_actions
Y[acting, state[acting]] = 1.0
np.savez("eeg.npz", X=X.astype("float32"), Y=Y)
