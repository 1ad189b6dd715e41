# Writes train.npz beside this script: 64x64 single-channel crops of a
# synthetic nuclear-stain movie (bright round nuclei on a dark background)
# and their pixelwise labels (0 background, 1 cell edge, 2 cell interior).
# As in tiled training sets, some crops fall on empty field and are flat:
# every pixel of those crops has the same value.
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(445)
n, size = 160, 64
X = np.zeros((n, size, size, 1), dtype=np.uint16)
y = np.zeros((n, size, size, 1), dtype=np.uint8)
yy, xx = np.mgrid[0:size, 0:size]
for i in range(n):
    if i % 8 == 0:
        X[i] = 0  # empty field, flat crop
        continue
    img = rng.normal(100, 4, size=(size, size))
    lab = np.zeros((size, size), dtype=np.uint8)
    for _ in range(rng.randint(2, 7)):
        cy, cx = rng.randint(6, size - 6, size=2)
        r = rng.uniform(4, 9)
        d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
        img[d < r] += rng.uniform(300, 900)
        lab[d < r] = 2
        lab[(d >= r - 1.5) & (d < r)] = 1
    X[i, ..., 0] = np.clip(img, 0, 65535).astype(np.uint16)
    y[i, ..., 0] = lab
np.savez_compressed(os.path.join(here, "train.npz"), X=X, y=y)
