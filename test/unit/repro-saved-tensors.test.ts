/**
 * The tensors tfjs keeps for the backward pass share their data instead of being copied
 * (src/repro/engine/tf.ts): no Identity kernel per kept tensor, gradients as before, no
 * tensor or buffer left behind, and kept data outlives the tensors it came from.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/repro/engine/backend';
import { tf } from '../../src/repro/engine/tf';

function countKernels<T>(fn: () => T): { result: T; kernels: Map<string, number> } {
  const engine = tf.engine() as unknown as { runKernel: (...args: unknown[]) => unknown };
  const original = engine.runKernel;
  const kernels = new Map<string, number>();
  engine.runKernel = function (this: unknown, name: unknown, ...rest: unknown[]) {
    kernels.set(String(name), (kernels.get(String(name)) ?? 0) + 1);
    return original.call(this, name, ...rest);
  };
  try {
    return { result: fn(), kernels };
  } finally {
    engine.runKernel = original;
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: gradients without copying the kept tensors, values and memory as before`, async () => {
    assert.deepEqual(await selectBackend(backend, 0), { backend });
    const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, `w_${backend}`);
    const b = tf.variable(tf.tensor1d([0.5, -0.5]), true, `b_${backend}`);
    const x = tf.tensor2d([[1, -1], [2, 0.5]]);
    const before = tf.memory();
    const { result, kernels } = countKernels(() =>
      tf.variableGrads(() => {
        // The intermediate `h` is disposed before the backward pass needs it (kept data must survive).
        const h = tf.add(tf.matMul(x, w), b);
        const out = tf.sum(tf.square(tf.sigmoid(h)));
        h.dispose();
        return out as tf.Scalar;
      }, [w, b]),
    );
    assert.equal(kernels.get('Identity') ?? 0, 0, `kernels run: ${[...kernels.keys()].join(', ')}`);
    // d/dh sum(sigmoid(h)^2) = 2 s^2 (1 - s); dW = x^T dh, db = sum over rows of dh.
    const h = [[1 * 1 + -1 * 3 + 0.5, 1 * 2 + -1 * 4 - 0.5], [2 * 1 + 0.5 * 3 + 0.5, 2 * 2 + 0.5 * 4 - 0.5]];
    const dh = h.map((row) => row.map((v) => {
      const s = 1 / (1 + Math.exp(-v));
      return 2 * s * s * (1 - s);
    }));
    const xs = [[1, -1], [2, 0.5]];
    const dW = [0, 1].map((i) => [0, 1].map((j) => xs[0][i] * dh[0][j] + xs[1][i] * dh[1][j]));
    const db = [0, 1].map((j) => dh[0][j] + dh[1][j]);
    const got = { w: Array.from(result.grads[w.name].dataSync()), b: Array.from(result.grads[b.name].dataSync()) };
    dW.flat().forEach((v, i) => assert.ok(Math.abs(got.w[i] - v) < 1e-5, `dW[${i}] ${got.w[i]} vs ${v}`));
    db.forEach((v, i) => assert.ok(Math.abs(got.b[i] - v) < 1e-5, `db[${i}] ${got.b[i]} vs ${v}`));
    result.value.dispose();
    tf.dispose(Object.values(result.grads));
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numDataBuffers, before.numDataBuffers);
    tf.dispose([w, b, x]);
  });
}
