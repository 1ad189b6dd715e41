# Writes stock.csv beside this script: a stand-in daily price file (Date, Open, High, Low, Close,
# Volume; 300 trading days) for the Stack Overflow question mirrored at techfeed.net/es/485530, whose
# data are not in the question. A geometric random walk for the prices and a lognormal volume; not
# real quotes.
import os

import numpy as np

rng = np.random.default_rng(485530)
n = 300
close = 40 * np.exp(np.cumsum(rng.normal(0.0004, 0.015, n)))
open_ = close * np.exp(rng.normal(0, 0.005, n))
high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, 0.006, n)))
low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, 0.006, n)))
volume = np.round(np.exp(rng.normal(15, 0.4, n))).astype(int)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stock.csv')
with open(path, 'w') as f:
    f.write('Date,Open,High,Low,Close,Volume\n')
    day = np.datetime64('2016-01-04')
    for i in range(n):
        f.write('%s,%.2f,%.2f,%.2f,%.2f,%d\n' % (day + np.timedelta64(i, 'D'), open_[i], high[i], low[i], close[i], volume[i]))
print('wrote', path, n, 'rows')
