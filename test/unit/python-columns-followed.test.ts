/**
 * The file's columns behind an array, followed the way numpy and pandas select them: `names=` on a
 * header-less file, a selection by a list of names, one column taken out by position (`X[:, 0]`),
 * and windows a generator function yields. A column's range is claimed only for that column.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile, DEFAULT_SETTINGS, type AnalysisHost, type Finding } from '../../src/core/index';

/** A header-less, space-separated sensor file: unit, cycle, two settings near 0, then sensors near 640 and 9000. */
function sensorFile(rows: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push([1 + Math.floor(i / 50), 1 + (i % 50), ((i % 7) - 3) / 1000, ((i % 5) - 2) / 10000, 640 + (i % 11) / 10, 9000 + (i % 13) * 7].map((v) => v.toFixed(4)).join(' '));
  return `${lines.join('\n')}\n`;
}

const host: AnalysisHost = {
  readText: async (path) => (path.endsWith('train_FD001.txt') ? { path: 'train_FD001.txt', text: sensorFile(400) } : undefined),
};

const HEAD = `import numpy as np
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

cols = ['unit', 'cycle', 'op1', 'op2'] + ['s%d' % i for i in range(1, 3)]
train = pd.read_csv('train_FD001.txt', sep=' ', header=None, names=cols)
feature_cols = cols[2:]
X = train[feature_cols].values
`;

const FIT = (x: string, y: string) => `model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
model.fit(${x}, ${y}, epochs=5)
`;

async function findings(source: string, rule: string): Promise<Finding[]> {
  const { findings: all } = await checkFile('train.py', source, host, DEFAULT_SETTINGS);
  return all.filter((f) => f.rule === rule);
}

const show = (fs: Finding[]) => fs.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('\n');

test('names= on a header-less file: the columns a selection keeps are named, at their places in the file', async () => {
  const hits = await findings(`${HEAD}${FIT('X', 'X[:, 0]')}`, 'NAN101');
  assert.ok(hits.length > 0, 'X reaches the network unscaled');
  assert.match(hits[0].message, /^X reaches the network unscaled: feature 3 \('s2'\) spans 9000-9084/, show(hits));
});

test('X[:, k] holds column k only: a target taken from a small column is not given the large columns\' range', async () => {
  const small = await findings(`${HEAD}X = X / 10000.0\n${FIT('X', 'train[feature_cols].values[:, 0] * 100')}`, 'NAN101');
  assert.deepEqual(small.filter((f) => /target/.test(f.message)), [], show(small));
  const large = await findings(`${HEAD}y = X[:, 3]\nX = X / 10000.0\n${FIT('X', 'y')}`, 'NAN101');
  const target = large.filter((f) => /target/.test(f.message));
  assert.equal(target.length, 1, show(large));
  assert.match(target[0].message, /^y, the target of fit, is unscaled: feature 0 \('s2'\) spans 9000-9084/);
});

test('a generator function\'s windows, made a list, are the windows numpy stacks', async () => {
  const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

data = np.random.rand(100, 3) * 5000


def windows(a, w):
    for i in range(len(a) - w):
        yield a[i:i + w]


X = np.array(list(windows(data, 10)))
model = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(8), layers.Dense(3)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
model.fit(X, X[:, -1], epochs=5)
`;
  const hits = await findings(source, 'NAN101');
  assert.ok(hits.length > 0);
  assert.match(hits[0].message, /^X reaches the network unscaled: feature 0 spans 0-5000/, show(hits));
  // The same loop returning nothing (no yield): nothing is known of X.
  assert.deepEqual(await findings(source.replace('yield a[i:i + w]', 'a[i:i + w]'), 'NAN101'), []);
});

// Python Machine Learning Cookbook's LSTM on Amazon's closing prices: `usecols=['Date', 'Close'],
// index_col='Date'` keeps Close alone. The whole file was taken, and column 0 of it (the date) replayed.
test("usecols and index_col keep the named columns, less the index: Close of a stock file", async () => {
  const rows = ['Date,Open,High,Low,Close,Adj Close,Volume'];
  for (let i = 0; i < 300; i++) rows.push(`2000-01-${String((i % 28) + 1).padStart(2, '0')},${20 + i},${21 + i},${19 + i},${2000 + i * 3},${2000 + i * 3},${600000 + i}`);
  const stockHost: AnalysisHost = { readText: async (path) => (path.endsWith('AMZN.csv') ? { path: 'AMZN.csv', text: `${rows.join('\n')}\n` } : undefined) };
  const source = `import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense
Data = pd.read_csv('AMZN.csv', header=0, usecols=['Date', 'Close'], parse_dates=True, index_col='Date')
values = Data.values
model = Sequential()
model.add(Dense(4, input_dim=1))
model.add(Dense(1))
model.compile(loss='mean_squared_error', optimizer='sgd')
model.fit(values[:-1], values[1:], epochs=1, batch_size=1)
`;
  const { analysis, findings: all } = await checkFile('stock.py', source, stockHost, DEFAULT_SETTINGS);
  const train = analysis.models[0].data.train;
  assert.deepEqual(train?.shape, [299, 1]);
  assert.deepEqual(train?.valuesFrom?.columns, ['Close']);
  // The Close column's range (the rows kept lie within it): not the dates', not the volumes'.
  const [close] = train?.stats ?? [];
  assert.ok(close && close.min === 2000 && close.max >= 2894 && close.max <= 2897, JSON.stringify(close));
  assert.ok(all.some((f) => f.rule === 'NAN101' && /spans 2000-289\d/.test(f.message)), all.map((f) => f.message).join('\n'));
});

test("a header's trailing comma is pandas's `Unnamed: N` column, which the program drops by that name", async () => {
  // Kaggle's breast-cancer CSV: every line ends with a comma, so the last column has no name and no values.
  const rows = ['"id","diagnosis","radius","texture","area",'];
  for (let i = 0; i < 120; i++) rows.push(`${8000 + i},${i % 3 ? 'B' : 'M'},${(10 + (i % 9)).toFixed(2)},${(20 + (i % 7)).toFixed(2)},${400 + i * 3},`);
  const csvHost: AnalysisHost = { readText: async (path) => (path.endsWith('data.csv') ? { path: 'data.csv', text: `${rows.join('\n')}\n` } : undefined) };
  const source = `import pandas as pd
from keras.models import Sequential
from keras.layers import Dense
df = pd.read_csv('data.csv', index_col=0)
df = df.drop('Unnamed: 5', axis=1)
X = df.iloc[:, 1:].values
y = (df.iloc[:, 0] == 'M').values.astype(float)
model = Sequential([Dense(4, activation='relu'), Dense(1, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(X, y, epochs=2)
`;
  const { analysis } = await checkFile('train.py', source, csvHost, DEFAULT_SETTINGS);
  const model = analysis.models.find((m) => m.fit);
  assert.deepEqual(model?.data.train?.shape, [120, 3]);
});
