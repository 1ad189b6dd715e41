# Writes transactions.csv beside the script: the reporter's data (daily debit transactions of 15
# bank branches, a date index and one column per branch_id) is not in the issue. Two years of
# business days with amounts in the hundreds of thousands, a few missing days, and no rows for
# weekends and holidays; the repro fills them as the issue says. Seeded.
import numpy as np
import pandas as pd

rng = np.random.default_rng(18247)
days = pd.bdate_range("2021-01-01", "2022-12-31")
cols = {}
for b in range(15):
    level = rng.uniform(2e5, 9e5)
    trend = np.linspace(0, rng.uniform(-0.2, 0.3), len(days))
    week = 1 + 0.15 * np.sin(2 * np.pi * np.arange(len(days)) / 5)
    amount = level * (1 + trend) * week * rng.lognormal(0, 0.25, len(days))
    amount[rng.uniform(size=len(days)) < 0.03] = np.nan
    cols[str(1001 + b)] = np.round(amount, 2)
df = pd.DataFrame(cols, index=days)
df.index.name = "date"
df.to_csv("transactions.csv")
