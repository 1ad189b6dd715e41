# Writes mirna.npz beside this script: miRNA_train, 1000 stand-in miRNA sequences of 18 to 25
# nucleotides over A, C, G, U, one-hot encoded and zero-padded at the end to 25 steps, the layout the
# issue's (timesteps, input_dim) Input reads. They are drawn from 40 random family sequences, each
# copy with up to two point mutations and its own length, as miRNAs come in families; not the
# reporter's data (the issue does not give it).
import os

import numpy as np

rng = np.random.default_rng(10663)
n, timesteps, bases, families = 1000, 25, 'ACGU', 40
seeds = rng.choice(4, size=(families, timesteps), p=[0.24, 0.22, 0.26, 0.28])
lengths = rng.integers(18, 26, size=families)
X = np.zeros((n, timesteps, len(bases)), dtype=np.float32)
for i in range(n):
    f = rng.integers(families)
    seq = seeds[f].copy()
    for _ in range(rng.integers(0, 3)):
        seq[rng.integers(timesteps)] = rng.integers(4)
    length = lengths[f]
    X[i, np.arange(length), seq[:length]] = 1.0

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'mirna.npz')
np.savez_compressed(path, miRNA_train=X)
print('wrote', path, X.shape)
