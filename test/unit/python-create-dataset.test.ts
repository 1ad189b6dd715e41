/**
 * The `create_dataset(X, y, time_steps)` of many LSTM anomaly-detection tutorials (Venelin
 * Valkov's S&P 500 one among them): a loop that names each window, appends it, and appends the
 * value after it to a second list, over pandas selections (`X.iloc[i:(i + time_steps)].values`,
 * `y.iloc[i + time_steps]`, a column read as `train.close`). The windows' shape was not followed,
 * so the model's input shape `(X_train.shape[1], X_train.shape[2])` was not known.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile } from '../../src/core/index';

const CREATE_DATASET = `
import numpy as np
import pandas as pd
from tensorflow import keras

df = pd.read_csv('spx.csv', parse_dates=['date'], index_col='date')
train_size = int(len(df) * 0.95)
train, test = df.iloc[0:train_size], df.iloc[train_size:len(df)]

def create_dataset(X, y, time_steps=1):
    Xs, ys = [], []
    for i in range(len(X) - time_steps):
        v = X.iloc[i:(i + time_steps)].values
        Xs.append(v)
        ys.append(y.iloc[i + time_steps])
    return np.array(Xs), np.array(ys)

TIME_STEPS = 30
X_train, y_train = create_dataset(train[['close']], train.close, TIME_STEPS)

model = keras.Sequential()
model.add(keras.layers.LSTM(units=64, input_shape=(X_train.shape[1], X_train.shape[2])))
model.add(keras.layers.RepeatVector(n=X_train.shape[1]))
model.add(keras.layers.LSTM(units=64, return_sequences=True))
model.add(keras.layers.TimeDistributed(keras.layers.Dense(units=X_train.shape[2])))
model.compile(loss='mae', optimizer='adam')
model.fit(X_train, X_train, epochs=10, batch_size=32, validation_split=0.1, shuffle=False)
`;

describe('windows cut by a create_dataset function', () => {
  it('gives the windows and the values after them, from a CSV in the workspace', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nanguard-windows-'));
    const rows = Array.from({ length: 2000 }, (_, i) => `2000-01-${String(1 + (i % 28)).padStart(2, '0')},${(1000 + i * 0.5).toFixed(2)}`);
    writeFileSync(join(root, 'spx.csv'), ['date,close', ...rows].join('\n'));
    const analysis = await analyzeFile('spx.py', CREATE_DATASET, createFileSystemHost({ cwd: root, workspaceRoot: root }));
    const model = analysis.models.find((m) => m.fit);
    assert.ok(model);
    // 1900 training rows, 30 steps each: 1870 windows of one feature.
    assert.deepEqual(model.data.train?.shape, [1870, 30, 1]);
    assert.deepEqual(model.inputShape ?? model.layers[0].config.input_shape, [30, 1]);
  });
});

describe("windows that end at i, with the value at i beside them (a stock-price LSTM's `X_train.append(x[i-60:i, 0]); y_train.append(x[i, 0])`)", () => {
  it('gives both, from a CSV in the workspace', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nanguard-windows-behind-'));
    const rows = Array.from({ length: 300 }, (_, i) => `1/${1 + (i % 28)}/2012,${(300 + i * 0.5).toFixed(2)},${(310 + i).toFixed(2)}`);
    writeFileSync(join(root, 'prices.csv'), ['Date,Open,High', ...rows].join('\n'));
    const source = `import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from keras.models import Sequential
from keras.layers import Dense, LSTM, Input
training_set = pd.read_csv('prices.csv').iloc[:, 1:2].values
training_set_scaled = MinMaxScaler(feature_range=(0, 1)).fit_transform(training_set)
X_train = []
y_train = []
for i in range(60, len(training_set_scaled)):
    X_train.append(training_set_scaled[i-60:i, 0])
    y_train.append(training_set_scaled[i, 0])
X_train, y_train = np.array(X_train), np.array(y_train)
X_train = np.reshape(X_train, (X_train.shape[0], X_train.shape[1], 1))
regressor = Sequential([Input(shape=(X_train.shape[1], 1)), LSTM(units=50), Dense(units=1)])
regressor.compile(optimizer='adam', loss='mean_squared_error')
regressor.fit(X_train, y_train, epochs=100, batch_size=32)
`;
    const analysis = await analyzeFile('prices.py', source, createFileSystemHost({ cwd: root, workspaceRoot: root }));
    const model = analysis.models.find((m) => m.fit);
    assert.ok(model);
    assert.deepEqual(model.data.train?.shape, [240, 60, 1]);
    assert.deepEqual(model.data.target?.shape, [240]);
  });
});
