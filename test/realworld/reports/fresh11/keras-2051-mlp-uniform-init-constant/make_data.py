# Writes data.csv beside this script in the layout the genfromtxt reads (';'-separated, a
# header line, the price to predict in the first column and its previous values in the others):
# 2458 daily closing prices of a stand-in stock (a geometric random walk from 40 with a slight
# drift), cut into 2451 rows of the next price and the 7 prices before it. Not the reporter's data
# (the issue does not give it).
import os

import numpy as np

rng = np.random.default_rng(2051)
n, lags = 2451, 7
prices = 40.0 * np.exp(np.cumsum(rng.normal(0.0003, 0.015, n + lags)))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data.csv')
with open(path, 'w') as f:
    f.write(';'.join(['close'] + ['close_lag%d' % k for k in range(1, lags + 1)]) + '\n')
    for i in range(lags, n + lags):
        row = [prices[i]] + [prices[i - k] for k in range(1, lags + 1)]
        f.write(';'.join('%.2f' % v for v in row) + '\n')
print('wrote', path, n, 'rows')
