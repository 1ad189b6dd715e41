# Writes train.npz beside this script: a stand-in for the data of the blog note "Loss and Accuracy
# Get Stuck in Keras" (its log shows 2499007 training rows and a categorical cross-entropy near
# 1.91 with accuracy 0.54, i.e. several unbalanced classes); the note does not give its data or
# model. 12000 rows of 20 standardized features and 8 classes whose frequencies fall off (the
# largest about half the rows), the class drawn from a softmax of a linear function of the
# features; not the author's data.
import os

import numpy as np

rng = np.random.default_rng(2017)
n, d, k = 12000, 20, 8
x = rng.normal(0, 1, (n, d)).astype('float32')
w = rng.normal(0, 0.8, (d, k))
prior = np.log(np.array([0.5, 0.15, 0.1, 0.08, 0.07, 0.05, 0.03, 0.02]))
logits = x @ w + prior * 2
p = np.exp(logits - logits.max(axis=1, keepdims=True))
p /= p.sum(axis=1, keepdims=True)
y = np.array([rng.choice(k, p=row) for row in p])
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'train.npz')
np.savez_compressed(path, x=x, y=y)
print('wrote', path, x.shape, np.bincount(y) / n)
