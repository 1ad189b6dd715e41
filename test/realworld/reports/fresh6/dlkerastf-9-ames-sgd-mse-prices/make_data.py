# Writes ames_baked_train.csv for the re-creation of rstudio-conf-2020/dl-keras-tf issue 9: the
# Ames training split (2051 homes) as the workshop's recipe bakes it, 188 features (numeric ones
# Yeo-Johnson'd, centred and scaled, quality columns integer-coded and scaled, the other
# categoricals one-hot) and the untouched Sale_Price in dollars. The AmesHousing data are not
# here; this stand-in keeps the shapes and ranges (prices from about 40,000 to over 600,000).
import numpy as np
import pandas as pd

rng = np.random.default_rng(9)
n = 2051
n_numeric, n_onehot = 40, 148
numeric = rng.normal(size=(n, n_numeric))
groups = np.split(np.arange(n_onehot), np.cumsum([6] * (n_onehot // 6))[:-1])
onehot = np.zeros((n, n_onehot))
for g in groups:
    onehot[np.arange(n), rng.choice(g, size=n)] = 1.0
quality = numeric[:, :6].sum(axis=1) / np.sqrt(6)
price = np.exp(12.0 + 0.38 * quality + rng.normal(scale=0.15, size=n))
price = np.clip(price, 12789, 755000).round()
cols = {f"num_{i}": numeric[:, i].round(4) for i in range(n_numeric)}
cols.update({f"cat_{i}": onehot[:, i].astype(int) for i in range(n_onehot)})
df = pd.DataFrame(cols)
df.insert(0, "Sale_Price", price)
df.to_csv("ames_baked_train.csv", index=False)
print(df.shape, price.min(), price.max())
