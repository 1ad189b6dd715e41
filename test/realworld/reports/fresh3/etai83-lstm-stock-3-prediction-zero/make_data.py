# Writes GOOGL_stock.csv like the Google Finance download the poster of
# etai83/lstm_stock_prediction#3 switched the notebook to ("I've altered your code to support
# google API instead of yahoo"): the notebook's URL asks for GOOGL from 12 Jul 2013 to 11 Jul 2017
# (about 1,000 trading days), newest first, with Date, Open, High, Low, Close and Volume. The prices
# here are ours: a random walk from about 440 to about 980 dollars.
import numpy as np
import pandas as pd

rng = np.random.default_rng(3)
n = 1006
dates = pd.bdate_range('2013-07-12', periods=n)
walk = np.cumsum(rng.normal(0, 0.014, n))
walk -= np.linspace(0, 1, n) * walk[-1]
close = 440 * np.exp(np.linspace(0, np.log(980 / 440), n) + walk)
open_ = close * (1 + rng.normal(0, 0.006, n))
high = np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.006, n)))
low = np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.006, n)))
volume = rng.integers(800_000, 4_000_000, n)
df = pd.DataFrame({'Date': dates.strftime('%d-%b-%y'), 'Open': open_.round(2), 'High': high.round(2),
                   'Low': low.round(2), 'Close': close.round(2), 'Volume': volume})
df[::-1].to_csv('GOOGL_stock.csv', index=False)
