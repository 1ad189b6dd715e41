# Writes household_power_consumption.csv like the UCI "Individual household electric power
# consumption" data the poster of krishnaik06/Stock-MArket-Forecasting#1 ran the repository's
# notebook on: one row a minute from 16/12/2006 17:24, Date, Time and Global_active_power in kW.
# The UCI file has about 1.25% of its rows missing, the first block on 28/4/2007, which is why the
# first 1000 rows train and the whole file does not; a reply: "check if there are any nan values in
# the data set". Here 10,000 rows (the poster had 200k), values ours, with two blocks of missing
# readings (empty fields, read as NaN) inside the first 65% that the notebook trains on.
import numpy as np
import pandas as pd

rng = np.random.default_rng(1)
n = 10000
t = pd.date_range('2006-12-16 17:24', periods=n, freq='min')
daily = 1.1 + 0.9 * np.sin((t.hour.values * 60 + t.minute.values) / 1440 * 2 * np.pi - 2.0)
power = np.clip(daily + rng.gamma(1.5, 0.4, n) - 0.4, 0.08, 8.0).round(3)
power = power.astype(object)
power[3180:3205] = ''
power[5410:5415] = ''
pd.DataFrame({'Date': t.strftime('%-d/%-m/%Y'), 'Time': t.strftime('%H:%M:%S'),
              'Global_active_power': power}).to_csv('household_power_consumption.csv', index=False)
