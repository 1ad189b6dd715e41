// `np.pad(x, ((0, 0), (2, 2), (2, 2)))`: MNIST's 28x28 padded to 32x32 for a conv autoencoder
// whose pooling needs a power of two. The padded array was "not followed" (a stand-in of unknown
// scale); its shape, its range and, for a constant padding, its values are now numpy's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paddedSample } from '../../src/core/arrays';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { materializeRecipe } from '../../src/repro/data';
import { buildPlan } from '../../src/repro/plan';

async function planFor(preparation: string, inputShape: string) {
  const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
${preparation}
inp = keras.Input(shape=${inputShape})
out = layers.Dense(1, activation="sigmoid")(layers.Flatten()(inp))
m = keras.Model(inp, out)
m.compile(optimizer="adam", loss="mse")
m.fit(x, y, epochs=1, batch_size=2)
`;
  const model = pickModel((await analyzeFile('pad.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  const planned = buildPlan(model, { seed: 0 });
  if ('refused' in planned) assert.fail(planned.refused);
  return { model, plan: planned.plan };
}

test('paddedSample pads a sample as np.pad does (checked against numpy: np.pad([[1, 2], [3, 4]], ((1, 0), (0, 2)), constant_values=9))', () => {
  assert.deepEqual(paddedSample([1, 2, 3, 4], [2, 2], [[1, 0], [0, 2]], 9), [9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9]);
});

test('a constant padding of each sample: the shape, the range with the padding value, and the values trained on', async () => {
  const { model, plan } = await planFor('x = np.array([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]])\nx = np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="constant")\ny = np.array([[0.0], [1.0]])', '(4, 4)');
  assert.deepEqual(model.data.train?.shape, [2, 4, 4]);
  assert.equal(model.data.train?.stats?.[0]?.min, 0);
  assert.equal(plan.data.x.kind, 'literal');
  if (plan.data.x.kind !== 'literal') return;
  const rows = materializeRecipe(plan.data.x, 0);
  assert.deepEqual(rows[0], [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  assert.deepEqual(rows[1].filter((v) => v !== 0), [5, 6, 7, 8]);
});

test('padding of random images keeps their range and shape for the run', async () => {
  const { model, plan } = await planFor('x = np.random.rand(64, 28, 28)\nx = np.pad(x, ((0, 0), (2, 2), (2, 2)))\ny = np.random.rand(64, 1)', '(32, 32)');
  assert.deepEqual(model.data.train?.shape, [64, 32, 32]);
  const stats = model.data.train?.stats?.[0];
  assert.equal(stats?.min, 0);
  assert.equal(stats?.max, 1);
  // 784 of 1,024 cells keep a mean of 0.5; the rest are 0.
  assert.ok(Math.abs((stats?.mean ?? 0) - (0.5 * 784) / 1024) < 1e-9, JSON.stringify(stats));
  assert.equal(plan.data.x.kind, 'random');
  if (plan.data.x.kind !== 'random') return;
  const rows = materializeRecipe(plan.data.x, 0);
  assert.equal(rows[0].length, 1024);
  assert.equal(rows[0].slice(0, 64).every((v) => v === 0), true, 'the first two rows of each image are padding');
});
