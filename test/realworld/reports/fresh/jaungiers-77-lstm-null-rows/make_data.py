# Writes stock_data.csv as the reporter's own dataset is described: a daily price series with the
# repository's sp500.csv columns that the config reads (Date, Close, Volume), and a few rows whose
# cells are empty (null values in the file) in the middle of the training part, so that the loss
# is finite for the first batches of the epoch and nan after them.
import numpy as np
import pandas as pd

rng = np.random.default_rng(77)
n = 4000
close = 100.0 * np.exp(np.cumsum(rng.normal(0.0003, 0.01, n)))
volume = rng.lognormal(15, 0.4, n).round()
frame = pd.DataFrame({
    "Date": pd.bdate_range("1995-01-02", periods=n).strftime("%Y-%m-%d"),
    "Close": close.round(2),
    "Volume": volume,
})
for row in (1950, 1951, 2400):
    frame.loc[row, ["Close", "Volume"]] = np.nan
frame.to_csv("stock_data.csv", index=False)
