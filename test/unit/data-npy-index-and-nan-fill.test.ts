// Two ways people prepare a data file that the reproduction used to replace by a stand-in:
// indexing the loaded array straight away (`np.load("x.npy")[..., np.newaxis]`, a channel axis
// for a conv autoencoder) and writing zeros over its NaN cells (`x[np.isnan(x)] = 0`, the fix of
// NaN-in-data reports). Both are the file's values: the run trains on them, NaN cells included
// or filled, as Keras would.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile, checkFile, DEFAULT_SETTINGS } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';

const ROOT = resolve(__dirname, '..', '..');
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });
const HEADER = 'import numpy as np\nimport pandas as pd\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

async function planFor(path: string, code: string) {
  const analysis = await analyzeFile(path, `${HEADER}${code}`, host);
  const model = pickModel(analysis.models);
  if (typeof model === 'string') assert.fail(model);
  const rules = (await checkFile(path, `${HEADER}${code}`, host, DEFAULT_SETTINGS)).findings.map((f) => f.rule);
  return { model, rules, planned: buildPlan(model, { seed: 0, workspaceRoot: ROOT }) };
}

const CONV1D = `
m = keras.Sequential([layers.Input(shape=(3, 1)), layers.Conv1D(4, 2, padding="same", activation="relu"), layers.Conv1D(1, 2, padding="same")])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=2, batch_size=32)
`;

test("a .npy file indexed as it is loaded (`np.load(...)[..., np.newaxis]`) is read, with the new axis", async () => {
  for (const load of ['X = np.load("counts_positive.npy")[..., np.newaxis]\n', 'X = np.load("counts_positive.npy")\nX = X[:, :, None]\n']) {
    const { model, planned } = await planFor('test/fixtures/data-rules/npy_indexed.py', `${load}${CONV1D}`);
    assert.deepEqual(model.data.train?.shape, [300, 3, 1], load);
    assert.equal(model.data.train?.source.kind, 'file', load);
    if ('refused' in planned) assert.fail(planned.refused);
    assert.equal(planned.plan.data.x.kind, 'file', load);
  }
});

const DENSE = `
m = keras.Sequential([layers.Input(shape=(X.shape[1],)), layers.Dense(2, activation="relu"), layers.Dense(X.shape[1])])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=2, batch_size=32)
`;

test('`x[np.isnan(x)] = 0` fills the NaN cells: no NaN finding, and the run replays the fill', async () => {
  const raw = await planFor('test/fixtures/data-rules/nan_fill.py', `X = pd.read_csv("sensors.csv")[["pressure", "temp", "flow"]].values\n${DENSE}`);
  assert.ok(raw.rules.includes('NAN104'), 'the unfilled file has NaN cells');
  const filled = await planFor('test/fixtures/data-rules/nan_fill.py', `X = pd.read_csv("sensors.csv")[["pressure", "temp", "flow"]].values\nX[np.isnan(X)] = 0\n${DENSE}`);
  assert.ok(!filled.rules.includes('NAN104'), filled.rules.join(', '));
  assert.deepEqual(filled.model.data.train?.transforms.map((t) => t.kind), ['fillna']);
  if ('refused' in filled.planned) assert.fail(filled.planned.refused);
  assert.ok(filled.planned.plan.notes.some((n) => /fillna is replayed with 0/.test(n.text)));
  // Another array's NaN mask writes only where that array is NaN: not a fill of this one.
  const other = await planFor('test/fixtures/data-rules/nan_fill.py', `X = pd.read_csv("sensors.csv")[["pressure", "temp", "flow"]].values\nY = X * 2\nX[np.isnan(Y)] = 0\n${DENSE}`);
  assert.ok(!other.model.data.train?.transforms.some((t) => t.kind === 'fillna'));
});
