# Writes masks.npz beside the script: the pull request gives no data or model. 256 grey images of
# 32x32 with one or two bright discs on a noisy background, and their binary masks (the discs),
# as a binary image segmentation task. Seeded.
import numpy as np

rng = np.random.default_rng(20200805)
n, h = 256, 32
yy, xx = np.mgrid[0:h, 0:h]
images = rng.normal(0.2, 0.05, size=(n, h, h)).astype("float32")
masks = np.zeros((n, h, h), dtype="float32")
for i in range(n):
    for _ in range(int(rng.integers(1, 3))):
        cy, cx = rng.integers(6, h - 6, size=2)
        r = rng.integers(3, 7)
        disc = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
        masks[i][disc] = 1.0
        images[i][disc] += 0.6
np.savez_compressed("masks.npz", images=images[..., None], masks=masks[..., None])
