# Writes train.csv / test.csv the way the reporter's data looked: 42 numeric network-traffic
# features (byte and packet counts, durations, rates) of very different scales, unscaled.
import numpy as np
import pandas as pd

rng = np.random.default_rng(12371)


def frame(n):
    cols = {}
    for j in range(42):
        if j % 6 == 0:
            cols[f"f{j}"] = rng.lognormal(8, 2.5, n).round(0)  # byte counts up to ~1e6
        elif j % 6 == 1:
            cols[f"f{j}"] = rng.integers(0, 512, n)  # packet counts
        elif j % 6 == 2:
            cols[f"f{j}"] = rng.exponential(30, n).round(2)  # durations
        else:
            cols[f"f{j}"] = rng.random(n).round(3)  # rates in [0, 1]
    return pd.DataFrame(cols)


frame(700).to_csv("train.csv", index=False)
frame(300).to_csv("test.csv", index=False)
