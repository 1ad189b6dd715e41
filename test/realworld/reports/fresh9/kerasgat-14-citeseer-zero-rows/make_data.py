# Writes data/ind.citeseer.* beside the script, in the layout of the Planetoid files that
# keras_gat/utils.py's load_data('citeseer') reads: x, y, tx, ty, allx, ally (pickled scipy
# sparse feature matrices and one-hot label arrays), graph (a dict of adjacency lists) and
# test.index. The real Citeseer files are not used: a small graph of the same make, 640 labelled or
# unlabelled nodes and a test range of 200 indices of which 12 are missing from test.index and
# have no features and no edges, as Citeseer's isolated nodes do (load_data fills them in as zero
# rows). 500 binary word features, 6 classes, 20 training nodes per class. Seeded.
import os
import pickle as pkl

import numpy as np
import scipy.sparse as sp

rng = np.random.default_rng(14)
n_classes, F = 6, 500
n_all, n_test_range = 640, 200
N = n_all + n_test_range
labels = rng.integers(0, n_classes, N)
# class-dependent word probabilities
word_p = rng.uniform(0.002, 0.02, (n_classes, F))
for c in range(n_classes):
    word_p[c, rng.choice(F, 40, replace=False)] += 0.15
features = (rng.uniform(size=(N, F)) < word_p[labels]).astype(np.float32)
features[features.sum(1) == 0, rng.integers(0, F)] = 1.0
onehot = np.eye(n_classes)[labels]

missing = np.sort(rng.choice(np.arange(n_all, N), 12, replace=False))
test_idx = np.array([i for i in range(n_all, N) if i not in set(missing)])
test_idx_reorder = rng.permutation(test_idx)

train_idx = np.concatenate([np.flatnonzero(labels[:n_all] == c)[:20] for c in range(n_classes)])
order = np.concatenate([train_idx, np.setdiff1d(np.arange(n_all), train_idx)])  # training nodes first
relabel = {old: new for new, old in enumerate(order)}
features[:n_all] = features[order]
onehot[:n_all] = onehot[order]
labels[:n_all] = labels[order]

graph = {i: [] for i in range(N)}
for i in range(N):
    if i in set(missing):
        continue
    same = np.flatnonzero((labels == labels[i]) & ~np.isin(np.arange(N), missing))
    for j in rng.choice(same, 3):
        if j != i:
            graph[i].append(int(j))
            graph[int(j)].append(i)

os.makedirs("data", exist_ok=True)
n_train = len(train_idx)
objects = {
    "x": sp.csr_matrix(features[:n_train]),
    "y": onehot[:n_train],
    "allx": sp.csr_matrix(features[:n_all]),
    "ally": onehot[:n_all],
    "tx": sp.csr_matrix(features[np.sort(test_idx_reorder)]),
    "ty": onehot[np.sort(test_idx_reorder)],
    "graph": graph,
}
for name, obj in objects.items():
    with open("data/ind.citeseer.{}".format(name), "wb") as f:
        pkl.dump(obj, f)
with open("data/ind.citeseer.test.index", "w") as f:
    f.write("\n".join(str(i) for i in test_idx_reorder) + "\n")
