# Writes features.csv the way the reporter described it: 17 numeric columns, one of which is
# all zeros (a feature that never fires in their data), plus a label column.
import numpy as np
import pandas as pd

rng = np.random.default_rng(9)
n = 1000
data = {f"x{j}": rng.gamma(2.0, 3.0 + j, n).round(2) for j in range(17)}
data["x11"] = np.zeros(n)
data["label"] = rng.integers(0, 4, n)
pd.DataFrame(data).to_csv("features.csv", index=False)
