// Synthetic data made the usual way, a low-rank latent times a random matrix (`latent @ W`), and
// an assignment into the array (`X[:, 7] = 0.0`): what the analysis records and what the
// reproduction replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan, materializeData, type ReproPlan } from '../../src/repro/plan';

const MODEL = `
inputs = keras.Input(shape=(16,))
x = layers.Dense(8, activation="relu")(inputs)
outputs = layers.Dense(16)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=2, batch_size=32)
`;
const HEADER = 'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

async function planOf(data: string): Promise<{ plan: ReproPlan }> {
  const analysis = await analyzeFile('synthetic.py', `${HEADER}${data}${MODEL}`, NO_FILES);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') assert.fail(model);
  const planned = buildPlan(model, { seed: 3 });
  if ('refused' in planned) assert.fail(planned.refused);
  return { plan: planned.plan };
}

test('latent @ W: the analysis knows the shape (rows of the latent, columns of W) and the reproduction computes the product', async () => {
  const { plan } = await planOf('rng = np.random.default_rng(0)\nlatent = rng.uniform(size=(300, 4))\nX = latent @ rng.uniform(1, 2, size=(4, 16))\n');
  assert.deepEqual(plan.notes, []);
  const { x } = materializeData(plan);
  assert.equal(x.length, 300);
  assert.ok(x.every((row) => row.length === 16));
  // Each value is a sum of 4 products of [0, 1) by [1, 2): inside [0, 8), and their mean near 4 x 0.5 x 1.5 = 3.
  const values = x.flat();
  assert.ok(values.every((v) => v >= 0 && v < 8));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - 3) < 0.2, `mean ${mean}`);
  // Rank 4: every row is a combination of the same 4 rows of W, so column 0 predicts the others only through the latent.
  assert.deepEqual(materializeData(plan).x, x, 'the same seed draws the same W');
});

test('a written-out matrix is multiplied exactly', async () => {
  const ones = new Array(16).fill('1.0').join(', ');
  const halves = new Array(16).fill('0.5').join(', ');
  const { plan } = await planOf(`X = np.array([[1.0, 2.0], [0.0, 1.0], [2.0, 0.0], [1.0, 1.0]]) @ np.array([[${ones}], [${halves}]])\n`);
  assert.equal(plan.data.x.kind, 'literal');
  const { x } = materializeData(plan);
  assert.deepEqual(x.map((row) => row[0]), [2, 0.5, 2, 1.5]);
  assert.ok(x.every((row) => row.length === 16 && row.every((v) => v === row[0])));
});

test('X[:, 7] = 0.0 before a z-score is replayed: column 7 becomes 0 / 0, NaN, as in NumPy', async () => {
  const source = 'rng = np.random.default_rng(3)\nX = 50 + 10 * (rng.normal(size=(512, 3)) @ rng.normal(size=(3, 16)))\nX[:, 7] = 0.0\nX = (X - X.mean(axis=0)) / X.std(axis=0)\n';
  const { plan } = await planOf(source);
  const { x } = materializeData(plan);
  assert.ok(x.every((row) => Number.isNaN(row[7])), 'the constant column is NaN after the z-score');
  assert.ok(x.every((row) => row.every((v, j) => j === 7 || Number.isFinite(v))));
  const note = (await planOf(source.replace('X[:, 7] = 0.0', 'X[X > 60] = 60.0'))).plan.notes;
  assert.ok(note.some((n) => n.kind === 'not-replayed' && /X\[X > 60\] = 60\.0, an assignment into the array\) is not replayed/.test(n.text)), note.map((n) => n.text).join('\n'));
});
