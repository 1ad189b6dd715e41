# Writes sequence.csv beside the script: a binary sequence of integers {0, 1} (one column), the
# "bigger training set" the question trains on (its values are not in the thread): each term
# repeats the one three places before it, flipped one time in ten. Seeded.
import numpy as np

rng = np.random.default_rng(20261210)
seq = list(rng.integers(0, 2, size=3))
for _ in range(5000 - 3):
    seq.append(seq[-3] ^ int(rng.random() < 0.1))
np.savetxt("sequence.csv", np.array(seq), fmt="%d")
