# Writes training_data.csv the way the reporter's file is read: an id column, 464 numeric feature
# columns and a 0/1 label in the last column, 2520 rows (the script slices rows 0-2520). The
# features are sensor-like readings of mixed scale; the data itself was not posted.
import numpy as np
import pandas as pd

rng = np.random.default_rng(14490)
n = 2520
features = rng.normal(0.0, 1.0, (n, 464)) * rng.uniform(0.1, 50.0, 464) + rng.uniform(-20, 80, 464)
label = (features[:, :8].sum(axis=1) > np.median(features[:, :8].sum(axis=1))).astype(int)
frame = pd.DataFrame(features.round(3), columns=[f"f{i}" for i in range(464)])
frame.insert(0, "id", np.arange(n))
frame["label"] = label
frame.to_csv("training_data.csv", index=False)
