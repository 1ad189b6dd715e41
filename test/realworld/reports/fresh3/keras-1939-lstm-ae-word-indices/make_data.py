# Writes db.txt, the list of sentences the poster of keras-team/keras#1939 loads as `db` ("My db is
# just a list of sentences"): one sentence a line, lower and upper case words from a Zipf-like
# vocabulary, 5 to 30 words each. The thread does not give the text; the sentences here are ours,
# 1,500 of them where the poster had 12,149, so that the poster's words.index() loop runs in seconds.
import numpy as np

rng = np.random.default_rng(1939)
vocabulary = ['w%d' % i for i in range(30000)]
weights = 1.0 / np.arange(1, len(vocabulary) + 1) ** 0.8
weights /= weights.sum()
with open('db.txt', 'w') as handle:
    for _ in range(1500):
        n = rng.integers(5, 31)
        words = rng.choice(vocabulary, size=n, p=weights)
        handle.write(' '.join(w.upper() if rng.random() < 0.1 else w for w in words) + '\n')
