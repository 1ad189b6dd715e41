# Writes train.csv beside this script: a table in the form of the French motor third-party
# liability claims (freMTPL2freq) the ClaimNb comes from, its columns already numeric as the
# issue's `train %>% select(-ClaimNb) %>% as.matrix()` needs them: Exposure (years, 0-1), Area
# (1-6), VehPower (4-15), VehAge (0-20), DrivAge (18-90), BonusMalus (50-230), VehGas (0/1),
# Density (inhabitants per km2, 1-27000) and ClaimNb, a Poisson count with a rate that grows with
# BonusMalus and falls with DrivAge (mostly 0, as in the real table). 20000 rows; not the real data
# (the issue does not give its preprocessing).
import os

import numpy as np

rng = np.random.default_rng(1280)
n = 20000
exposure = np.round(rng.uniform(0.05, 1.0, n), 2)
area = rng.integers(1, 7, n)
vehpower = rng.integers(4, 16, n)
vehage = rng.integers(0, 21, n)
drivage = rng.integers(18, 91, n)
bonusmalus = np.clip(np.round(rng.gamma(2.0, 15.0, n) + 50), 50, 230).astype(int)
vehgas = rng.integers(0, 2, n)
density = np.clip(np.round(np.exp(rng.normal(5.5, 2.0, n))), 1, 27000).astype(int)
rate = 0.08 * exposure * np.exp(0.012 * (bonusmalus - 50) - 0.006 * (drivage - 18) + 0.03 * area)
claims = rng.poisson(rate)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'train.csv')
with open(path, 'w') as f:
    f.write('ClaimNb,Exposure,Area,VehPower,VehAge,DrivAge,BonusMalus,VehGas,Density\n')
    for row in zip(claims, exposure, area, vehpower, vehage, drivage, bonusmalus, vehgas, density):
        f.write(','.join(str(v) for v in row) + '\n')
print('wrote', path, n, 'rows,', int((claims > 0).sum()), 'with claims')
