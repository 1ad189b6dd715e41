# Writes samples.csv the way the post's data looked: a few categorical id columns and continuous
# features, some of which are 0 in every row, plus a binary label with few positives.
import numpy as np
import pandas as pd

rng = np.random.default_rng(149088309)
n = 3000
df = pd.DataFrame({
    "user_id": rng.integers(0, 500, n),
    "item_id": rng.integers(0, 200, n),
    "price": rng.gamma(2, 30, n).round(2),
    "clicks_7d": rng.poisson(3, n),
    "coupon_amount": np.zeros(n),
    "refund_cnt": np.zeros(n, dtype=int),
    "dwell_time": rng.exponential(40, n).round(1),
    "label": (rng.random(n) < 0.08).astype(int),
})
df.to_csv("samples.csv", index=False)
