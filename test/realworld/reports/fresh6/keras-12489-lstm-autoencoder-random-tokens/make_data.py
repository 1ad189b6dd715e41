# Writes sequences.npy for the re-creation of keras-team/keras issue 12489: "random genered
# sequence of the 50 tokens" of length 100 (the poster's generator is not in the thread): 512
# sequences of token ids drawn uniformly from 50.
import numpy as np

rng = np.random.default_rng(12489)
sequences = rng.integers(0, 50, size=(512, 100)).astype(np.int8)
np.save("sequences.npy", sequences)
print(sequences.shape)
