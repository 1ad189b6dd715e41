/**
 * The dense engine (src/repro/engine/dense.ts) against tfjs-layers on the same CPU backend,
 * same plan, same seed: real training on both sides, compared epoch by epoch. Without
 * dropout the two compute the same float32 numbers up to rounding order, so the training
 * losses agree to about 1e-7; validation losses agree less closely where a bias in front of
 * a BatchNormalization layer gets gradients that are rounding noise (zero in exact
 * arithmetic), which Adam scales up to steps of the learning rate's size.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import type { ReproSummary } from '../../src/repro/summary';

const root = join(__dirname, '..', '..');

async function planOf(path: string, source: string): Promise<ReproPlan> {
  const analysis = await analyzeFile(path, source, NO_FILES);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') assert.fail(model);
  const planned = buildPlan(model, { workspaceRoot: root });
  if ('refused' in planned) assert.fail(planned.refused);
  return planned.plan;
}

const hooks = { emit: () => undefined, cancelled: () => false };

async function bothEngines(plan: ReproPlan): Promise<[ReproSummary, ReproSummary]> {
  const dense = await runReproduction(plan, 'cpu', hooks, performance.now());
  const layers = await runReproduction(plan, 'cpu', hooks, performance.now(), { denseKernels: false });
  return [dense, layers];
}

function largestRelativeGap(a: ReproSummary['history']['loss'], b: ReproSummary['history']['loss']): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = fromWire(a[i]);
    const y = fromWire(b[i]);
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(y), 1e-12));
  }
  return worst;
}

for (const example of ['seed1_unscaled', 'seed2_batchnorm', 'seed3_early_stopping']) {
  test(`the seed's ${example}: the dense engine trains it and agrees with tfjs-layers epoch by epoch`, async () => {
    const plan = await planOf(`examples/${example}.py`, readFileSync(join(root, 'examples', `${example}.py`), 'utf8'));
    const [dense, layers] = await bothEngines(plan);
    assert.equal(dense.engine, 'dense');
    assert.equal(layers.engine, 'tfjs-layers');
    assert.equal(dense.verdict, layers.verdict);
    assert.equal(dense.epochsRun, layers.epochsRun, 'early stopping at the same epoch');
    const trainGap = largestRelativeGap(dense.history.loss, layers.history.loss);
    const valGap = largestRelativeGap(dense.history.val_loss, layers.history.val_loss);
    assert.ok(trainGap < 1e-5, `training losses differ by up to ${trainGap}`);
    assert.ok(valGap < 1e-3, `validation losses differ by up to ${valGap}`);
  });
}

test('nanguard\'s SGD example goes NaN at the same epoch, batch and layer on both engines', async () => {
  const plan = await planOf('examples/nan_sgd_linear.py', readFileSync(join(root, 'examples', 'nan_sgd_linear.py'), 'utf8'));
  const [dense, layers] = await bothEngines(plan);
  assert.equal(dense.engine, 'dense');
  assert.equal(dense.verdict, 'nan');
  assert.deepEqual(dense.firstNonFinite, layers.firstNonFinite);
  // The layer table of that step has its gradients, not blanks: NaN, as the loss they come from.
  for (const summary of [dense, layers]) assert.deepEqual(summary.layers.map((l) => l.gradientNorm), ['NaN', 'NaN', 'NaN', 'NaN']);
});

const HEADER = 'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\nX = np.random.rand(96, 6)\n';

const CHAINS: Record<string, string> = {
  'tanh, elu, selu, softplus and softsign with an Activation layer, SGD and MAE': `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(8, activation="tanh"), layers.Dense(5, activation="elu"), layers.Dense(4, activation="selu"),
    layers.Dense(4), layers.Activation("softsign"), layers.Dense(6, activation="softplus")])
m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mae")
m.fit(X, X, epochs=15, batch_size=16, validation_split=0.25)
`,
  'a sigmoid output with binary cross-entropy (Keras computes it from the logits), RMSprop, no bias': `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3, activation="relu", use_bias=False), layers.Dense(6, activation="sigmoid")])
m.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01), loss="binary_crossentropy")
m.fit(X, X, epochs=15, batch_size=8)
`,
  'a sigmoid layer in the middle and BatchNormalization with its own momentum and epsilon': `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(4, activation="sigmoid"), layers.BatchNormalization(momentum=0.9, epsilon=0.01), layers.Dense(6)])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=15, batch_size=16)
`,
};

for (const [name, source] of Object.entries(CHAINS)) {
  test(`dense engine against tfjs-layers: ${name}`, async () => {
    const plan = await planOf('chain.py', source);
    const [dense, layers] = await bothEngines(plan);
    assert.equal(dense.engine, 'dense');
    const trainGap = largestRelativeGap(dense.history.loss, layers.history.loss);
    assert.ok(trainGap < 1e-4, `training losses differ by up to ${trainGap}`);
    if (layers.history.val_loss.length > 0) {
      const valGap = largestRelativeGap(dense.history.val_loss, layers.history.val_loss);
      assert.ok(valGap < 1e-4, `validation losses differ by up to ${valGap}`);
    }
  });
}

test('dropout: the dense engine draws its own seeded masks, so a run repeats exactly and trains like tfjs-layers', async () => {
  const plan = await planOf(
    'dropout.py',
    `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3), layers.Dense(6)])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=40, batch_size=16, validation_split=0.25)
`,
  );
  const [dense, layers] = await bothEngines(plan);
  const again = await runReproduction(plan, 'cpu', hooks, performance.now());
  assert.deepEqual(again.history, dense.history);
  assert.equal(dense.engine, 'dense');
  // Different random masks: the same trend, not the same numbers.
  const last = (s: ReproSummary) => fromWire(s.history.loss.at(-1)!);
  const first = (s: ReproSummary) => fromWire(s.history.loss[0]);
  assert.ok(last(dense) < first(dense) / 2 && last(layers) < first(layers) / 2, `${first(dense)} -> ${last(dense)}; tfjs-layers ${first(layers)} -> ${last(layers)}`);
  assert.ok(Math.abs(last(dense) - last(layers)) / last(layers) < 0.25, `final losses ${last(dense)} and ${last(layers)}`);
});

const NOT_CHAINS: Record<string, string> = {
  'a kernel regularizer': `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3, activation="relu", kernel_regularizer="l2"), layers.Dense(6)])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=2)
`,
  'the Huber loss': `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3, activation="relu"), layers.Dense(6)])
m.compile(optimizer="adam", loss="huber")
m.fit(X, X, epochs=2)
`,
  'a layer the engine does not compute (LayerNormalization)': `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3), layers.LayerNormalization(), layers.Dense(6)])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=2)
`,
  'a branch (two layers reading one input, added)': `${HEADER}
inp = keras.Input(shape=(6,))
a = layers.Dense(4, activation="relu")(inp)
b = layers.Dense(4, activation="tanh")(inp)
out = layers.Dense(6)(layers.Add()([a, b]))
m = keras.Model(inp, out)
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=2)
`,
};

for (const [name, source] of Object.entries(NOT_CHAINS)) {
  test(`tfjs-layers trains a model with ${name}`, async () => {
    const plan = await planOf('other.py', source);
    const summary = await runReproduction(plan, 'cpu', hooks, performance.now());
    assert.equal(summary.engine, 'tfjs-layers');
    assert.equal(summary.epochsRun, 2);
  });
}

test('BatchNormalization without center and scale: both engines train it and agree (tfjs-layers gets a fixed beta and gamma)', async () => {
  const plan = await planOf(
    'bn.py',
    `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(8, activation="relu"), layers.BatchNormalization(center=False, scale=False), layers.Dense(6)])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=30, batch_size=16)
`,
  );
  const [dense, tfjsLayers] = await bothEngines(plan);
  assert.equal(dense.engine, 'dense');
  assert.equal(tfjsLayers.engine, 'tfjs-layers');
  assert.ok(fromWire(dense.history.loss.at(-1)!) < fromWire(dense.history.loss[0]) / 2);
  const gap = largestRelativeGap(dense.history.loss, tfjsLayers.history.loss);
  assert.ok(gap < 1e-4, `training losses differ by up to ${gap}`);
  // Keras's count: 56 + 16 (moving mean and variance) + 54; the stand-in beta and gamma are not parameters.
  assert.equal(dense.model.parameters, 126);
  assert.equal(tfjsLayers.model.parameters, 126);
  assert.deepEqual(tfjsLayers.layers.map((l) => l.layer), dense.layers.map((l) => l.layer));
});

test('a branched model with BatchNormalization(center=False, scale=False) trains on tfjs-layers, with Keras\'s parameter count', async () => {
  const plan = await planOf(
    'bn_branch.py',
    `${HEADER}
inputs = keras.Input(shape=(6,))
h = layers.Dense(16, activation="relu")(inputs)
h = layers.BatchNormalization(center=False)(h)
skip = layers.Dense(16)(inputs)
outputs = layers.Dense(6)(layers.Add()([h, skip]))
m = keras.Model(inputs, outputs)
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=20, batch_size=16)
`,
  );
  const summary = await runReproduction(plan, 'cpu', hooks, performance.now());
  assert.equal(summary.engine, 'tfjs-layers');
  assert.equal(summary.epochsRun, 20);
  assert.ok(fromWire(summary.history.loss.at(-1)!) < fromWire(summary.history.loss[0]), 'the loss falls');
  // Keras: Dense 112 + BatchNormalization 48 (gamma, moving mean, moving variance) + Dense 112 + Dense 102.
  assert.equal(summary.model.parameters, 374);
});

test('the WebAssembly backend always trains on tfjs-layers', async () => {
  const plan = await planOf('examples/seed3_early_stopping.py', readFileSync(join(root, 'examples', 'seed3_early_stopping.py'), 'utf8'));
  const summary = await runReproduction({ ...plan, fit: { ...plan.fit, epochs: 2 } }, 'wasm', hooks, performance.now());
  assert.equal(summary.backend, 'wasm');
  assert.equal(summary.engine, 'tfjs-layers');
});

test("a regularizer's penalty is part of the loss, as Keras reports it (tfjs-layers computes it, the custom loop adds it)", async () => {
  const model = (regularizer: string) => `${HEADER}
m = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3, activation="relu"${regularizer}), layers.Dense(6${regularizer})])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=1, batch_size=96)
`;
  const plain = await runReproduction(await planOf('plain.py', model('')), 'cpu', hooks, performance.now());
  const penalised = await runReproduction(await planOf('l2.py', model(', kernel_regularizer="l2"')), 'cpu', hooks, performance.now());
  assert.equal(penalised.engine, 'tfjs-layers');
  // One batch, the same initial weights: the difference is 0.01 × the sum of the squared kernels (about 0.01 × 4 here).
  const penalty = fromWire(penalised.history.loss[0]) - fromWire(plain.history.loss[0]);
  assert.ok(penalty > 0.01 && penalty < 0.2, `penalty ${penalty}`);
});
