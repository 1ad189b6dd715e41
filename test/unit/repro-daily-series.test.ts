// A daily series regressed on its previous days, as a bank-transactions thread did it: the frame
// reindexed to every day (`df.asfreq("D")`, rows of unknown count), windows cut in a comprehension
// and given to np.array, and a Sequential model with no input shape whose Flatten follows Dense
// layers (Keras 3 takes a Flatten of a rank-2 input; tfjs-layers asked for rank 3 and failed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const SERIES = `
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, Flatten, BatchNormalization

df = pd.read_csv("https://example.com/transactions.csv", index_col="date", parse_dates=True)
df = df.asfreq("D")
df.interpolate(method='time', axis=0, inplace=True)
df.fillna(0, inplace=True)
lookback = 7
series = df["1001"].values
X = np.array([series[i:i + lookback] for i in range(len(series) - lookback)])
y = series[lookback:]

model = Sequential()
model.add(BatchNormalization())
model.add(Dense(32, activation='relu'))
model.add(Dense(64, activation='relu'))
model.add(Flatten())
model.add(Dense(1, activation='relu'))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(X, y, epochs=3, batch_size=31)
`;

describe('a daily series reindexed with asfreq, cut into windows', () => {
  it('asfreq keeps the columns and leaves the rows unknown: the windows are (?, 7)', async () => {
    const model = await fittedModelOf(SERIES);
    assert.deepEqual(model.data.train?.shape, [null, 7]);
    assert.deepEqual(model.data.target?.shape, [null]);
  });

  it('the model, its input shape taken from the windows, builds with its Flatten after Dense layers and trains', async () => {
    const plan = planned(await fittedModelOf(SERIES));
    assert.deepEqual(plan.inputShape, [7]);
    const summary = await trainOnCpu(plan);
    // BatchNormalization 4*7, Dense 7*32+32, Dense 32*64+64, Flatten none, Dense 64+1.
    assert.equal(summary.model.parameters, 4 * 7 + (7 * 32 + 32) + (32 * 64 + 64) + (64 + 1));
    assert.equal(summary.history.loss.length, 3);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });

  it('Flatten still flattens images: (8, 8, 2) to 128 values', async () => {
    const model = await fittedModelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(64, 8, 8, 2)
m = keras.Sequential([keras.Input((8, 8, 2)), layers.Flatten(), layers.Dense(128)])
m.compile("adam", "mse")
m.fit(x, x.reshape(64, 128), epochs=1)
`);
    const summary = await trainOnCpu(planned(model));
    assert.equal(summary.model.parameters, 128 * 128 + 128);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });
});
