# Writes the data the way the DeepReflect autoencoder reads it, beside the script: one .npy per
# binary (its basic blocks, one row each: the address first, then 18 features), train.txt and
# test.txt listing those files, and normalize.npy, the per-feature maxima that the repository's
# normalize.py (DR.get_max) writes. The issue gives no data: the blocks here are made up, small
# counts like the repository's features, and the last feature is 0 in every block (a feature
# that never occurs in the samples), so its maximum is 0. Seeded.
import os
import numpy as np

rng = np.random.default_rng(20261211)
max_len = 64
os.makedirs("features", exist_ok=True)
names = []
for i in range(24):
    n = int(rng.integers(20, 90))
    addr = np.arange(n, dtype=float)[:, None] * 16 + 0x401000
    feats = rng.poisson(lam=rng.uniform(0.2, 4.0, size=18), size=(n, 18)).astype(float)
    feats[:, 17] = 0.0
    fn = os.path.join("features", "sample%02d.npy" % i)
    np.save(fn, np.hstack([addr, feats]))
    names.append(fn)
with open("train.txt", "w") as fw:
    fw.write("\n".join(names[:20]) + "\n")
with open("test.txt", "w") as fw:
    fw.write("\n".join(names[20:]) + "\n")

# DR.get_max, as normalize.py runs it over the training and test samples
maximum_val = np.array([0.0] * 18)
for fn in names:
    b = np.array([[0] * 18] * max_len, dtype=float)
    bytez = np.load(fn)[:max_len][:, 1:]
    b[:len(bytez)] = bytez
    b_max = b.max(axis=0)
    idx = np.where(b_max > maximum_val)[0]
    maximum_val[idx] = b_max[idx]
np.save("normalize.npy", maximum_val)
