# Writes pima-indians-diabetes.csv beside the script: a stand-in for the Pima Indians diabetes file
# the question loads (it is not in the thread): 768 rows of the eight raw columns in their usual
# units and ranges (pregnancies, glucose, blood pressure, skin thickness, insulin, BMI, pedigree,
# age; zeros where the real file records missing values) and a 0/1 outcome that follows glucose, BMI
# and age through a logistic link, about a third positive as in the real file. Seeded.
import numpy as np

rng = np.random.default_rng(20261210)
n = 768
preg = rng.poisson(3.8, n).clip(0, 17)
glucose = rng.normal(121, 31, n).clip(44, 199).round()
bp = rng.normal(72, 12, n).clip(24, 122).round()
skin = np.where(rng.random(n) < 0.3, 0, rng.normal(29, 10, n).clip(7, 99).round())
insulin = np.where(rng.random(n) < 0.49, 0, rng.gamma(2.0, 78, n).clip(14, 846).round())
bmi = rng.normal(32.4, 6.9, n).clip(18, 67).round(1)
pedigree = rng.gamma(2.0, 0.24, n).clip(0.078, 2.42).round(3)
age = (21 + rng.gamma(1.6, 7.5, n)).clip(21, 81).round()
z = -9.0 + 0.035 * glucose + 0.09 * bmi + 0.02 * age + 0.6 * pedigree
outcome = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
data = np.column_stack([preg, glucose, bp, skin, insulin, bmi, pedigree, age, outcome])
np.savetxt("pima-indians-diabetes.csv", data, fmt=["%d", "%d", "%d", "%d", "%d", "%.1f", "%.3f", "%d", "%d"], delimiter=",")
