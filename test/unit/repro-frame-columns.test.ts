/**
 * The data a model trains on, read with the width Keras sees: a label column taken out of a CSV
 * frame (`df.pop`, `df.drop`) leaves the other columns of the file, and a model trained by
 * `train_on_batch` in a loop of the program's own has the targets of that call, not its inputs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import type { ReproPlan } from '../../src/repro/plan';
import { planned, trainOnCpu } from './repro-plans';
import { fromWire } from '../../src/repro/protocol';

/** features.csv: columns a, b, label, c; `label` is 0 or 1, the others far from it, so a wrong column shows. */
function featuresCsv(rows: number): string {
  const lines = ['a,b,label,c'];
  for (let i = 0; i < rows; i++) lines.push(`${100 + (i % 7)},${200 + (i % 5)},${i % 2},${300 + (i % 3)}`);
  return `${lines.join('\n')}\n`;
}

async function analysed(source: string, files: Record<string, string>): Promise<{ model: ModelSpec; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-frame-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'train.py'), source);
  const analysis = await analyzeFile('train.py', source, createFileSystemHost({ cwd: dir, workspaceRoot: dir }));
  const model = analysis.models.find((m) => m.name === 'model');
  assert.ok(model, 'a model named model');
  return { model, dir };
}

/** The rows a file recipe trains on. */
function fileRows(plan: ReproPlan, role: 'x' | 'y'): number[][] {
  const recipe = plan.data[role];
  assert.equal(recipe.kind, 'file', `${role} is read from the file`);
  return (recipe as { values: number[][] }).values;
}

const MODEL = (width: number) => `
model = keras.Sequential([keras.Input(shape=(${width},)), layers.Dense(4, activation="relu"), layers.Dense(${width})])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=2, batch_size=16)
`;

describe('columns taken out of a CSV frame', () => {
  const head = `import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

df = pd.read_csv("features.csv")
`;

  it('labels = df.pop("label") leaves the other three columns, in the file\'s order, as the training data', async () => {
    const { model, dir } = await analysed(`${head}labels = df.pop("label").values\nX = df.values\n${MODEL(3)}`, { 'features.csv': featuresCsv(64) });
    const plan = planned(model, { workspaceRoot: dir });
    const rows = fileRows(plan, 'x');
    assert.equal(rows.length, 64);
    assert.deepEqual(rows[0], [100, 200, 300]);
    assert.deepEqual(rows[9], [102, 204, 300]);
    const losses = (await trainOnCpu(plan)).history.loss.map(fromWire);
    assert.ok(losses.every(Number.isFinite), `finite losses: ${losses.join(', ')}`);
  });

  it('drop by name: columns=[...], a label with axis=1, and inplace=True', async () => {
    for (const drop of ['X = df.drop(columns=["label"]).values', 'X = df.drop("label", axis=1).values', 'df.drop(["label"], axis="columns", inplace=True)\nX = df.values']) {
      const { model, dir } = await analysed(`${head}${drop}\n${MODEL(3)}`, { 'features.csv': featuresCsv(32) });
      assert.deepEqual(fileRows(planned(model, { workspaceRoot: dir }), 'x')[1], [101, 201, 301], drop);
    }
    // Two columns dropped: the model is sized by the data that is left.
    const { model, dir } = await analysed(`${head}X = df.drop(columns=["label", "b"]).values\n${MODEL(2)}`, { 'features.csv': featuresCsv(32) });
    assert.deepEqual(fileRows(planned(model, { workspaceRoot: dir }), 'x')[1], [101, 301]);
  });

  it('rows dropped by label, or a column nanguard cannot name, leave the frame unknown rather than wrong', async () => {
    for (const take of ['X = df.drop([0, 1]).values', 'label = df.pop(name_of_label())\nX = df.values']) {
      const { model, dir } = await analysed(`${head}${take}\n${MODEL(4)}`, { 'features.csv': featuresCsv(32) });
      assert.notEqual(planned(model, { workspaceRoot: dir }).data.x.kind, 'file', take);
    }
  });
});

describe('a model trained by train_on_batch in a loop of the program\'s own', () => {
  it('takes its targets from the call (one label per sample), not its inputs', async () => {
    const { model } = await analysed(
      `import numpy as np
import tensorflow as tf

returns = np.random.normal(0, 0.01, (400, 20, 1)).astype("float32")
labels = np.random.randint(0, 2, (400, 1)).astype("float32")

def get_batches(x, y, batch_size=100):
    for ii in range(0, len(x), batch_size):
        yield x[ii:ii + batch_size], y[ii:ii + batch_size]

model = tf.keras.Sequential([tf.keras.layers.Input(shape=(20, 1)), tf.keras.layers.LSTM(4), tf.keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
for e in range(3):
    for x, y in get_batches(returns, labels, 128):
        loss = model.train_on_batch(x, y)
`,
      {},
    );
    // The generator's slices are batches of the arrays they are cut from, for the epochs of the range loop around.
    assert.equal(model.data.train?.name, 'returns');
    assert.deepEqual(model.data.train?.shape, [400, 20, 1]);
    assert.deepEqual(model.data.target?.shape, [400, 1]);
    assert.equal(model.fit?.batchSize.value, 128);
    assert.equal(model.fit?.epochs.value, 3);
    const plan = planned(model);
    const summary = await trainOnCpu(plan);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite));
  });
});
