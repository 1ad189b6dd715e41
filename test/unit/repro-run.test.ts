/**
 * Real TensorFlow.js training of the seed's examples and nanguard's NaN example, in
 * process (the worker runs the same function; repro-worker.test.ts covers the process).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import { buildModel } from '../../src/repro/engine/model';
import { tf } from '../../src/repro/engine/tf';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, type PlanOptions, type ReproPlan } from '../../src/repro/plan';
import { fromWire, type WorkerMessage } from '../../src/repro/protocol';
import type { ReproSummary } from '../../src/repro/summary';
import { nanSgdLinear, seedExample1, seedExample2, seedExample3 } from '../fixtures/repro/specs';

async function reproduce(model: ModelSpec, options: PlanOptions = {}, events: WorkerMessage[] = []): Promise<ReproSummary> {
  const r = buildPlan(model, options);
  if ('refused' in r) assert.fail(r.refused);
  return runReproduction(r.plan, 'cpu', { emit: (m) => events.push(m), cancelled: () => false }, performance.now());
}

const losses = (s: ReproSummary): number[] => s.history.loss.map(fromWire);

/** The first model of a Python source, and its plan. */
async function planOfSource(path: string, source: string): Promise<{ model: ModelSpec; plan: ReproPlan }> {
  const model = (await analyzeFile(path, source, NO_FILES)).models[0];
  const planned = buildPlan(model);
  if ('refused' in planned) assert.fail(planned.refused);
  return { model, plan: planned.plan };
}

test("the seed's Example 1 stalls near 2.3e6 (Keras: 2332285, validation 10247646); it does not go NaN", async () => {
  const s = await reproduce(seedExample1());
  assert.equal(s.verdict, 'stalled');
  assert.equal(s.firstNonFinite, null);
  assert.equal(s.epochsRun, 100);
  const final = losses(s).at(-1)!;
  const val = fromWire(s.history.val_loss.at(-1)!);
  assert.ok(Math.abs(final - 2332285) / 2332285 < 0.001, `final loss ${final}`);
  assert.ok(Math.abs(val - 10247646) / 10247646 < 0.001, `final validation loss ${val}`);
  assert.ok(Math.abs(s.bounds.outputFloor! - 2331334.67) < 1);
  assert.match(s.explanation, /only reaches \[0, 1\].*below 2\.331e\+6/);
});

test('an SGD autoencoder on unscaled data goes NaN in epoch 0; the report names the batch and the layer', async () => {
  const events: WorkerMessage[] = [];
  const s = await reproduce(nanSgdLinear(), {}, events);
  assert.equal(s.verdict, 'nan');
  assert.equal(s.stopped, 'non-finite');
  assert.deepEqual(s.history.loss, ['NaN']);
  const p = s.firstNonFinite!;
  // As in Keras (examples/nan_sgd_linear.py): two SGD steps, then the third batch overflows in the 4-unit bottleneck.
  assert.deepEqual([p.epoch, p.batch, p.layer, p.tensor, p.inputsNonFinite], [0, 2, 'dense_1', 'activation', false]);
  const reported = events.filter((e) => e.type === 'nonFinite');
  assert.equal(reported.length, 1);
  assert.deepEqual(reported[0].type === 'nonFinite' && reported[0].point, p);
});

test('NaN already in the inputs is reported as such', async () => {
  const model = seedExample1();
  model.data.train!.source = { kind: 'literal', values: [[1, NaN], [2, 2000], [3, 3000]], location: { path: 'x.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } };
  model.data.target = model.data.train;
  const s = await reproduce(model);
  assert.equal(s.verdict, 'nan');
  assert.deepEqual([s.firstNonFinite?.tensor, s.firstNonFinite?.inputsNonFinite, s.firstNonFinite?.epoch, s.firstNonFinite?.batch], ['input', true, 0, 0]);
});

test("the seed's Example 2 (BatchNormalization) is healthy and its loss falls", async () => {
  const events: WorkerMessage[] = [];
  const s = await reproduce(seedExample2(), {}, events);
  assert.equal(s.verdict, 'healthy', s.explanation);
  const l = losses(s);
  assert.ok(l.at(-1)! < l[0] / 3, `loss ${l[0]} -> ${l.at(-1)}`);
  const epochs = events.filter((e) => e.type === 'epoch');
  assert.equal(epochs.length, 100);
  const last = epochs.at(-1)!;
  assert.ok(last.type === 'epoch' && last.layers !== null && last.layers.length === 6 && last.layers.every((layer) => typeof layer.weightNorm === 'number' && typeof layer.activationMax === 'number'));
});

test("the seed's Example 3 is healthy and EarlyStopping (patience 10) ends it before 500 epochs", async () => {
  const s = await reproduce(seedExample3());
  assert.equal(s.verdict, 'healthy', s.explanation);
  assert.equal(s.stopped, 'early-stopping');
  assert.ok(s.epochsRun < 500 && s.epochsRun > 10);
  const val = s.history.val_loss.map(fromWire);
  const best = val.indexOf(Math.min(...val));
  // Keras stops once 10 epochs in a row failed to beat the best validation loss.
  assert.equal(s.epochsRun - 1 - best, 10);
});

test('the same plan and seed give the same history; another seed gives another', async () => {
  const a = await reproduce(seedExample3(), { epochs: 15, seed: 5 });
  const b = await reproduce(seedExample3(), { epochs: 15, seed: 5 });
  const c = await reproduce(seedExample3(), { epochs: 15, seed: 6 });
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.layers, b.layers);
  assert.notDeepEqual(a.history.loss, c.history.loss);
});

test('across initializations the SGD example goes NaN in epoch 0, as in Keras (8 of 8 seeds there), at the bottleneck', async () => {
  const points: string[] = [];
  for (let seed = 0; seed < 8; seed++) {
    const s = await reproduce(nanSgdLinear(), { seed, epochs: 3 });
    assert.equal(s.verdict, 'nan', `seed ${seed}: ${s.history.loss.join(' ')}`);
    const p = s.firstNonFinite!;
    points.push(`${p.epoch}/${p.batch}/${p.layer}`);
  }
  // Keras: epoch 0, batch 2 on every one of these seeds; a batch either way is rounding, not a different story.
  assert.ok(points.every((p) => /^0\/[123]\/dense(_\d)?$/.test(p)), points.join(' '));
});

test('the VAE whose exp(log_var) overflows goes NaN in its first batch, pinned on the exponential activation', async () => {
  const file = 'examples/vae_exp_overflow.py';
  const analysis = await analyzeFile(file, readFileSync(join(__dirname, '..', '..', file), 'utf8'), NO_FILES);
  const s = await reproduce(analysis.models[0]);
  assert.equal(s.verdict, 'nan');
  const p = s.firstNonFinite!;
  assert.deepEqual([p.epoch, p.batch, p.layer, p.tensor, p.inputsNonFinite], [0, 0, 'activation', 'activation', false]);
  assert.match(p.detail, /from dense_2's outputs \(up to \d/);
});

test('an LSTM autoencoder trains (its orthogonal recurrent initializer needs the chained tensor ops)', async () => {
  const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
X = np.random.uniform(0, 1, (64, 10, 2))
model = keras.Sequential([
    keras.Input(shape=(10, 2)),
    layers.LSTM(4),
    layers.RepeatVector(10),
    layers.LSTM(4, return_sequences=True),
    layers.TimeDistributed(layers.Dense(2)),
])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=2, batch_size=16)
`;
  const analysis = await analyzeFile('lstm_ae.py', source, NO_FILES);
  const s = await reproduce(analysis.models[0]);
  assert.equal(s.engine, 'tfjs-layers');
  assert.equal(s.epochsRun, 2);
  assert.ok(losses(s).every(Number.isFinite));
  assert.equal(s.model.parameters, 4 * (4 * (2 + 4 + 1)) + 4 * (4 * (4 + 4 + 1)) + (4 * 2 + 2));
});

test('a convolutional autoencoder written with bare sizes (kernel 3, pool 2, upsampling 2) gets the output shape Keras gives', async () => {
  const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
X = np.random.uniform(0, 1, (16, 8, 8, 1))
inp = keras.Input(shape=(8, 8, 1))
x = layers.Conv2D(4, 3, activation="relu", padding="same")(inp)
x = layers.MaxPooling2D(2, padding="same")(x)
x = layers.UpSampling2D(2)(x)
out = layers.Conv2D(1, 3, strides=1, activation="sigmoid", padding="same")(x)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, X, epochs=1, batch_size=8)
`;
  const { model, plan } = await planOfSource('conv_ae.py', source);
  const configs = plan.kerasJson.config.layers.map((l) => l.config as Record<string, unknown>);
  // As Keras's to_json writes them.
  assert.deepEqual(configs.filter((c) => 'kernel_size' in c).map((c) => c.kernel_size), [[3, 3], [3, 3]]);
  assert.deepEqual(configs.find((c) => 'pool_size' in c)?.pool_size, [2, 2]);
  assert.deepEqual(configs.find((c) => 'size' in c)?.size, [2, 2]);
  const s = await reproduce(model);
  assert.equal(s.epochsRun, 1);
  assert.ok(losses(s).every(Number.isFinite));
});

test("LeakyReLU trains with Keras's slope: negative_slope given, alpha given (Keras 2), or Keras 3's default 0.3", async () => {
  const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
X = np.random.uniform(-1, 1, (64, 6))
inputs = keras.Input(shape=(6,))
x = layers.Dense(8)(inputs)
x = layers.LeakyReLU(negative_slope=0.1)(x)
x = layers.Dense(4)(x)
x = layers.LeakyReLU(alpha=0.2)(x)
x = layers.Dense(8)(x)
x = layers.LeakyReLU()(x)
outputs = layers.Dense(6)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=3, batch_size=16)
`;
  const { model, plan } = await planOfSource('leaky.py', source);
  const built = await buildModel(plan);
  const slopes = built.model.layers.filter((l) => l.getClassName() === 'LeakyReLU').map((l) => l.getConfig().alpha);
  assert.deepEqual(slopes, [0.1, 0.2, 0.3]);
  // The layer computes max(x, slope * x): -2 becomes -0.2 with slope 0.1.
  const first = built.model.layers.find((l) => l.getClassName() === 'LeakyReLU')!;
  assert.deepEqual(Array.from((first.apply(tf.tensor1d([-2, 3])) as tf.Tensor).dataSync()).map((v) => Math.round(v * 1e6) / 1e6), [-0.2, 3]);
  const s = await reproduce(model);
  assert.equal(s.epochsRun, 3);
  assert.ok(losses(s).every(Number.isFinite));
});
