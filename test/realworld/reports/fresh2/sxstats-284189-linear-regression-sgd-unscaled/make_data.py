# Writes television.csv: two columns of the size the asker's "television data" needs to go nan
# (the file was not posted; the asker needed SGD(lr=0.0000001) to fit it, which puts x in the
# thousands), one roughly linear in the other, 60 rows.
import numpy as np
import pandas as pd

rng = np.random.default_rng(284189)
x = rng.uniform(500.0, 5000.0, 60).round(1)
y = (0.8 * x + 300.0 + rng.normal(0.0, 150.0, 60)).round(1)
pd.DataFrame({'x': x, 'y': y}).to_csv('television.csv', index=False)
