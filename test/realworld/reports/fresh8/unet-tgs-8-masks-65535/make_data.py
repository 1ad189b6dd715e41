# Writes tgs_salt.npz beside the script: the images and masks of the TGS salt identification
# data the notebook reads from images/ and masks/ are not in the issue (and the environment has
# neither PIL nor scikit-image to read and resize PNG files). 64 grey seismic-like images of
# 128x128 (0-255, as load_img and resize with preserve_range give them) and their salt masks as
# the competition's 16-bit PNG masks hold them: 0 or 65535. Seeded.
import numpy as np

rng = np.random.default_rng(20220206)
n, h = 64, 128
yy, xx = np.mgrid[0:h, 0:h]
images = np.zeros((n, h, h, 1), dtype=np.float32)
masks = np.zeros((n, h, h, 1), dtype=np.float32)
for i in range(n):
    base = 128 + 40 * np.sin(yy / rng.uniform(4, 12) + rng.uniform(0, 6)) + rng.normal(0, 12, (h, h))
    if rng.uniform() < 0.6:
        level = rng.uniform(30, 100)
        salt = yy > level + 15 * np.sin(xx / rng.uniform(10, 30))
        base[salt] = 0.6 * base[salt] + 60
        masks[i, salt, 0] = 65535.0
    images[i, ..., 0] = np.clip(base, 0, 255)
np.savez_compressed("tgs_salt.npz", images=images.astype(np.uint8), masks=masks.astype(np.uint16))
