# Writes the two files the Manhattan-LSTM issue 4 re-creation reads, beside this script:
# - SICK.tsv: a stand-in for the SICK sentence-relatedness set in its layout (tab-separated,
#   pair_ID, sentence_A, sentence_B, relatedness_score), 2500 pairs of short English sentences
#   made from a small grammar, the relatedness score on SICK's 1-5 scale (1 decimal), higher
#   the more words and the more of the meaning the two sentences share;
# - vectors.npz: a stand-in for the GoogleNews word2vec vectors the repository loads with gensim,
#   300-dimensional float32 vectors for the stand-in vocabulary (words, vectors).
# Not the real data; deterministic (seeded).
import os

import numpy as np

rng = np.random.default_rng(4)
here = os.path.dirname(os.path.abspath(__file__))

subjects = ['man', 'woman', 'boy', 'girl', 'dog', 'cat', 'child', 'person', 'player', 'chef',
            'baby', 'horse', 'bird', 'musician', 'rider', 'student']
verbs = ['is playing', 'is cutting', 'is riding', 'is eating', 'is running', 'is jumping',
         'is cooking', 'is holding', 'is slicing', 'is walking', 'is climbing', 'is throwing']
objects = ['a guitar', 'an onion', 'a bike', 'a ball', 'the grass', 'a horse', 'a potato',
           'a tree', 'the water', 'a piano', 'a fence', 'a frisbee', 'a wave', 'the road']
places = ['', ' in the park', ' on the beach', ' in a kitchen', ' on a stage', ' near the river']
adjs = ['', 'young ', 'old ', 'little ', 'tall ']


def sentence(s, v, o, p, a):
    return 'A %s%s %s %s%s' % (a, s, v, o, p)


rows = []
for i in range(2500):
    s, v, o, p, a = (rng.integers(len(subjects)), rng.integers(len(verbs)), rng.integers(len(objects)),
                     rng.integers(len(places)), rng.integers(len(adjs)))
    s2, v2, o2, p2, a2 = s, v, o, p, a
    for k in range(rng.integers(0, 5)):
        part = rng.integers(5)
        if part == 0: s2 = rng.integers(len(subjects))
        elif part == 1: v2 = rng.integers(len(verbs))
        elif part == 2: o2 = rng.integers(len(objects))
        elif part == 3: p2 = rng.integers(len(places))
        else: a2 = rng.integers(len(adjs))
    same = (s == s2) * 1.2 + (v == v2) * 1.3 + (o == o2) * 1.0 + (p == p2) * 0.3 + (a == a2) * 0.2
    score = float(np.clip(1.0 + same + rng.normal(0, 0.25), 1.0, 5.0))
    rows.append((i + 1, sentence(subjects[s], verbs[v], objects[o], places[p], adjs[a]),
                 sentence(subjects[s2], verbs[v2], objects[o2], places[p2], adjs[a2]), round(score, 1)))

with open(os.path.join(here, 'SICK.tsv'), 'w') as f:
    f.write('pair_ID\tsentence_A\tsentence_B\trelatedness_score\n')
    for r in rows:
        f.write('%d\t%s\t%s\t%.1f\n' % r)

words = sorted({w for r in rows for sent in r[1:3] for w in sent.lower().split()})
vectors = rng.normal(0, 0.15, size=(len(words), 300)).astype('float32')
np.savez_compressed(os.path.join(here, 'vectors.npz'), words=np.array(words), vectors=vectors)
print('wrote SICK.tsv', len(rows), 'pairs; vectors.npz', vectors.shape)
