# Writes Google_Stock_Price_Train.csv in the layout of the repository's file (Date, Open, High, Low,
# Close, Volume) but with the "8800 open price data of financial time series" the poster of
# krishnaik06/Stock-Price-Prediction-using-Keras-and-Recurrent-Neural-Networ#2 used instead. Daily
# price downloads from Yahoo Finance carry rows of 'null' on days without a quote, which pandas reads
# as NaN; whether the poster's file had them the thread does not say (no reply). The prices are
# ours, 3,000 rows rather than 8,800 so that an epoch runs in seconds, with a few 'null' rows.
import numpy as np
import pandas as pd

rng = np.random.default_rng(2)
n = 3000
dates = pd.bdate_range('2008-01-02', periods=n)
close = 50 * np.exp(np.cumsum(rng.normal(0.0003, 0.015, n)))
open_ = close * (1 + rng.normal(0, 0.005, n))
high = np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.005, n)))
low = np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.005, n)))
volume = rng.integers(1_000_000, 9_000_000, n)
df = pd.DataFrame({'Date': dates.strftime('%-m/%-d/%Y'), 'Open': open_.round(2), 'High': high.round(2),
                   'Low': low.round(2), 'Close': close.round(2), 'Volume': volume}).astype(object)
for row in (412, 1307, 2288):
    df.loc[row, ['Open', 'High', 'Low', 'Close', 'Volume']] = 'null'
df.to_csv('Google_Stock_Price_Train.csv', index=False)
