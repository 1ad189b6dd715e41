# Writes prices.csv as the reporter's data looked: daily rows of a few instruments' prices and
# volumes; some days have a volume of 0 (no trades).
import numpy as np
import pandas as pd

rng = np.random.default_rng(46145)
n = 1500
data = {}
for name in ("AAA", "BBB", "CCC"):
    data[f"{name}_close"] = (100 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))).round(2)
    vol = rng.integers(0, 5000, n).astype(float)
    vol[rng.random(n) < 0.05] = 0
    data[f"{name}_volume"] = vol
pd.DataFrame(data).to_csv("prices.csv", index_label="day")
