# Writes data.csv beside this script in the layout of the breast cancer
# Wisconsin (diagnostic) CSV the reporter read: an id column, the diagnosis
# (M/B), the thirty measurements and the empty trailing column that pandas
# names 'Unnamed: 32'. The measurements are the same data set as shipped
# with scikit-learn; the ids are deterministic.
import os

import numpy as np
from sklearn.datasets import load_breast_cancer

here = os.path.dirname(os.path.abspath(__file__))
data = load_breast_cancer()
names = [
    "radius_mean", "texture_mean", "perimeter_mean", "area_mean", "smoothness_mean",
    "compactness_mean", "concavity_mean", "concave points_mean", "symmetry_mean",
    "fractal_dimension_mean", "radius_se", "texture_se", "perimeter_se", "area_se",
    "smoothness_se", "compactness_se", "concavity_se", "concave points_se",
    "symmetry_se", "fractal_dimension_se", "radius_worst", "texture_worst",
    "perimeter_worst", "area_worst", "smoothness_worst", "compactness_worst",
    "concavity_worst", "concave points_worst", "symmetry_worst",
    "fractal_dimension_worst",
]
rng = np.random.RandomState(0)
ids = np.sort(rng.choice(np.arange(8000, 999999), size=len(data.target), replace=False))
with open(os.path.join(here, "data.csv"), "w") as f:
    f.write('"id","diagnosis",' + ",".join('"%s"' % n for n in names) + ",\n")
    for i, (row, t) in enumerate(zip(data.data, data.target)):
        diag = "M" if t == 0 else "B"
        f.write("%d,%s," % (ids[i], diag) + ",".join("%g" % v for v in row) + ",\n")
