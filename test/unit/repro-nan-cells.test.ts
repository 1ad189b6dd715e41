/**
 * Data files with NaN cells, read from the workspace, reach the training as NaN (real Keras 3.15
 * goes NaN at the first batch that holds one): through the plan and through the worker process,
 * whose messages are JSON (which writes NaN as null, and a null cell trained as 0). Beside it, a
 * custom RMSE loss on rows the model reproduces exactly: sqrt's gradient at 0 times 0 is NaN at
 * batch 0 (Keras: the loss is NaN at batch 1, after that step's NaN gradients were applied).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile } from '../../src/core/index';
import { buildPlan, materializeData, type ReproPlan } from '../../src/repro/plan';
import { planFromWire, planToWire } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

/** 200 rows of 6 numbers in [0, 1); `blank` cells left empty, `zeroRows` rows all 0. */
function csv(blank: [number, number][], zeroRows: number[] = []): string {
  let state = 7;
  const next = () => ((state = (state * 16807) % 2147483647) / 2147483647).toFixed(4);
  const rows = Array.from({ length: 200 }, (_, i) => Array.from({ length: 6 }, () => (zeroRows.includes(i) ? '0' : next())));
  for (const [i, j] of blank) rows[i][j] = '';
  return `a,b,c,d,e,f\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

async function planIn(files: Record<string, string>, source: string): Promise<ReproPlan> {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-nan-cells-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'train.py'), source);
  const analysis = await analyzeFile('train.py', source, createFileSystemHost({ cwd: dir, workspaceRoot: dir }));
  assert.ok(analysis.models[0], 'a model');
  const r = buildPlan(analysis.models[0], { workspaceRoot: dir });
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

const NAN_CELLS = `import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, Input

df = pd.read_csv('sensors.csv')
X = df.values.astype('float32')

model = Sequential([Input(shape=(6,)), Dense(4, activation='relu'), Dense(6)])
model.compile(optimizer='adam', loss='mse')
model.fit(X, X, epochs=5, batch_size=32, shuffle=False)
`;

test('a CSV with blank cells trains on NaN through the worker: NaN at the batch holding the first (Keras: epoch 0, batch 0)', async () => {
  const plan = await planIn({ 'sensors.csv': csv([[5, 2], [77, 0], [150, 4]]) }, NAN_CELLS);
  assert.equal(plan.data.provenance.train, 'file');
  assert.equal(materializeData(plan).x.flat().filter(Number.isNaN).length, 3);
  // The start message keeps them (JSON alone writes null).
  const carried = planFromWire(JSON.parse(JSON.stringify(planToWire(plan))) as ReproPlan);
  assert.equal(materializeData(carried).x.flat().filter(Number.isNaN).length, 3);
  const summary = await startReproduction(plan, { workerPath: await bundledWorker(), backend: 'cpu' }).done;
  assert.equal(summary.verdict, 'nan');
  assert.deepEqual([summary.firstNonFinite?.epoch, summary.firstNonFinite?.batch, summary.firstNonFinite?.tensor], [0, 0, 'input']);
});

test('an RMSE loss where the model reproduces a row exactly: NaN gradients at batch 0 (Keras: the loss is NaN at batch 1)', async () => {
  const source = `import pandas as pd
from keras import ops
from keras.models import Sequential
from keras.layers import Dense, Input


def root_mean_squared_error(y_true, y_pred):
    return ops.sqrt(ops.mean(ops.square(y_pred - y_true), axis=-1))


X = pd.read_csv('readings.csv').values.astype('float32')
model = Sequential([Input(shape=(6,)), Dense(4, activation='relu'), Dense(6)])
model.compile(optimizer='adam', loss=root_mean_squared_error)
model.fit(X, X, epochs=5, batch_size=32, shuffle=False)
`;
  // A row of zeros goes through zero biases to an output of exactly 0, its own target.
  const plan = await planIn({ 'readings.csv': csv([], [0, 10, 20, 30]) }, source);
  const summary = await startReproduction(plan, { workerPath: await bundledWorker(), backend: 'cpu' }).done;
  assert.equal(summary.verdict, 'nan');
  assert.deepEqual([summary.firstNonFinite?.epoch, summary.firstNonFinite?.batch, summary.firstNonFinite?.tensor], [0, 0, 'gradient']);
});
