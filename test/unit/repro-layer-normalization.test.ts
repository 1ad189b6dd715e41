// nanguard's LayerNormalization (engine/customLayers.ts) computes what TensorFlow.js's own layer
// computes, with broadcasting instead of tiling: the same outputs and the same gradients on a conv
// layer's 4-D output, over the channels and over a whole feature map. Keras's step-for-step check
// is the fidelity case conv_layernorm_autoencoder.py.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NanguardLayerNormalization } from '../../src/repro/engine/customLayers';
import { tf, tfl } from '../../src/repro/engine/tf';

function gradientsOf(layer: tfl.layers.Layer, x: tf.Tensor, weights: tf.Tensor): { output: number[]; gradients: number[][] } {
  const output = layer.apply(x) as tf.Tensor;
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, weights)) as tf.Scalar, layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
  return { output: [...output.dataSync()], gradients: Object.values(grads).map((g) => [...g.dataSync()]) };
}

function close(a: number[], b: number[], what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-4 * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} against ${b[i]}`);
}

describe("nanguard's LayerNormalization", () => {
  for (const axis of [-1, [1, 2, 3]]) {
    it(`gives TensorFlow.js's outputs and gradients on a 4-D input, axis ${JSON.stringify(axis)}`, async () => {
      await tf.setBackend('cpu');
      const x = tf.randomNormal([3, 4, 5, 2], 1, 2, 'float32', 7);
      const weights = tf.randomNormal([3, 4, 5, 2], 0, 1, 'float32', 8);
      const gammaShape = axis === -1 ? [2] : [4, 5, 2];
      const gamma = tf.randomUniform(gammaShape, 0.5, 1.5, 'float32', 9);
      const beta = tf.randomUniform(gammaShape, -0.5, 0.5, 'float32', 10);
      const ours = new NanguardLayerNormalization({ axis, epsilon: 1e-3 });
      const theirs = tfl.layers.layerNormalization({ axis, epsilon: 1e-3 });
      ours.apply(x);
      theirs.apply(x);
      for (const layer of [ours, theirs]) layer.setWeights([gamma, beta]);
      const a = gradientsOf(ours, x, weights);
      const b = gradientsOf(theirs, x, weights);
      close(a.output, b.output, 'output');
      assert.equal(a.gradients.length, 2);
      a.gradients.forEach((g, i) => close(g, b.gradients[i], `gradient ${i}`));
    });
  }

  it('with rms_scaling, scales by the root of the variance and gamma alone', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor2d([[1, 2, 3, 6]]);
    const layer = new NanguardLayerNormalization({ axis: -1, epsilon: 0, rmsScaling: true });
    layer.apply(x);
    layer.setWeights([tf.tensor1d([1, 1, 1, 2]), tf.tensor1d([5, 5, 5, 5])]);
    const variance = (4 + 1 + 0 + 9) / 4;
    close([...(layer.apply(x) as tf.Tensor).dataSync()], [1, 2, 3, 12].map((v) => v / Math.sqrt(variance)), 'output');
  });
});
