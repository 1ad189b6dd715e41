# Writes posters.npz beside this script: a stand-in for the movie-poster genre data of the
# bp-mll-tensorflow issue 3 thread (a CNN trained with the repository's BP-MLL loss to tag posters
# with genres; the reporter's notebook and data are not in the thread). 320 posters, 32x32 RGB
# uint8 images made of smooth colour blobs, and 10 genre columns (0/1), each poster having 1 to 3
# genres, except 12 posters tagged with every genre, which is what the thread's reporter found in
# their data ("There may be some datapoints with all genres").
import os

import numpy as np

rng = np.random.default_rng(3)
n, size, n_genres = 320, 32, 10
yy, xx = np.mgrid[0:size, 0:size]
images = np.zeros((n, size, size, 3), dtype=np.uint8)
genres = np.zeros((n, n_genres), dtype=np.int64)
for i in range(n):
    k = rng.integers(1, 4)
    tags = rng.choice(n_genres, size=k, replace=False)
    genres[i, tags] = 1
    img = np.full((size, size, 3), 30.0) + rng.uniform(0, 40, 3)
    for t in tags:
        cy, cx = rng.uniform(4, 28, 2)
        r = rng.uniform(5, 12)
        colour = np.array([(t * 37) % 256, (t * 91) % 256, (t * 53) % 256], dtype=float)
        blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r))
        img += blob[:, :, None] * colour
    images[i] = np.clip(img, 0, 255).astype(np.uint8)
all_tagged = rng.choice(n, size=12, replace=False)
genres[all_tagged] = 1

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'posters.npz')
np.savez_compressed(path, images=images, genres=genres)
print('wrote', path, images.shape, genres.shape, int((genres.sum(1) == n_genres).sum()), 'with every genre')
