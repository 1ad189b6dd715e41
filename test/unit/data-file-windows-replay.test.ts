/**
 * Windows cut in a loop from a CSV column (the stock-price and power-consumption LSTMs of many
 * tutorials: `df.reset_index()['close']`, a MinMaxScaler, the first 65% for training, then
 * `dataX.append(dataset[i:(i + time_step), 0]); dataY.append(dataset[i + time_step, 0])`) are
 * replayed from the file: the reproduction trains on the program's own windows, so the empty cells
 * of a download reach the loss as they do in Keras, and the analysis says which rows hold them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS } from '../../src/core/index';
import { ColumnAccumulator } from '../../src/core/data/columns';
import { keptNonFinite } from '../../src/core/data/transforms';
import type { FeatureStats } from '../../src/core/ir';
import { pickModel } from '../../src/core/modelHandles';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, materializeData, type ReproPlan } from '../../src/repro/plan';

const PROGRAM = (epochs: number, shuffle: string, units = 4) => `
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, LSTM

df = pd.read_csv('power.csv')
df1 = df.reset_index()['power']
scaler = MinMaxScaler(feature_range=(0, 1))
df1 = scaler.fit_transform(np.array(df1).reshape(-1, 1))

training_size = int(len(df1) * 0.65)
train_data, test_data = df1[0:training_size, :], df1[training_size:len(df1), :1]

def create_dataset(dataset, time_step=1):
    dataX, dataY = [], []
    for i in range(len(dataset) - time_step - 1):
        a = dataset[i:(i + time_step), 0]
        dataX.append(a)
        dataY.append(dataset[i + time_step, 0])
    return np.array(dataX), np.array(dataY)

time_step = 10
X_train, y_train = create_dataset(train_data, time_step)
X_test, ytest = create_dataset(test_data, time_step)
X_train = X_train.reshape(X_train.shape[0], X_train.shape[1], 1)
X_test = X_test.reshape(X_test.shape[0], X_test.shape[1], 1)

model = Sequential()
model.add(LSTM(${units}, input_shape=(10, 1)))
model.add(Dense(1))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(X_train, y_train, validation_data=(X_test, ytest), epochs=${epochs}, batch_size=16${shuffle})
`;

/** A workspace with power.csv: `rows` readings (a date, a time and the power), empty at `emptyRows` (data rows from 0). */
function workspace(rows: number, emptyRows: number[]): string {
  const root = mkdtempSync(join(tmpdir(), 'nanguard-windows-replay-'));
  const lines = Array.from({ length: rows }, (_, i) => `16/12/2006,${String(i % 24).padStart(2, '0')}:00:00,${emptyRows.includes(i) ? '' : (1 + Math.sin(i / 7) + i / 100).toFixed(3)}`);
  writeFileSync(join(root, 'power.csv'), ['Date,Time,power', ...lines].join('\n'));
  return root;
}

async function analysed(root: string, epochs = 1, shuffle = '', units = 4) {
  const path = join(root, 'train.py');
  const source = PROGRAM(epochs, shuffle, units);
  writeFileSync(path, source);
  const { analysis, findings } = await checkFile(path, source, createFileSystemHost({ cwd: root, workspaceRoot: root }), DEFAULT_SETTINGS);
  const model = pickModel(analysis.models);
  if (typeof model === 'string') assert.fail(model);
  return { findings, model };
}

function planned(model: Parameters<typeof buildPlan>[0], root: string, epochs = 1): ReproPlan {
  const r = buildPlan(model, { seed: 0, workspaceRoot: root, epochs });
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

describe('windows cut in a loop from a CSV column', () => {
  it('keeps the file as their source, with the rows, the windows and the value after each', async () => {
    const { model } = await analysed(workspace(200, []));
    const x = model.data.train!;
    assert.deepEqual(x.source.kind === 'file' && [x.source.path, x.source.columns], ['power.csv', ['power']]);
    assert.deepEqual(
      x.transforms.map((t) => (t.kind === 'rows' ? `rows ${t.start}-${t.stop} of ${t.of}` : t.kind === 'windows' ? `windows ${t.first}+${t.count}x${t.width} of ${t.of}` : t.kind)),
      ['reshape', 'scaler', 'rows 0-130 of 200', 'windows 0+119x10 of 130', 'reshape'],
    );
    const y = model.data.target!;
    assert.deepEqual(y.transforms.filter((t) => t.kind === 'rows').map((t) => t.kind === 'rows' && [t.start, t.stop]), [[0, 130], [10, 129]]);
    assert.deepEqual(x.shape, [119, 10, 1]);
  });

  it("trains on the program's windows: each sample the scaled rows it starts at, its target the row after", async () => {
    const root = workspace(200, []);
    const { model } = await analysed(root);
    const plan = planned(model, root);
    assert.equal(plan.data.x.kind, 'file');
    const { x, y, valX } = materializeData(plan);
    const power = Array.from({ length: 200 }, (_, i) => Number((1 + Math.sin(i / 7) + i / 100).toFixed(3)));
    const [lo, hi] = [Math.min(...power), Math.max(...power)];
    const scaled = power.map((v) => (v - lo) / (hi - lo));
    assert.equal(x.length, 119);
    for (const k of [0, 57, 118]) {
      x[k].forEach((v, j) => assert.ok(Math.abs(v - scaled[k + j]) < 1e-12, `window ${k}, step ${j}`));
      assert.ok(Math.abs(y[k][0] - scaled[k + 10]) < 1e-12, `target ${k}`);
    }
    // The test part: windows of rows 130 to 199.
    assert.equal(valX?.length, 59);
    assert.ok(Math.abs(valX![0][0] - scaled[130]) < 1e-12);
  });

  it('goes NaN at the first batch holding an empty cell, as Keras does; the analysis names the rows kept', async () => {
    const root = workspace(200, [40, 41]);
    const { findings, model } = await analysed(root);
    const summary = await runReproduction(planned(model, root), 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
    assert.equal(summary.verdict, 'nan');
    assert.equal(summary.firstNonFinite?.epoch, 0);
    const nan = findings.filter((f) => f.rule === 'NAN104');
    // The training windows and targets hold the empty cells; the test part (rows 131 to 200) does not.
    assert.deepEqual(nan.map((f) => /\((training input|targets|validation input|validation targets)\)/.exec(f.message)?.[1]).sort(), ['targets', 'training input']);
    assert.match(nan.find((f) => f.message.includes('(training input)'))!.message, /has 2 empty cells in the rows the code keeps \(1 to 128 of 200\) of power\.csv/);
  });

  it('trains where the empty cells lie outside the rows the code keeps, and the analysis says nothing of them', async () => {
    const root = workspace(200, [190]);
    const { findings, model } = await analysed(root);
    const plan = planned(model, root);
    const summary = await runReproduction({ ...plan, data: { ...plan.data, valX: null, valY: null } }, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
    assert.notEqual(summary.verdict, 'nan');
    // Row 190 is in the test part only (its windows cover rows 130 to 197, its targets 140 to 198).
    assert.deepEqual(findings.filter((f) => f.rule === 'NAN104').map((f) => /\((training input|targets|validation input|validation targets)\)/.exec(f.message)?.[1]).sort(), ['validation input', 'validation targets']);
  });

  it('a selection the file does not fit stands in, saying why', async () => {
    const root = workspace(200, []);
    const { model } = await analysed(root);
    // The file changed after the analysis: 150 rows where the code selected from 200.
    writeFileSync(join(root, 'power.csv'), ['Date,Time,power', ...Array.from({ length: 150 }, (_, i) => `16/12/2006,00:00:00,${i}`)].join('\n'));
    const plan = planned(model, root);
    assert.equal(plan.data.x.kind, 'synthetic');
    assert.match(plan.notes.map((n) => n.text).join(' '), /power\.csv: rows 0 to 130 of 200 are not replayed \(the file holds 150\)/);
  });
});

describe('a shortened epoch of data that fit shuffles', () => {
  it('draws its samples from all of them, where Keras\'s first batches come from; without shuffle it keeps the first', async () => {
    const root = workspace(30000, []);
    // An LSTM of 256 units: a few hundred samples an epoch.
    const shuffled = planned((await analysed(root, 1, '', 256)).model, root);
    const note = shuffled.notes.find((n) => n.kind === 'shortened')?.text ?? '';
    assert.match(note, /^Each epoch trains on [\d,]+ of the 19,489 training samples, drawn at random once \(fit shuffles/);
    const { x } = materializeData(shuffled);
    assert.ok(x.length < 19489);
    // Drawn from all the training windows (the series rises), not the first ones only.
    const last = x[x.length - 1][0];
    assert.ok(last > 0.3, `the last sample drawn starts at ${last}`);
    const ordered = planned((await analysed(root, 1, ', shuffle=False', 256)).model, root);
    assert.match(ordered.notes.find((n) => n.kind === 'shortened')?.text ?? '', /^Each epoch trains on the first [\d,]+ of the 19,489 training samples/);
  });
});

describe('the rows of NaN cells a file lists', () => {
  it('are counted within the rows and windows kept', () => {
    const acc = new ColumnAccumulator(0, true);
    for (let i = 0; i < 100; i++) {
      if (i === 10) acc.addEmpty();
      else if (i === 60) acc.add(NaN);
      else if (i === 80) acc.add(Infinity);
      else if (i === 5) acc.addText();
      else acc.add(i);
    }
    const column = acc.summary('power');
    assert.deepEqual(column.nonFiniteRows, { nan: [60], empty: [10], inf: [80] });
    const loc = { path: 'p', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    const kept = (transforms: Parameters<typeof keptNonFinite>[1]): Pick<FeatureStats, 'nanCount' | 'emptyCount' | 'infCount'> | undefined => {
      const r = keptNonFinite([column], transforms, 100);
      return r && { nanCount: r.stats[0].nanCount, emptyCount: r.stats[0].emptyCount, infCount: r.stats[0].infCount };
    };
    assert.deepEqual(kept([{ kind: 'rows', start: 0, stop: 50, of: 100, location: loc }]), { nanCount: 1, emptyCount: 1, infCount: 0 });
    // Windows of 5 rows starting at 51 to 70 cover rows 51 to 74.
    assert.deepEqual(kept([{ kind: 'rows', start: 50, stop: 100, of: 100, location: loc }, { kind: 'windows', first: 1, count: 20, width: 5, of: 50, location: loc }]), { nanCount: 1, emptyCount: 0, infCount: 0 });
    // A count that is not the file's: not told.
    assert.equal(kept([{ kind: 'rows', start: 0, stop: 50, of: 90, location: loc }]), undefined);
    assert.equal(kept([]), undefined);
  });
});

// machinelearningmastery.com's split_sequence and split_sequences (How to Develop LSTM Models for
// Time Series Forecasting), the most copied windowing code: the end named first, a break past the
// data, a tuple assignment; here over a CSV's columns.
const SPLIT_SEQUENCES = `
from numpy import array
import pandas as pd
from keras.models import Sequential
from keras.layers import LSTM, Dense

def split_sequence(sequence, n_steps):
	X, y = list(), list()
	for i in range(len(sequence)):
		# find the end of this pattern
		end_ix = i + n_steps
		# check if we are beyond the sequence
		if end_ix > len(sequence)-1:
			break
		# gather input and output parts of the pattern
		seq_x, seq_y = sequence[i:end_ix], sequence[end_ix]
		X.append(seq_x)
		y.append(seq_y)
	return array(X), array(y)

def split_sequences(sequences, n_steps):
	X, y = list(), list()
	for i in range(len(sequences)):
		end_ix = i + n_steps
		if end_ix > len(sequences):
			break
		seq_x, seq_y = sequences[i:end_ix, :-1], sequences[end_ix-1, -1]
		X.append(seq_x)
		y.append(seq_y)
	return array(X), array(y)

raw_seq = pd.read_csv('airline.csv')['passengers'].values
X1, y1 = split_sequence(raw_seq, 3)
X1 = X1.reshape((X1.shape[0], X1.shape[1], 1))
X2, y2 = split_sequences(pd.read_csv('airline.csv').values, 3)

univariate = Sequential([LSTM(50, activation='relu', input_shape=(3, 1)), Dense(1)])
univariate.compile(optimizer='adam', loss='mse')
univariate.fit(X1, y1, epochs=200, verbose=0)
multivariate = Sequential([LSTM(50, activation='relu', input_shape=(3, X2.shape[2])), Dense(1)])
multivariate.compile(optimizer='adam', loss='mse')
multivariate.fit(X2, y2, epochs=200, verbose=0)
`;

describe("split_sequence's windows (the end named, a break past the data)", () => {
  it('are the windows of the file and the value at their end, replayed from it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nanguard-split-sequence-'));
    const rows = Array.from({ length: 144 }, (_, i) => `${i},${100 + i},${20 + (i % 7)}`);
    writeFileSync(join(root, 'airline.csv'), ['month,passengers,temp', ...rows].join('\n'));
    const { analysis } = await checkFile(join(root, 'series.py'), SPLIT_SEQUENCES, createFileSystemHost({ cwd: root, workspaceRoot: root }), DEFAULT_SETTINGS);
    const [univariate, multivariate] = ['univariate', 'multivariate'].map((name) => analysis.models.find((m) => m.name === name)!);
    // 144 rows, windows of 3: the first breaks at 141 starts (a value after each), the second at 142 (its value the window's last row).
    assert.deepEqual([univariate.data.train?.shape, univariate.data.target?.shape], [[141, 3, 1], [141]]);
    assert.deepEqual([multivariate.data.train?.shape, multivariate.data.target?.shape], [[142, 3, 2], [142]]);
    assert.deepEqual(multivariate.inputShape, [3, 2]);
    const { x, y } = materializeData(planned(multivariate, root));
    // Window 10: rows 10 to 12 of month and passengers; its target: temp at row 12.
    assert.deepEqual(x[10], [10, 110, 11, 111, 12, 112]);
    assert.deepEqual(y[10], [20 + (12 % 7)]);
    const uni = materializeData(planned(univariate, root));
    assert.deepEqual([uni.x[0], uni.y[0]], [[100, 101, 102], [103]]);
  });
});

describe('a selection of rows after a step the reproduction does not replay', () => {
  it('stands in, saying which step, rather than selecting from values the program changed; dropna(inplace=True) is the frame\'s own', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nanguard-pct-change-'));
    writeFileSync(join(root, 'prices.csv'), ['day,close,volume', ...Array.from({ length: 300 }, (_, i) => `${i},${100 + i},${1000 + 3 * i}`)].join('\n'));
    const program = (prepare: string) => `
import pandas as pd
import tensorflow as tf
df = pd.read_csv("prices.csv", index_col="day")
${prepare}
X = df.values[:200]
model = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu", input_shape=(X.shape[1],)), tf.keras.layers.Dense(X.shape[1])])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=2)
`;
    const host = createFileSystemHost({ cwd: root, workspaceRoot: root });
    const changed = await checkFile(join(root, 'a.py'), program('df = df.pct_change()'), host, DEFAULT_SETTINGS);
    const model = pickModel(changed.analysis.models);
    if (typeof model === 'string') assert.fail(model);
    assert.deepEqual(model.data.train?.transforms.map((t) => t.kind), ['other', 'rows']);
    const plan = planned(model, root);
    assert.equal(plan.data.x.kind, 'synthetic');
    assert.match(plan.notes.map((n) => n.text).join(' '), /prices\.csv: a transform \(pct_change\) is not replayed before the rows are selected/);
    const dropped = await checkFile(join(root, 'b.py'), program('df.dropna(inplace=True)'), host, DEFAULT_SETTINGS);
    assert.deepEqual(dropped.analysis.models[0].data.train?.transforms.map((t) => t.kind).slice(0, 1), ['dropna']);
  });
});

describe('a file with a text column before the numbers', () => {
  it('np.array(df)[:, 1:] past a date column is replayed from the numeric columns (paya54/Anomaly_Detect_LSTM_VAE#4\'s bearing data)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nanguard-dates-'));
    const lines = ['Column1,Bearing 1,Bearing 2'];
    for (let i = 0; i < 3000; i++) lines.push(`2004-02-12 10:${String(i % 60).padStart(2, '0')}:39,${(0.05 + i / 10000).toFixed(5)},${(0.07 + i / 20000).toFixed(5)}`);
    writeFileSync(join(root, 'bearing.csv'), `${lines.join('\n')}\n`);
    const source = `import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from keras.models import Sequential
from keras.layers import Input, Dense
row_mark = 2000

def split_normalize_data(all_df):
    train_df = all_df[:row_mark]
    test_df = all_df[row_mark:]
    scaler = MinMaxScaler()
    scaler.fit(np.array(all_df)[:, 1:])
    train_scaled = scaler.transform(np.array(train_df)[:, 1:])
    test_scaled = scaler.transform(np.array(test_df)[:, 1:])
    return train_scaled, test_scaled

def main():
    all_df = pd.read_csv('bearing' + '.csv')
    train_scaled, test_scaled = split_normalize_data(all_df)
    x_dim = train_scaled.shape[1]
    model = Sequential([Input(shape=(x_dim,)), Dense(3, activation='relu'), Dense(x_dim)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(train_scaled, train_scaled, epochs=2, batch_size=10)

if __name__ == "__main__":
    main()
`;
    writeFileSync(join(root, 'train.py'), source);
    const { analysis } = await checkFile(join(root, 'train.py'), source, createFileSystemHost({ cwd: root, workspaceRoot: root }), DEFAULT_SETTINGS);
    const model = pickModel(analysis.models);
    if (typeof model === 'string') assert.fail(model);
    const r = buildPlan(model, { seed: 0, workspaceRoot: root });
    if ('refused' in r) assert.fail(r.refused);
    assert.equal(r.plan.data.provenance.train, 'file', r.plan.notes.map((n) => n.text).join('\n'));
    const { x } = materializeData(r.plan);
    assert.equal(x.length, 2000);
    // The first row, min-max scaled over all 3,000 rows: both bearings at their lowest, 0.
    assert.deepEqual(x[0].map((v) => Math.round(v * 1000) / 1000), [0, 0]);
  });
});
