# Writes train.csv beside the script: the reporter's data is not in the issue (a binary task
# trained "for several days"). 2000 rows of 20 standardized features and a 0/1 label drawn from a
# logistic model of the features. Seeded.
import numpy as np

rng = np.random.default_rng(4744)
X = rng.standard_normal((2000, 20))
w = rng.standard_normal(20)
p = 1 / (1 + np.exp(-(X @ w) / 2))
y = (rng.uniform(size=2000) < p).astype(int)
np.savetxt("train.csv", np.hstack([X, y[:, None]]), delimiter=",", fmt="%.4f")
