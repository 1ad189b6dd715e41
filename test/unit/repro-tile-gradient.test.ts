// The reproduction's gradient of tile (engine/tf.ts): one reduction where tfjs adds a slice a
// repetition. It must give what that sum of slices gives, on every axis at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tf } from '../../src/repro/engine/tf';

describe("tile's gradient", () => {
  it('is the sum of the slices of dy, one a repetition', async () => {
    await tf.setBackend('cpu');
    const x = tf.variable(tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1));
    const reps = [2, 3, 4];
    const weights = tf.randomNormal([6, 12, 20], 0, 1, 'float32', 2);
    const gradient = tf.variableGrads(() => tf.sum(tf.mul(tf.tile(x, reps), weights)) as tf.Scalar, [x]).grads[x.name];
    let expected = tf.zeros([3, 4, 5]);
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) expected = tf.add(expected, tf.slice(weights, [a * 3, b * 4, c * 5], [3, 4, 5]));
    assert.deepEqual(gradient.shape, [3, 4, 5]);
    assert.ok(tf.max(tf.abs(tf.sub(gradient, expected))).dataSync()[0] < 1e-5);
  });
});
