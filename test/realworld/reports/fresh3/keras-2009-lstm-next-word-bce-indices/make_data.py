# Writes books.txt, the text the poster of keras-team/keras#2009 cut into windows ("I concatenated
# the text of three books, to get about 20k words ... I cut sentences of 10 words"). The thread
# does not give the books; the words here are ours, 20,000 of them drawn from a Zipf-like
# vocabulary of 3,000.
import numpy as np

rng = np.random.default_rng(2009)
vocabulary = ['w%d' % i for i in range(3000)]
weights = 1.0 / np.arange(1, len(vocabulary) + 1)
weights /= weights.sum()
with open('books.txt', 'w') as handle:
    handle.write(' '.join(rng.choice(vocabulary, size=20000, p=weights)) + '\n')
