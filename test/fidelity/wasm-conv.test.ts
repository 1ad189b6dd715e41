// Fidelity of conv autoencoders on the WebAssembly backend, whose convolution gradients are
// nanguard's (src/repro/engine/wasm/): the reproduction and Keras train from the same initial
// weights (drawn by the reproduction, exported to Keras), batches in order, and every epoch loss
// must agree to float32 rounding (the lockstep tolerance of native.test.ts). The models: the
// conv fixture (Conv2D 32 + pooling twice, Conv2DTranspose twice) and an UpSampling2D one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { selectBackend } from '../../src/repro/engine/backend';
import { buildModel } from '../../src/repro/engine/model';
import { toFidelityCase } from '../../src/repro/fidelity';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import { bundledWorker } from '../fixtures/repro/worker-bundle';
import { kerasEnv, repoRoot, runKeras, toNumber } from './keras-harness';

const LOCKSTEP_TOLERANCE = 1e-4;

const UPSAMPLING = [
  'import numpy as np',
  'from tensorflow import keras',
  'from tensorflow.keras import layers',
  'x = np.random.rand(256, 16, 16, 1).astype("float32")',
  'inputs = keras.Input(shape=(16, 16, 1))',
  'h = layers.Conv2D(8, 3, activation="relu", padding="same")(inputs)',
  'h = layers.MaxPooling2D(2)(h)',
  'h = layers.Conv2D(4, 3, activation="relu", padding="same")(h)',
  'h = layers.MaxPooling2D(2)(h)',
  'h = layers.Conv2D(4, 3, activation="relu", padding="same")(h)',
  'h = layers.UpSampling2D(2)(h)',
  'h = layers.Conv2D(8, 3, activation="relu", padding="same")(h)',
  'h = layers.UpSampling2D(2)(h)',
  'outputs = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(h)',
  'model = keras.Model(inputs, outputs)',
  'model.compile(optimizer="adam", loss="binary_crossentropy")',
  'model.fit(x, x, epochs=3, batch_size=32)',
].join('\n');

const CASES: { name: string; source: string; maxSamples?: number }[] = [
  { name: 'test/fixtures/repro/conv_autoencoder.py', source: readFileSync(join(repoRoot, 'test/fixtures/repro/conv_autoencoder.py'), 'utf8'), maxSamples: 512 },
  { name: 'UpSampling2D autoencoder', source: UPSAMPLING },
];

async function planOf(source: string, maxSamples: number | undefined): Promise<ReproPlan> {
  const analysis = await analyzeFile('model.py', source, NO_FILES);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') assert.fail(model);
  const planned = buildPlan(model, { seed: 0, epochs: 3, workspaceRoot: repoRoot, ...(maxSamples ? { caps: { maxSamples }, shorten: true } : {}) });
  if ('refused' in planned) assert.fail(planned.refused);
  return { ...planned.plan, fit: { ...planned.plan.fit, shuffle: false } };
}

/** The reproduction's initial weights (drawn on WebAssembly, as the run draws them), per layer in Keras's order. */
async function initialWeights(plan: ReproPlan): Promise<Record<string, { shape: number[]; values: number[] }[]>> {
  const chosen = await selectBackend('wasm', 0);
  assert.ok(!('problem' in chosen));
  const built = await buildModel(plan);
  try {
    const out: Record<string, { shape: number[]; values: number[] }[]> = {};
    for (const layer of built.model.layers) {
      if (layer.weights.length > 0) out[layer.name] = layer.weights.map((w) => ({ shape: w.shape as number[], values: Array.from(w.read().dataSync()) }));
    }
    return out;
  } finally {
    built.model.dispose();
  }
}

/** Images as Keras takes them: [rows, height, width, channels], not flat rows. */
function shaped(rows: number[][], shape: number[]): unknown[] {
  const nest = (flat: number[], dims: number[], offset: number): unknown => {
    if (dims.length === 1) return flat.slice(offset, offset + dims[0]);
    const step = dims.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[0] }, (_, i) => nest(flat, dims.slice(1), offset + i * step));
  };
  return rows.map((r) => nest(r, shape, 0));
}

const env = kerasEnv();

describe('conv autoencoders on WebAssembly train step for step as in Keras', { skip: 'python' in env ? false : env.reason }, () => {
  for (const c of CASES) {
    it(c.name, async (t) => {
      if (!('python' in env)) return;
      const plan = await planOf(c.source, c.maxSamples);
      const summary = await startReproduction(plan, { workerPath: await bundledWorker(), backend: 'wasm' }).done;
      assert.equal(summary.backend, 'wasm');
      const fidelity = toFidelityCase(plan, c.name);
      const { results } = await runKeras(env.python, [{ ...fidelity, x: shaped(fidelity.x, plan.inputShape), y: shaped(fidelity.y, plan.inputShape), valX: null, valY: null, initialWeights: await initialWeights(plan) }]);
      const keras = results[0];
      assert.equal(keras.error, undefined, keras.error);
      const ours = summary.history.loss.map(fromWire);
      const theirs = keras.history.loss.map(toNumber);
      assert.equal(ours.length, theirs.length);
      let largest = 0;
      ours.forEach((loss, epoch) => {
        const gap = Math.abs(loss - theirs[epoch]) / Math.abs(theirs[epoch]);
        largest = Math.max(largest, gap);
        assert.ok(gap <= LOCKSTEP_TOLERANCE, `epoch ${epoch}: WebAssembly ${loss}, Keras ${theirs[epoch]} (relative gap ${gap.toExponential(2)})`);
      });
      t.diagnostic(`epoch losses ${ours.map((l) => l.toPrecision(7)).join(', ')}; Keras ${theirs.map((l) => l.toPrecision(7)).join(', ')}; largest relative gap ${largest.toExponential(2)}`);
    });
  }
});
