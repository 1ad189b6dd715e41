# Writes train.csv for the re-creation of mkocabas/focal-loss-keras issue 5: the poster's data are
# not in the thread, so a binary task of 20 standardized features whose label is a linear rule of
# them (one class in four positive, as focal loss is meant for imbalanced classes).
import numpy as np
import pandas as pd

rng = np.random.default_rng(5)
n, d = 2000, 20
X = rng.normal(size=(n, d))
w = rng.normal(size=d)
score = X @ w
y = (score > np.quantile(score, 0.75)).astype(int)
df = pd.DataFrame(X.round(5), columns=[f"f{i}" for i in range(d)])
df["label"] = y
df.to_csv("train.csv", index=False)
print(df.shape, y.mean())
