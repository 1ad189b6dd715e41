/**
 * The flat optimizer (one float32 vector, plain arithmetic) takes the same steps as the
 * per-variable TensorFlow.js one, for every Keras optimizer and clipping mode, on the CPU
 * and WebAssembly backends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/repro/data';
import { selectBackend } from '../../src/repro/engine/backend';
import { createOptimizer, createPerVariableOptimizer, type OptimizerConfig } from '../../src/repro/engine/optimizers';
import { clipFlat, FlatLayout } from '../../src/repro/engine/optimizersFlat';
import { tf } from '../../src/repro/engine/tf';

const SHAPES = [[3, 4], [4], [2, 1, 3], [1]];

const OPTIMIZERS: [string, OptimizerConfig][] = [
  ['SGD', { learning_rate: 0.01, momentum: 0 }],
  ['SGD', { learning_rate: 0.01, momentum: 0.9 }],
  ['SGD', { learning_rate: 0.01, momentum: 0.9, nesterov: true }],
  ['RMSprop', { learning_rate: 0.001 }],
  ['RMSprop', { learning_rate: 0.001, rho: 0.8, momentum: 0.5, centered: true }],
  ['Adagrad', { learning_rate: 0.01 }],
  ['Adadelta', { learning_rate: 1.0, rho: 0.9 }],
  ['Adamax', { learning_rate: 0.002 }],
  ['Adam', { learning_rate: 0.001 }],
  ['Adam', { learning_rate: 0.01, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-4, amsgrad: true }],
  ['AdamW', { learning_rate: 0.01, weight_decay: 0.004 }],
  ['Lion', { learning_rate: 0.001 }],
  ['Lion', { learning_rate: 0.01, beta_1: 0.8, beta_2: 0.95, weight_decay: 0.01 }],
  ['SGD', { learning_rate: 0.01, momentum: 0.9, weight_decay: 0.1 }],
];

const CLIPPING: OptimizerConfig[] = [{}, { clipnorm: 1 }, { global_clipnorm: 0.5 }, { clipvalue: 0.3 }];

function randomValues(random: () => number, size: number, scale: number): Float32Array {
  return Float32Array.from({ length: size }, () => (random() * 2 - 1) * scale);
}

function makeVariables(random: () => number): tf.Variable[] {
  return SHAPES.map((shape) => tf.variable(tf.tensor(randomValues(random, shape.reduce((a, b) => a * b, 1), 1), shape), true));
}

/** Largest difference relative to the values' scale (float32 has about 7 digits). */
function relativeGap(a: Float32Array, b: Float32Array): number {
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i]), Math.abs(b[i])));
  return gap;
}

async function compareOn(backend: 'cpu' | 'wasm'): Promise<void> {
  const chosen = await selectBackend(backend, 0);
  assert.deepEqual(chosen, { backend });
  for (const [className, base] of OPTIMIZERS) {
    for (const clipping of CLIPPING) {
      const config = { ...base, ...clipping };
      const label = `${backend} ${className} ${JSON.stringify(config)}`;
      const reference = makeVariables(seededRandom(1, 2));
      const flat = makeVariables(seededRandom(1, 2));
      const layout = FlatLayout.of(flat);
      const perVariable = createPerVariableOptimizer(className, config, reference);
      const flattened = createOptimizer(className, config, flat);
      const random = seededRandom(3, 4);
      for (let step = 0; step < 6; step++) {
        // Gradients large enough that every clipping mode clips.
        const grads = SHAPES.map((shape) => tf.tensor(randomValues(random, shape.reduce((a, b) => a * b, 1), step % 2 ? 5 : 0.2), shape));
        const previewed = flattened.preview(flat, grads);
        const expected = perVariable.preview(reference, grads);
        assert.ok(relativeGap(layout.read(previewed), layout.read(expected)) < 1e-6, `${label}: preview of step ${step + 1}`);
        tf.dispose([...previewed, ...expected]);
        perVariable.apply(reference, grads);
        if (step % 2) flattened.apply(flat, grads);
        else flattened.applyFlat(flat, layout.read(grads));
        const gap = relativeGap(layout.read(flat), layout.read(reference));
        assert.ok(gap < 1e-6, `${label}: step ${step + 1} differs by ${gap}`);
        tf.dispose(grads);
      }
      // The steps moved the weights: the comparison is not between untouched copies.
      assert.ok(relativeGap(layout.read(flat), layout.read(makeVariables(seededRandom(1, 2)))) > 1e-4, `${label}: the weights moved`);
      perVariable.dispose();
      flattened.dispose();
      tf.dispose([...reference, ...flat]);
    }
  }
}

test('flat and per-variable optimizers take the same steps on the CPU backend', async () => {
  await compareOn('cpu');
});

test('flat and per-variable optimizers take the same steps on the WebAssembly backend', async () => {
  await compareOn('wasm');
});

test('clipping on the flat vector: clipnorm per variable, global_clipnorm over all, clipvalue element-wise', () => {
  const layout = new FlatLayout([[2], [1]]);
  const grads = Float32Array.from([3, 4, 12]);
  assert.deepEqual([...clipFlat(grads, layout, { clipnorm: 1 })].map((x) => +x.toFixed(6)), [0.6, 0.8, 1]);
  // Global norm 13: everything scaled by 1/13.
  assert.deepEqual([...clipFlat(grads, layout, { global_clipnorm: 1 })].map((x) => +x.toFixed(6)), [3 / 13, 4 / 13, 12 / 13].map((x) => +x.toFixed(6)));
  assert.deepEqual([...clipFlat(grads, layout, { clipvalue: 3.5 })], [3, 3.5, 3.5]);
  assert.equal(clipFlat(grads, layout, {}), grads);
  // Below the limits nothing changes.
  assert.deepEqual([...clipFlat(grads, layout, { clipnorm: 100 })], [3, 4, 12]);
});
