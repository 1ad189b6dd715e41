# Writes tracks.npz beside the script: the reporter's data are not in the issue, which describes
# them: "an array of sequences of [latitude, longitude, temperature], all padded to the same length
# with values of [0,0,0]" and targets of two values, "most of the training values in each sequence
# is around [40, 40, 20]". 600 tracks of 5 to 30 readings that drift from a start near (40, 40) at
# about 20 degrees, zero-padded at the front to 30 steps; the target is the [latitude, longitude]
# of the next reading. Seeded.
import numpy as np

rng = np.random.default_rng(1987)
n, max_sequence_length = 600, 30
X = np.zeros((n, max_sequence_length, 3), dtype="float32")
Y = np.zeros((n, 2), dtype="float32")
for i in range(n):
    length = rng.integers(5, max_sequence_length + 1)
    start = np.array([40.0, 40.0]) + rng.normal(0, 2, 2)
    steps = rng.normal(0, 0.2, (length + 1, 2)).cumsum(axis=0) + start
    temps = 20 + rng.normal(0, 3, length)
    X[i, max_sequence_length - length:, :2] = steps[:length]
    X[i, max_sequence_length - length:, 2] = temps
    Y[i] = steps[length]
np.savez("tracks.npz", padded_training_seqs=X, training_final_steps=Y)
