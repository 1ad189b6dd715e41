# Writes GOOGL.csv as the reporter's stock data looked: daily Open/High/Low/Close prices around
# 500-1100 and a Volume column in the millions, unscaled.
import numpy as np
import pandas as pd

rng = np.random.default_rng(6004)
n = 1500
close = 550 * np.exp(np.cumsum(rng.normal(0.0004, 0.015, n)))
df = pd.DataFrame({
    "Date": pd.date_range("2012-01-03", periods=n, freq="B").strftime("%Y-%m-%d"),
    "Open": (close * (1 + rng.normal(0, 0.005, n))).round(2),
    "High": (close * (1 + abs(rng.normal(0, 0.01, n)))).round(2),
    "Low": (close * (1 - abs(rng.normal(0, 0.01, n)))).round(2),
    "Close": close.round(2),
    "Volume": rng.integers(1_000_000, 8_000_000, n),
})
df.to_csv("GOOGL.csv", index=False)
