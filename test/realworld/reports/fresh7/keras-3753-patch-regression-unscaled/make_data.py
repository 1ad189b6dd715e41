# Writes red_patches.npz beside the script: the reporter's red-channel data, 4 by 4 patches of an
# image made into vectors of length 16 with a pixel value as the target (the issue gives only this
# description and the sample counts, 2064384 training and 1125000 validation rows): here 20000 and
# 5000 rows cut from a smooth synthetic 8-bit image, raw 0-255 values as the reporter had them, the
# target the pixel just right of each patch's centre. Seeded.
import numpy as np

rng = np.random.default_rng(20261210)
h, w = 400, 400
yy, xx = np.mgrid[0:h, 0:w]
img = 127.5 + 60 * np.sin(xx / 17.0) * np.cos(yy / 23.0) + 40 * np.sin((xx + yy) / 41.0)
img = np.clip(img + rng.normal(0, 8, size=img.shape), 0, 255).round()


def cut(n):
    r = rng.integers(0, h - 4, size=n)
    c = rng.integers(0, w - 5, size=n)
    X = np.stack([img[i:i + 4, j:j + 4].ravel() for i, j in zip(r, c)])
    Y = img[r + 2, c + 4]
    return X.astype("float32"), Y.astype("float32")


X_train_red, Y_train_red = cut(20000)
X_test_red, Y_test_red = cut(5000)
np.savez("red_patches.npz", X_train_red=X_train_red, Y_train_red=Y_train_red,
         X_test_red=X_test_red, Y_test_red=Y_test_red)
