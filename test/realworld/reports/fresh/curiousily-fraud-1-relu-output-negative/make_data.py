# Writes data/creditcard.csv in the layout of the Kaggle credit-card fraud data the notebook reads
# (not redistributable): Time, V1..V28 (PCA components: centred, of decreasing spread, half of each
# negative), Amount (positive, skewed) and Class (fraud about 0.2%, here a little more so that the
# test split holds some). 900 rows of the real 284,807.
import numpy as np
import pandas as pd
import os

rng = np.random.default_rng(1)
n = 900
columns = {"Time": np.sort(rng.uniform(0, 172792, n)).round()}
scales = np.linspace(2.0, 0.3, 28)
for i, scale in enumerate(scales, start=1):
    columns[f"V{i}"] = (rng.standard_t(5, n) * scale * 0.8).round(4)
columns["Amount"] = rng.lognormal(3.0, 1.4, n).round(2)
fraud = rng.random(n) < 0.01
columns["Class"] = fraud.astype(int)
frame = pd.DataFrame(columns)
frame.loc[fraud, ["V1", "V3", "V14"]] -= 4.0
os.makedirs("data", exist_ok=True)
frame.to_csv("data/creditcard.csv", index=False)
