// `X = pd.read_csv("readings.csv").values` then `Input(shape=(X.shape[1],))`: the file's own
// shape (rows and columns, or a .npy header's shape) is what numpy would give, so the analysis
// uses it for shapes and the reproduction builds the model instead of refusing it.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';

const ROOT = resolve(__dirname, '..', '..');
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });
const HEADER = 'import numpy as np\nimport pandas as pd\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const MODEL = `
inputs = keras.Input(shape=(X.shape[1],))
h = layers.Dense(3, activation="relu")(inputs)
outputs = layers.Dense(X.shape[1])(h)
m = keras.Model(inputs, outputs)
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=5, batch_size=32)
`;

async function planFor(path: string, data: string) {
  const analysis = await analyzeFile(path, `${HEADER}${data}${MODEL}`, host);
  const model = pickModel(analysis.models);
  if (typeof model === 'string') assert.fail(model);
  return { model, planned: buildPlan(model, { seed: 0, workspaceRoot: ROOT }) };
}

test('the width of a CSV read with pandas sizes the Input and the output layer', async () => {
  const { model, planned } = await planFor('test/fixtures/python/from_csv.py', 'X = pd.read_csv("readings.csv").values\n');
  assert.deepEqual(model.inputShape, [6]);
  assert.equal(model.layers[model.layers.length - 1].config.units, 6);
  assert.deepEqual(model.data.train?.shape, [200, 6]);
  assert.ok(!('refused' in planned), 'refused' in planned ? planned.refused : '');
});

test('the shape in a .npy header sizes the model; columns chosen by name size it without reading the file', async () => {
  const npy = await planFor('test/fixtures/data-rules/from_npy.py', 'X = np.load("counts_positive.npy")\n');
  assert.deepEqual(npy.model.inputShape, [3]);
  const chosen = await planFor('test/fixtures/python/chosen.py', 'df = pd.read_csv("not_here.csv")\nX = df[["a", "b", "c", "d"]].values\n');
  assert.deepEqual(chosen.model.inputShape, [4]);
});

test('a shape taken from data nanguard cannot read is refused without asking for a shape the code already gives', async () => {
  const { planned } = await planFor('test/fixtures/python/missing.py', 'X = pd.read_csv("not_here.csv").values\n');
  assert.ok('refused' in planned);
  // The shape's part the code writes is named, with its line, and so is the file it is not read from.
  assert.match(planned.refused, /the input shape of m is given by `X\.shape\[1\]` on line \d+, which nanguard could not work out without running the code \(the training data is read from not_here\.csv, which is not in the workspace\)/);
  assert.doesNotMatch(planned.refused, /give the Input layer a shape/);
});
