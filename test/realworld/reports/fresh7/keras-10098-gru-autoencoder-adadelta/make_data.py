# Writes train_x.npy beside the script: the reporter's Train_X, 1000 observations by 24 time steps
# by 17 dimensions (the issue gives only the shape): 17 smooth series with noise, each scaled to
# [0, 1] as such series usually are before an autoencoder. Seeded.
import numpy as np

rng = np.random.default_rng(20261210)
t = np.arange(1000 + 24)[:, None]
freq = rng.uniform(0.01, 0.2, size=17)
phase = rng.uniform(0, 2 * np.pi, size=17)
series = np.sin(t * freq + phase) + 0.1 * rng.standard_normal((1000 + 24, 17))
series = (series - series.min(axis=0)) / (series.max(axis=0) - series.min(axis=0))
train_x = np.stack([series[i:i + 24] for i in range(1000)]).astype("float32")
np.save("train_x.npy", train_x)
