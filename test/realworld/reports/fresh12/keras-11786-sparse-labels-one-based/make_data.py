# Writes images.npz beside this script: a stand-in for the 256x256 RGB images and 7 labels of
# keras-team/keras issue 11786 (x_train, y_train, x_test, y_test; the issue does not give its data or
# how it was loaded). 140 training and 35 test images of smooth colour gradients, one orientation per
# class, and labels numbered 1 to 7 as a class list read from folder or file names often is; not the
# reporter's images.
import os

import numpy as np

rng = np.random.default_rng(11786)
yy, xx = np.mgrid[0:256, 0:256] / 255.0


def make(n):
    labels = rng.integers(1, 8, n)
    images = np.empty((n, 256, 256, 3), dtype=np.uint8)
    for i, c in enumerate(labels):
        angle = np.pi * (c - 1) / 7
        ramp = np.cos(angle) * xx + np.sin(angle) * yy
        ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min() + 1e-9)
        base = rng.uniform(0.3, 0.7, 3)
        images[i] = np.clip(255 * (0.5 * ramp[..., None] + 0.5 * base), 0, 255).astype(np.uint8)
    return images, labels


x_train, y_train = make(140)
x_test, y_test = make(35)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'images.npz')
np.savez_compressed(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
print('wrote', path, x_train.shape, 'labels', sorted(set(y_train.tolist())))
