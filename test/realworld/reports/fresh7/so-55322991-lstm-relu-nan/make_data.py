# Writes texts.csv beside the script: token-id sequences (the question feeds an embedding layer
# with features['length'] as the sequence lengths; its data is not in the thread): 1500 rows of a
# label and 300 token ids, zero-padded after a length drawn between 100 and 300; the ids are in
# [6, 5000) but for one keyword id in [1, 6) at a random place, and the label (one of 5) is which
# keyword it is. Seeded.
import numpy as np

rng = np.random.default_rng(20261210)
rows = []
for _ in range(1500):
    length = int(rng.integers(100, 301))
    ids = np.zeros(300, dtype=int)
    ids[:length] = rng.integers(6, 5000, size=length)
    label = int(rng.integers(0, 5))
    ids[int(rng.integers(0, length))] = label + 1
    rows.append([label, *ids])
np.savetxt("texts.csv", np.array(rows), fmt="%d", delimiter=",")
