# Writes Train.txt beside this script in the layout the numpy.loadtxt("Train.txt",
# delimiter="\t") reads: 106 feature columns and a 0/1 label in column 107, tab-separated, no header.
# The issue does not give the data; this stand-in has 90 binary indicator columns and 16 continuous
# ones, with the label drawn from a logistic function of a few of them (not the reporter's data).
import os

import numpy as np

rng = np.random.default_rng(4784)
n = 3000
binary = (rng.random((n, 90)) < 0.3).astype(int)
continuous = rng.normal(0.0, 1.0, (n, 16))
logit = 1.5 * continuous[:, 0] - 1.2 * continuous[:, 1] + 2.0 * binary[:, 0] - 2.0 * binary[:, 1] + 0.8 * continuous[:, 2] * binary[:, 2]
label = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'Train.txt')
with open(path, 'w') as f:
    for i in range(n):
        cells = [str(v) for v in binary[i]] + ['%.3f' % v for v in continuous[i]] + [str(label[i])]
        f.write('\t'.join(cells) + '\n')
print('wrote', path, n, 'rows,', label.mean(), 'positive')
