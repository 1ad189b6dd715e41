# Writes X_train.npy and Y_train.npy like the patches of an SRCNN (Super-Resolution CNN) training
# set: X a blurred 32x32x3 patch, Y the sharp centre 20x20x3 (the model's 'valid' convolutions take
# 32 to 20), pixel values 0-255 as read from image files. The reporter's data was not posted; the
# raw 0-255 scale is an assumption (mean squared logarithmic error, which the reporter found to work,
# suits such values).
import numpy as np

rng = np.random.default_rng(2530)
n = 64
base = rng.uniform(0, 255, (n, 8, 8, 3))
sharp = np.kron(base, np.ones((1, 4, 4, 1)))  # 32x32 blocks
sharp = np.clip(sharp + rng.normal(0, 12, sharp.shape), 0, 255)
blurred = sharp.copy()
for axis in (1, 2):
    blurred = (np.roll(blurred, 1, axis) + blurred + np.roll(blurred, -1, axis)) / 3.0
np.save('X_train.npy', blurred.astype('float32'))
np.save('Y_train.npy', sharp[:, 6:26, 6:26, :].astype('float32'))
