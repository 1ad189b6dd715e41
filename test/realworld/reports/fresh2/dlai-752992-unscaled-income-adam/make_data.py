# Writes multiple_linear_regression_dataset.csv like the Kaggle "Multiple Linear Regression Dataset"
# the poster used: 20 rows, two features (age, experience) and the income target, which a reply
# gives as ranging from 27840 to 63600 dollars. The values here are ours, of those sizes.
import numpy as np
import pandas as pd

rng = np.random.default_rng(752992)
age = rng.integers(22, 60, 20)
experience = np.clip(age - 22 - rng.integers(0, 8, 20), 0, None)
income = 27840 + (63600 - 27840) * (experience - experience.min()) / (experience.max() - experience.min())
income = (income + rng.normal(0, 1500, 20)).clip(27840, 63600).round()
income[np.argmin(income)] = 27840
income[np.argmax(income)] = 63600
pd.DataFrame({'age': age, 'experience': experience, 'income': income.astype(int)}).to_csv(
    'multiple_linear_regression_dataset.csv', index=False)
