/**
 * The TensorFlow regression tutorial's program (tutorials/keras/regression): a CSV frame with its
 * NaN rows dropped, split by `df.sample(frac=0.8, random_state=0)`, the label popped, and
 * `Normalization` layers adapted to the features (all of them, and one alone with `axis=None`).
 * The data is followed to the file and the layers compute with the statistics of the rows the
 * reproduction keeps. Keras 3 on the same program and file: the single-feature model goes from
 * 27.3 to 12.3 in 20 epochs, the deep one from 27.5 to 4.2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile } from '../../src/core/index';
import { sampledRows } from '../../src/core/data/transforms';
import type { ModelSpec } from '../../src/core/ir';
import { fromWire } from '../../src/repro/protocol';
import { planned, trainOnCpu } from './repro-plans';

/** An auto-mpg-like file: MPG falls with the weight; every 50th horsepower is missing. */
function autoMpg(rows: number): string {
  const lines = ['MPG,Cylinders,Displacement,Horsepower,Weight,Acceleration,Model Year,Origin'];
  for (let i = 0; i < rows; i++) {
    const weight = 1600 + ((i * 37) % 3500);
    const horsepower = i % 50 === 0 ? '' : String(46 + ((i * 13) % 184));
    lines.push(`${(50 - weight / 150 + ((i * 7) % 5) - 2).toFixed(1)},${[4, 6, 8][i % 3]},${70 + ((i * 11) % 385)},${horsepower},${weight},${8 + ((i * 3) % 17)},${70 + (i % 13)},${1 + (i % 3)}`);
  }
  return `${lines.join('\n')}\n`;
}

const PROGRAM = `import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

raw_dataset = pd.read_csv('auto-mpg.csv')
dataset = raw_dataset.copy()
dataset = dataset.dropna()
train_dataset = dataset.sample(frac=0.8, random_state=0)
train_features = train_dataset.copy()
train_labels = train_features.pop('MPG')

normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(np.array(train_features))

horsepower = np.array(train_features['Horsepower'])
horsepower_normalizer = layers.Normalization(input_shape=[1,], axis=None)
horsepower_normalizer.adapt(horsepower)

horsepower_model = tf.keras.Sequential([horsepower_normalizer, layers.Dense(units=1)])
horsepower_model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss='mean_absolute_error')
history = horsepower_model.fit(train_features['Horsepower'], train_labels, epochs=20, verbose=0, validation_split=0.2)

dnn_model = keras.Sequential([normalizer, layers.Dense(64, activation='relu'), layers.Dense(64, activation='relu'), layers.Dense(1)])
dnn_model.compile(loss='mean_absolute_error', optimizer=tf.keras.optimizers.Adam(0.001))
history = dnn_model.fit(train_features, train_labels, validation_split=0.2, verbose=0, epochs=20)
`;

async function analysed(): Promise<{ models: ModelSpec[]; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-regression-'));
  writeFileSync(join(dir, 'auto-mpg.csv'), autoMpg(398));
  writeFileSync(join(dir, 'regression.py'), PROGRAM);
  const analysis = await analyzeFile('regression.py', PROGRAM, createFileSystemHost({ cwd: dir, workspaceRoot: dir }));
  return { models: analysis.models, dir };
}

describe("the TensorFlow regression tutorial's data and Normalization layers", () => {
  it('df.sample draws round(frac x n) rows, the same ones for every array cut from it, shuffling all of them at frac=1', () => {
    const rows = Array.from({ length: 10 }, (_, i) => i);
    const kept = sampledRows(rows, 0.8, 0);
    assert.equal(kept.length, 8);
    assert.deepEqual(sampledRows(rows, 0.8, 0), kept);
    assert.notDeepEqual(sampledRows(rows, 0.8, 1), kept);
    assert.deepEqual([...sampledRows(rows, 1, 0)].sort((a, b) => a - b), rows);
  });

  it('the features and the popped label are read from the file: its rows without NaN, sampled, the label apart', async () => {
    const { models, dir } = await analysed();
    const plan = planned(models.find((m) => m.name === 'dnn_model')!, { workspaceRoot: dir });
    assert.equal(plan.data.provenance.train, 'file');
    const x = (plan.data.x as { values: number[][] }).values;
    const y = (plan.data.y as { values: number[][] }).values;
    // 398 rows, 8 with a missing horsepower dropped, 80% of the 390 kept.
    assert.equal(x.length, 312);
    assert.equal(x[0].length, 7);
    assert.equal(y[0].length, 1);
    assert.ok(x.every((r) => r.every(Number.isFinite)));
    // The label is MPG, under 60; the weight (4th feature) is in the thousands.
    assert.ok(y.every((r) => r[0] < 60) && x.every((r) => r[3] >= 1600));
  });

  it('Normalization adapted to a file\'s columns standardizes them: the deep model trains as in Keras (27.5 to 4.2)', async () => {
    const { models, dir } = await analysed();
    const model = models.find((m) => m.name === 'dnn_model')!;
    assert.equal(model.layers[0].className, 'Normalization');
    const summary = await trainOnCpu(planned(model, { workspaceRoot: dir }));
    const losses = summary.history.loss.map(fromWire);
    assert.equal(summary.verdict, 'healthy');
    assert.ok(losses[0] > 20 && losses.at(-1)! < 8, `losses: ${losses.join(', ')}`);
  });

  it('Normalization(axis=None) adapted to one column: the single-feature model falls as in Keras (27.3 to 12.3)', async () => {
    const { models, dir } = await analysed();
    const summary = await trainOnCpu(planned(models.find((m) => m.name === 'horsepower_model')!, { workspaceRoot: dir }));
    const losses = summary.history.loss.map(fromWire);
    assert.ok(losses[0] > 20 && losses.at(-1)! < 16, `losses: ${losses.join(', ')}`);
  });

  it('Normalization adapted to arrays of known values, or given its mean and variance, is its operation without any file', async () => {
    const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.array([[100.0, 1.0], [300.0, 3.0], [200.0, 2.0], [400.0, 4.0]] * 16)
y = x[:, :1] / 100.0
norm = layers.Normalization()
norm.adapt(x)
given = layers.Normalization(mean=250.0, variance=12500.0)
model = keras.Sequential([keras.Input(shape=(2,)), norm, layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=2)
`;
    const analysis = await analyzeFile('train.py', source, createFileSystemHost({ cwd: tmpdir(), workspaceRoot: tmpdir() }));
    const model = analysis.models.find((m) => m.name === 'model')!;
    // numpy's mean and variance of each column (dividing by n).
    assert.deepEqual(model.layers.find((l) => l.className === 'Normalization')?.expression, {
      op: 'div',
      a: { op: 'sub', a: { op: 'arg', index: 0 }, b: { op: 'row', values: [250, 2.5] } },
      b: { op: 'maximum', a: { op: 'sqrt', x: { op: 'row', values: [12500, 1.25] } }, b: { op: 'const', value: 1e-7 } },
    });
    const summary = await trainOnCpu(planned(model));
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite));
  });

  it('a Normalization layer called on the numpy data it was adapted to standardizes it: the data is the file, each column scaled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanguard-normalized-'));
    const lines = ['age,experience,income'];
    for (let i = 0; i < 20; i++) lines.push(`${25 + i},${1 + (i % 10)},${27840 + 1800 * i}`);
    writeFileSync(join(dir, 'income.csv'), `${lines.join('\n')}\n`);
    const source = `import pandas as pd
import tensorflow as tf
data = pd.read_csv('income.csv')
X = data[['age', 'experience']].values.astype('float32')
Y = data['income'].values.astype('float32')
model = tf.keras.Sequential([tf.keras.layers.Input(shape=(X.shape[1],)), tf.keras.layers.Dense(1, activation='linear')])
normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(X)
X_norm = normalizer(X)
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss=tf.keras.losses.MeanSquaredError())
model.fit(X_norm, Y, epochs=5, verbose=1)
`;
    writeFileSync(join(dir, 'train.py'), source);
    const analysis = await analyzeFile('train.py', source, createFileSystemHost({ cwd: dir, workspaceRoot: dir }));
    const plan = planned(analysis.models.find((m) => m.name === 'model')!, { workspaceRoot: dir });
    assert.equal(plan.data.provenance.train, 'file');
    const summary = await trainOnCpu(plan);
    // Standardized inputs, unscaled incomes: MSE in the billions, as Keras's 2.3e9, and no fall to speak of.
    const losses = summary.history.loss.map(fromWire);
    assert.ok(losses[0] > 1e9 && losses.at(-1)! > 0.99 * losses[0], `losses: ${losses.join(', ')}`);
  });
});
