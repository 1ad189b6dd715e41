# Writes processminer-rare-event.csv the way the sheet-break data looks: a time column, a binary
# label y and 59 process sensor columns x1..x61 on mixed scales (about 5% of rows are breaks).
import numpy as np
import pandas as pd

rng = np.random.default_rng(2367)
n = 300
df = pd.DataFrame({"time": pd.date_range("1999-05-01", periods=n, freq="2min").strftime("%m/%d/%y %H:%M")})
df["y"] = (rng.random(n) < 0.05).astype(int)
for j in range(1, 62):
    if j in (28, 61):
        continue
    scale = 10.0 ** rng.integers(-1, 3)
    df[f"x{j}"] = (rng.normal(0, 1, n).cumsum() * 0.05 * scale + rng.normal(0, scale, n)).round(3)
df.to_csv("processminer-rare-event.csv", index=False)
