# Writes sensors.csv as the asker described: sensor readings for an autoencoder, several of which
# are constant (the sensor never moves), so max == min in those columns.
import numpy as np
import pandas as pd

rng = np.random.default_rng(38913)
n = 1200
data = {f"s{j}": rng.normal(50 + 10 * j, 5 + j, n).round(2) for j in range(20)}
for j in (3, 8, 15):
    data[f"s{j}"] = np.full(n, 100.0)
pd.DataFrame(data).to_csv("sensors.csv", index=False)
