/**
 * Conv autoencoders train on the WebAssembly backend through the real reproduction path: the
 * bundled worker spawned by the runner, the plan from Python source. Before nanguard's kernels
 * (src/repro/engine/wasm/) this failed with "Kernel 'Conv2DBackpropFilter' not registered for
 * backend 'wasm'".
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

const root = join(__dirname, '..', '..');

async function planOf(source: string): Promise<ReproPlan> {
  const analysis = await analyzeFile('conv.py', source, NO_FILES);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') assert.fail(model);
  const planned = buildPlan(model, { workspaceRoot: root });
  if ('refused' in planned) assert.fail(planned.refused);
  return planned.plan;
}

/** A small autoencoder on 16x16 images: `body` between the input and the sigmoid output convolution. */
function autoencoder(body: string[], fit = 'epochs=6, batch_size=16'): string {
  return [
    'import numpy as np',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    'x = np.random.rand(160, 16, 16, 1).astype("float32")',
    'inputs = keras.Input(shape=(16, 16, 1))',
    'h = inputs',
    ...body.map((layer) => `h = ${layer}(h)`),
    'outputs = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(h)',
    'model = keras.Model(inputs, outputs)',
    'model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy")',
    `model.fit(x, x, ${fit})`,
  ].join('\n');
}

const TRANSPOSED = [
  'layers.Conv2D(8, 3, activation="relu", padding="same")',
  'layers.MaxPooling2D(2, padding="same")',
  'layers.Conv2D(4, 3, activation="relu", padding="same")',
  'layers.MaxPooling2D(2, padding="same")',
  'layers.Conv2DTranspose(4, 3, strides=2, activation="relu", padding="same")',
  'layers.Conv2DTranspose(8, 3, strides=2, activation="relu", padding="same")',
];
const UPSAMPLED = [
  'layers.Conv2D(8, 3, activation="relu", padding="same")',
  'layers.MaxPooling2D(2)',
  'layers.Conv2D(4, 3, strides=2, activation="relu", padding="same")',
  'layers.UpSampling2D(2)',
  'layers.Conv2D(8, 3, activation="relu", padding="valid")',
  'layers.UpSampling2D(3)',
  'layers.Conv2D(8, 3, activation="relu", padding="valid")',
];

for (const [name, body] of [['Conv2DTranspose', TRANSPOSED], ['UpSampling2D', UPSAMPLED]] as const) {
  test(`a conv autoencoder with ${name} trains on WebAssembly in the bundled worker, and its loss falls`, async () => {
    const plan = await planOf(autoencoder(body));
    const summary = await startReproduction(plan, { workerPath: await bundledWorker(), backend: 'wasm' }).done;
    assert.equal(summary.backend, 'wasm');
    assert.equal(summary.engine, 'tfjs-layers');
    assert.equal(summary.firstNonFinite, null);
    assert.equal(summary.epochsRun, 6);
    const losses = summary.history.loss.map(fromWire);
    assert.ok(losses.every(Number.isFinite));
    assert.ok(losses[5] < losses[0], `loss ${losses[0]} -> ${losses[5]}`);
  });
}

test('a Conv1D, MaxPooling1D and Conv1DTranspose sequence autoencoder trains on WebAssembly in the bundled worker, and its loss falls', async () => {
  const source = [
    'import numpy as np',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    'x = np.random.rand(128, 24, 3).astype("float32")',
    'model = keras.Sequential([',
    '    keras.Input(shape=(24, 3)),',
    '    layers.Conv1D(8, 5, activation="relu", padding="same"),',
    '    layers.MaxPooling1D(2),',
    '    layers.Conv1D(4, 3, strides=2, activation="relu", padding="same"),',
    '    layers.Conv1DTranspose(8, 3, strides=2, activation="relu", padding="same"),',
    '    layers.Conv1DTranspose(3, 3, strides=2, padding="same"),',
    '])',
    'model.compile(optimizer="adam", loss="mse")',
    'model.fit(x, x, epochs=6, batch_size=16)',
  ].join('\n');
  const summary = await startReproduction(await planOf(source), { workerPath: await bundledWorker(), backend: 'wasm' }).done;
  assert.equal(summary.backend, 'wasm');
  const losses = summary.history.loss.map(fromWire);
  assert.equal(losses.length, 6);
  assert.ok(losses[5] < losses[0], `loss ${losses[0]} -> ${losses[5]}`);
});

test('without native TensorFlow, auto trains a conv autoencoder on WebAssembly', async () => {
  const plan = await planOf(autoencoder(TRANSPOSED, 'epochs=2, batch_size=32'));
  // A native folder that holds no tfjs-node: the one place native TensorFlow is looked for.
  const summary = await startReproduction(plan, { workerPath: await bundledWorker(), backend: 'auto', nativeFolder: join(root, 'test', 'fixtures', 'no-such-folder') }).done;
  assert.equal(summary.backend, 'wasm');
  assert.equal(summary.epochsRun, 2);
  assert.ok(summary.notes.some((n) => n.startsWith('Native TensorFlow (tfjs-node) would train this model faster but is not available')));
});
