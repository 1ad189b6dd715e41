// A denoising autoencoder's noisy inputs (`x_noisy = np.clip(x + 0.4 * np.random.normal(size=x.shape), 0., 1.)`,
// `fit(x_noisy, x)`) were the clean values ("added noise is not replayed"), or, on other data,
// values unrelated to the targets; numpy's element-wise functions other than the logarithms
// (`np.round`, `np.sqrt`, `np.sin`) were not replayed at all. The noise is now drawn again from
// its distribution onto the targets' own values, and the functions are replayed; an array
// broadcast to a shape neither operand has keeps that shape, its values unfollowed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { materializeData, buildPlan } from '../../src/repro/plan';

async function modelFor(preparation: string, fit: string, width = 64) {
  const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
${preparation}
inp = keras.Input(shape=(${width},))
ae = keras.Model(inp, layers.Dense(${width}, activation="sigmoid")(layers.Dense(16, activation="relu")(inp)))
ae.compile(optimizer="adam", loss="binary_crossentropy")
${fit}
`;
  const model = pickModel((await analyzeFile('denoise.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  return model;
}

const DENOISING = `x_train = np.round(np.random.rand(500, 64))
x_noisy = x_train + 0.4 * np.random.normal(loc=0.0, scale=1.0, size=x_train.shape)
x_noisy = np.clip(x_noisy, 0., 1.)`;

test('the noisy inputs are the targets plus noise drawn from the same normal, clipped as the code clips them', async () => {
  const model = await modelFor(DENOISING, 'ae.fit(x_noisy, x_train, epochs=1, batch_size=32)');
  const noise = model.data.train?.transforms.find((t) => t.kind === 'noise');
  assert.deepEqual(noise?.kind === 'noise' ? noise.draw : undefined, { distribution: 'normal', mean: 0, std: 0.4 });
  const planned = buildPlan(model, { seed: 3 });
  if ('refused' in planned) assert.fail(planned.refused);
  assert.ok(planned.plan.notes.some((n) => /is the targets \(x_train\) with the noise the code adds drawn again/.test(n.text)));
  const { x, y } = materializeData(planned.plan);
  assert.equal(x.length, y.length);
  const targets = y.flat();
  assert.ok(targets.every((v) => v === 0 || v === 1), 'np.round of uniform draws: zeros and ones');
  const differences = x.flat().map((v, i) => v - targets[i]);
  assert.ok(x.flat().every((v) => v >= 0 && v <= 1), 'clipped to [0, 1]');
  // Each input is its own target moved by noise: never further than the clip allows, and mostly moved.
  assert.ok(differences.every((d, i) => (targets[i] === 0 ? d >= 0 : d <= 0)));
  const moved = differences.filter((d) => d !== 0).length / differences.length;
  assert.ok(moved > 0.4 && moved < 0.6, `about half the cells move inward (${moved})`);
  const spread = Math.sqrt(differences.filter((d) => d !== 0).reduce((a, d) => a + d * d, 0) / differences.filter((d) => d !== 0).length);
  assert.ok(spread > 0.3 && spread < 0.5, `the moved cells' spread is the noise's, 0.4 folded by the clip (${spread})`);
});

test('validation pairs are made the same way; inputs with a noise of unknown draw stay their own', async () => {
  const model = await modelFor(
    `${DENOISING}
x_val = np.round(np.random.rand(100, 64))
x_val_noisy = np.clip(x_val + 0.4 * np.random.normal(size=x_val.shape), 0., 1.)`,
    'ae.fit(x_noisy, x_train, epochs=1, batch_size=32, validation_data=(x_val_noisy, x_val))',
  );
  const planned = buildPlan(model, { seed: 0 });
  if ('refused' in planned) assert.fail(planned.refused);
  const { valX, valY } = materializeData(planned.plan);
  assert.ok(valX && valY);
  assert.ok(valX.flat().every((v, i) => (valY.flat()[i] === 0 ? v >= 0 : v <= 1)));
  assert.ok(valX.flat().some((v, i) => v !== valY.flat()[i]));
});

test("numpy's element-wise functions are replayed: np.round, np.sqrt, np.sin", async () => {
  const model = await modelFor('x = np.sqrt(np.round(np.random.rand(200, 8) * 4))\ny = np.sin(x)', 'ae.fit(x, y, epochs=1)', 8);
  assert.deepEqual(model.data.train?.transforms.map((t) => (t.kind === 'map' ? `map:${t.fn}` : t.kind)), ['multiply', 'map:round', 'map:sqrt']);
  assert.equal(model.data.train?.stats?.[0]?.max ?? 0, 2 + 8e-7, 'sqrt(round(4)) at most, within a float rounding');
  const planned = buildPlan(model, { seed: 0 });
  if ('refused' in planned) assert.fail(planned.refused);
  assert.ok(!planned.plan.notes.some((n) => /not replayed/.test(n.text)), planned.plan.notes.map((n) => n.text).join(' | '));
  const { x, y } = materializeData(planned.plan);
  assert.ok(x.flat().every((v) => [0, 1, Math.SQRT2, Math.sqrt(3), 2].includes(v)));
  assert.deepEqual(y.flat(), x.flat().map(Math.sin));
});

test('an array broadcast to a shape neither operand has keeps that shape, its values not followed', async () => {
  const model = await modelFor('t = np.arange(8)\nx = t[None, :] / np.random.uniform(1, 2, size=(300, 1))', 'ae.fit(x, x, epochs=1)', 8);
  assert.deepEqual(model.data.train?.shape, [300, 8]);
  assert.equal(model.data.train?.stats, undefined);
});

test('arrays of files nanguard has not read broadcast to nothing: no shape is made up for them', async () => {
  const model = await modelFor('stats = np.load("zmuv.npz")\nx = np.load("clips.npz")["clips"]\nx = (x - stats["mean"]) / stats["std"]\nx = x[:int(np.floor(len(x) * 0.8))]', 'ae.fit(x, x, epochs=1)', 8);
  assert.equal(model.data.train?.shape, undefined);
  assert.deepEqual(model.data.train?.transforms.map((t) => t.kind), ['subtract', 'divide']);
});

test('np.round to decimals is neither computed as a whole-number rounding nor replayed as one', async () => {
  const model = await modelFor('x = np.round(np.random.rand(100, 8) * 10, 1)\nk = np.round(2.567, 2)', 'ae.fit(x, x, epochs=1)', 8);
  assert.deepEqual(model.data.train?.transforms.map((t) => t.kind), ['multiply', 'other']);
  const rounded = pickModel((await analyzeFile('r.py', 'import numpy as np\nfrom tensorflow import keras\nm = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(int(np.round(2.567, 2) * 100))])\nm.compile(optimizer="adam", loss="mse")\n', NO_FILES)).models);
  if (typeof rounded === 'string') assert.fail(rounded);
  assert.notEqual(rounded.layers.find((l) => l.className === 'Dense')?.config.units, 300, 'np.round(2.567, 2) is 2.57, not 3');
});
