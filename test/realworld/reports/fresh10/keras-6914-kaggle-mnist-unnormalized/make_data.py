# Writes train.csv beside this script in the layout of Kaggle's "Digit Recognizer" train.csv (a
# 'label' column, then pixel0..pixel783 as integers 0-255), which the kernel reads: 420
# rows of ten stroke patterns, one per label, each drawn with a random shift of up to two pixels
# and a random stroke intensity. Not the real digits (the issue does not give its data).
import os

import numpy as np

rng = np.random.default_rng(6914)
templates = []
for _ in range(10):
    t = np.zeros((28, 28))
    for _ in range(4):  # four strokes per class
        r0, c0 = rng.integers(6, 22, size=2)
        dr, dc = rng.integers(-1, 2, size=2)
        for k in range(10):
            r, c = r0 + dr * k, c0 + dc * k
            if 4 <= r < 24 and 4 <= c < 24:
                t[r - 1:r + 1, c - 1:c + 1] = 1.0
    templates.append(t)

rows = []
for i in range(420):
    label = i % 10
    img = np.roll(templates[label], shift=tuple(rng.integers(-2, 3, size=2)), axis=(0, 1))
    img = np.clip(img * rng.uniform(180, 255), 0, 255).astype(int)
    rows.append([label] + img.reshape(-1).tolist())
rows = [rows[j] for j in rng.permutation(len(rows))]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'train.csv')
with open(path, 'w') as f:
    f.write(','.join(['label'] + ['pixel%d' % k for k in range(784)]) + '\n')
    for row in rows:
        f.write(','.join(str(v) for v in row) + '\n')
print('wrote', path, len(rows), 'rows')
