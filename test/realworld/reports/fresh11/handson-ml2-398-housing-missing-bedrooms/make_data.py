# Writes housing.csv beside this script in the layout of the California housing CSV of the book's
# chapter 2 (longitude, latitude, housing_median_age, total_rooms, total_bedrooms, population,
# households, median_income, median_house_value, ocean_proximity), with 20640 districts and, as in
# the book's file, 207 of them without a total_bedrooms value (an empty cell). Drawn at random with
# the real columns' rough ranges and a value that grows with income; not the real data (the issue
# does not say how X_train_std was made).
import os

import numpy as np

rng = np.random.default_rng(398)
n = 20640
longitude = np.round(rng.uniform(-124.3, -114.3, n), 2)
latitude = np.round(rng.uniform(32.5, 42.0, n), 2)
age = rng.integers(1, 53, n)
households = np.round(np.exp(rng.normal(6.0, 0.7, n))).astype(int) + 1
rooms = np.round(households * rng.uniform(3.5, 7.0, n)).astype(int)
bedrooms = np.round(rooms * rng.uniform(0.17, 0.25, n)).astype(int)
population = np.round(households * rng.uniform(2.0, 4.0, n)).astype(int)
income = np.round(np.clip(rng.gamma(4.0, 1.0, n), 0.5, 15.0), 4)
value = np.clip(np.round(40000 * income + rng.normal(0, 50000, n) + 30000), 15000, 500001).astype(int)
proximity = rng.choice(['<1H OCEAN', 'INLAND', 'NEAR OCEAN', 'NEAR BAY', 'ISLAND'], n, p=[0.44, 0.32, 0.13, 0.109, 0.001])
missing = rng.choice(n, 207, replace=False)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'housing.csv')
with open(path, 'w') as f:
    f.write('longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,households,'
            'median_income,median_house_value,ocean_proximity\n')
    missing = set(missing.tolist())
    for i in range(n):
        b = '' if i in missing else '%d.0' % bedrooms[i]
        f.write('%s,%s,%d.0,%d.0,%s,%d.0,%d.0,%s,%d.0,%s\n' % (longitude[i], latitude[i], age[i], rooms[i], b,
                                                            population[i], households[i], income[i], value[i],
                                                            proximity[i]))
print('wrote', path, n, 'rows,', len(missing), 'without total_bedrooms')
