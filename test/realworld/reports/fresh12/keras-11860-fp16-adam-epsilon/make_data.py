# Writes seyir.csv and frames.npz beside this script: a stand-in for the racecar driving log the
# issue's model_trainer notebook reads (seyir.csv with FileName, Speed and Angle columns; 2405 rows;
# Angle from -0.27 to 0.34 with median 0, as the notebook prints) and its camera frames, which the
# notebook loads by file name with cv2. The frames here are small synthetic road images (a lane
# edge whose slant follows the angle), 1/8 of the camera's 376x1344 in each direction, stored in
# frames.npz under their file names; not the real recordings.
import os

import numpy as np

rng = np.random.default_rng(11860)
n = 2405
h, w = 47, 168
here = os.path.dirname(os.path.abspath(__file__))

angle = np.where(rng.random(n) < 0.5, 0.0, np.clip(rng.normal(-0.03, 0.15, n), -0.272732, 0.34))
speed = np.round(rng.uniform(0.29, 0.45, n), 6)
names = ['/home/nvidia/racecar-ws/src/racecar-controllers/deep_learning/data/036/images/%05d.png' % i for i in range(n)]

frames = {}
rows = np.arange(h)[:, None]
cols = np.arange(w)[None, :]
for i in range(n):
    edge = w / 2 + angle[i] * 200 * (h - rows) / h
    road = (np.abs(cols - edge) < 3).astype(np.float32)
    img = np.stack([60 + 150 * road, 60 + 150 * road, 70 + 140 * road], axis=-1)
    frames['f%05d' % i] = np.clip(img, 0, 255).astype(np.uint8)

np.savez_compressed(os.path.join(here, 'frames.npz'), **frames)
with open(os.path.join(here, 'seyir.csv'), 'w') as f:
    f.write('FileName,Speed,Angle\n')
    for i in range(n):
        f.write('%s,%.6f,%.6f\n' % (names[i], speed[i], angle[i]))
print('wrote seyir.csv and frames.npz,', n, 'frames of', (h, w, 3))
