# Writes bearing_dataset.csv like the data of paya54/Anomaly_Detect_LSTM_VAE: the README's NASA
# bearing data set (the second run-to-failure test), as the repository registers it in Azure ML:
# one row per 10-minute snapshot, a timestamp column and the mean absolute vibration of the four
# bearings, 984 rows (the program trains on the first 740). The values are ours, in the range of
# that data: about 0.06, 0.07, 0.08 and 0.04 with noise, bearing 1 rising towards failure in the
# last rows. The poster trained on a data set of their own, which the thread does not
# give; this is the repository's.
import numpy as np
import pandas as pd

rng = np.random.default_rng(4)
n = 984
t = pd.date_range("2004-02-12 10:32:39", periods=n, freq="10min")
base = np.array([0.060, 0.073, 0.081, 0.043])
values = base * (1 + 0.05 * rng.standard_normal((n, 4)))
ramp = np.clip((np.arange(n) - 700) / (n - 700), 0, None)
values[:, 0] += 0.45 * ramp ** 2 + 0.02 * ramp * rng.standard_normal(n)
values[:, 1:] += 0.03 * ramp[:, None] ** 2
df = pd.DataFrame(values, index=t, columns=["Bearing 1", "Bearing 2", "Bearing 3", "Bearing 4"])
df.index.name = "Column1"
df.to_csv("bearing_dataset.csv", float_format="%.6f")
print(df.shape)
