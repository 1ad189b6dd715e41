# Writes sequences.npz beside this script: a stand-in for the token data of keras-team/keras issue
# 10694 (a sequence model with an Embedding layer fed by tf.data; the issue gives no data). 3000
# sequences of 40 token ids from a vocabulary of 150 tokens (ids 1 to 150, 0 for padding on the
# left), and a 0/1 label that depends on whether the sequence holds more "positive" tokens (ids
# 1-60) than "negative" ones (ids 61-120). The vocabulary is larger than the issue's "100
# Embeddings", as in the issue ("you have more tokens than that").
import os

import numpy as np

rng = np.random.default_rng(10694)
n, length, vocab = 3000, 40, 150
x = np.zeros((n, length), dtype=np.int32)
y = np.zeros(n, dtype=np.float32)
for i in range(n):
    k = rng.integers(10, length + 1)
    toks = rng.integers(1, vocab + 1, size=k)
    x[i, length - k:] = toks
    y[i] = float(((toks <= 60).sum()) > ((toks > 60) & (toks <= 120)).sum())
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sequences.npz')
np.savez_compressed(path, x=x, y=y)
print('wrote', path, x.shape, 'max id', int(x.max()), 'positives', int(y.sum()))
