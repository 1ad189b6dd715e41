/**
 * Keras 3's element-wise losses beside the cross-entropies and squared errors, against the values
 * real Keras 3.15 gives on the same tensors (`keras.ops.mean(keras.losses.get(name)(t, p))`):
 * poisson (NaN on a prediction at or below 0, keras-team/keras#590's linear output), mape,
 * kl_divergence, and the hinges (binary targets become -1 and 1, others are kept).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lossFunction } from '../../src/repro/engine/losses';
import { tf } from '../../src/repro/engine/tf';

const t = [[0, 1, 2], [1, 0, 3]];
const p = [[0.5, -0.2, 1.5], [0.9, 0.1, 2.0]];
const binary = [[0, 1, 1], [1, 0, 0]];
const probabilities = [[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]];
const targetsOfOne = [[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]];

function loss(name: string, yTrue: number[][], yPred: number[][]): number {
  return tf.tidy(() => lossFunction(name, false)(tf.tensor2d(yTrue), tf.tensor2d(yPred)).dataSync()[0]);
}

describe("Keras's other losses", () => {
  const cases: Array<[string, string, number[][], number[][], number]> = [
    ['poisson', 'positive predictions', t, p.map((r) => r.map((v) => Math.abs(v) + 0.1)), 0.6396921873092651],
    ['poisson', 'a prediction below 0', t, p, NaN],
    ['mape', '', t.map((r) => r.map((v) => v + 0.5)), p, 52.69841003417969],
    ['kl_divergence', '', targetsOfOne, probabilities, 0.16091756522655487],
    ['hinge', 'binary targets', binary, p, 1.149999976158142],
    ['squared_hinge', 'binary targets', binary, p, 2.318333387374878],
    ['hinge', 'other targets', t, p, 0.550000011920929],
    ['squared_hinge', 'other targets', t, p, 0.574999988079071],
  ];
  for (const [name, what, yTrue, yPred, keras] of cases) {
    it(`${name}${what ? ` (${what})` : ''} is Keras's ${keras}`, () => {
      const ours = loss(name, yTrue, yPred);
      if (Number.isNaN(keras)) assert.ok(Number.isNaN(ours), `${ours}`);
      else assert.ok(Math.abs(ours - keras) / keras < 1e-5, `${ours} where Keras gives ${keras}`);
    });
  }
});
