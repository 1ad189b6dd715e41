# Writes pairs.npz beside the script: the reporter's data are not in the issue (pairs of word-index
# sequences x1, x2 of length input_dim and a 0/1 label y). 4000 pairs of 30-word questions over a
# 100000-word vocabulary, zero-padded at the front; a third of the pairs are duplicates whose two
# questions are the same sequence (label 1), the others two different questions (label 0). Seeded.
import numpy as np

rng = np.random.default_rng(4541)
n, input_dim, vocab = 4000, 30, 100000


def question():
    length = rng.integers(5, input_dim + 1)
    q = np.zeros(input_dim, dtype="int32")
    q[input_dim - length:] = rng.integers(1, vocab, size=length)
    return q


x1 = np.stack([question() for _ in range(n)])
y = (rng.uniform(size=n) < 1 / 3).astype("float32")
x2 = np.stack([x1[i] if y[i] == 1 else question() for i in range(n)])
np.savez("pairs.npz", x1=x1, x2=x2, y=y)
