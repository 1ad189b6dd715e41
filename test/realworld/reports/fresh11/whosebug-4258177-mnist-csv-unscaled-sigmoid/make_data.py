# Writes mnist_train.csv.zip and mnist_test.csv.zip beside this script in the layout the question
# reads with pandas (a 'label' column, then pixel columns named '1x1' .. '28x28', integers 0-255):
# 5001 and 2001 rows of ten stroke patterns, one per label, each drawn with a random shift of up to
# two pixels and a random stroke intensity. Not the real digits (the question's CSV came from a
# repository it clones in Colab).
import os
import zipfile

import numpy as np

rng = np.random.default_rng(4258177)
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

header = ','.join(['label'] + ['%dx%d' % (i, j) for i in range(1, 29) for j in range(1, 29)])
here = os.path.dirname(os.path.abspath(__file__))


def write(name, n):
    lines = [header]
    for i in range(n):
        label = int(rng.integers(0, 10))
        img = np.roll(templates[label], shift=tuple(rng.integers(-2, 3, size=2)), axis=(0, 1))
        img = np.clip(img * rng.uniform(180, 255), 0, 255).astype(int)
        lines.append(','.join([str(label)] + [str(v) for v in img.reshape(-1)]))
    path = os.path.join(here, name + '.zip')
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, '\n'.join(lines) + '\n')
    print('wrote', path, n, 'rows')


write('mnist_train.csv', 5001)
write('mnist_test.csv', 2001)
