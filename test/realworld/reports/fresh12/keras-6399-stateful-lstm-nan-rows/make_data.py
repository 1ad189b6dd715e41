# Writes series.csv beside this script: a stand-in for the univariate series of keras-team/keras
# issue 6399 (a date column and a value column, 3000 rows, read as in the time-series tutorial the
# issue's LOOK_BACK/trainX/trainY code follows). The values are a random walk between about 100 and
# 600; three readings after row 1000 are missing (empty cells), as a logged series often has. Not
# the reporter's data, which the issue does not give.
import os

import numpy as np

rng = np.random.default_rng(6399)
n = 3000
value = 300 + np.cumsum(rng.normal(0, 4, n))
value = np.clip(value, 100, 600)
missing = {1337, 1702, 2411}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'series.csv')
with open(path, 'w') as f:
    f.write('date,value\n')
    for i in range(n):
        day = np.datetime64('2010-01-01') + np.timedelta64(i, 'D')
        f.write('%s,%s\n' % (day, '' if i in missing else '%.2f' % value[i]))
print('wrote', path, n, 'rows,', len(missing), 'empty cells')
