# Writes padded_training_seqs.npy and training_final_steps.npy for the re-creation of
# keras-team/keras issue 2003: sequences of [latitude, longitude, temperature] of different
# lengths, padded to the same length with [0, 0, 0], and the [latitude, longitude] each sequence
# ends at. "most of the training values in each sequence is around [40, 40, 20]"; the thread gives
# no data, so these are tracks drifting around (40, 40) with temperatures around 20.
import numpy as np

rng = np.random.default_rng(2003)
n, max_sequence_length = 400, 20
padded_training_seqs = np.zeros((n, max_sequence_length, 3), dtype="float32")
training_final_steps = np.zeros((n, 2), dtype="float32")
for i in range(n):
    length = rng.integers(5, max_sequence_length + 1)
    start = 40.0 + rng.normal(scale=2.0, size=2)
    steps = np.cumsum(rng.normal(scale=0.3, size=(length + 1, 2)), axis=0) + start
    temps = 20.0 + rng.normal(scale=4.0) + rng.normal(scale=1.0, size=length)
    padded_training_seqs[i, :length, :2] = steps[:length]
    padded_training_seqs[i, :length, 2] = temps
    training_final_steps[i] = steps[length]
np.save("padded_training_seqs.npy", padded_training_seqs)
np.save("training_final_steps.npy", training_final_steps)
print(padded_training_seqs.shape, training_final_steps.mean(axis=0))
