// An LSTM over a single timestep (`Input(shape=(1, 100))`, a word-index autoencoder of keras#1939)
// stopped at the first training step: tfjs's gradient of unstack gives `stack` the lone tensor of
// an unstack of one, which it refuses. nanguard registers the same gradient, given a list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf, tfl } from '../../src/repro/engine/tf';

test('an LSTM over one timestep, returning sequences, trains (one and two recurrent layers)', async () => {
  for (const stacked of [false, true]) {
    const model = tfl.sequential();
    model.add(tfl.layers.lstm({ units: 8, returnSequences: true, inputShape: [1, 10] }));
    model.add(stacked ? tfl.layers.lstm({ units: 10, returnSequences: true }) : tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 10 }) }));
    model.compile({ optimizer: 'rmsprop', loss: 'meanSquaredError' });
    const x = tf.randomUniform([32, 1, 10], 0, 1, 'float32', 3);
    const history = await model.fit(x, x, { epochs: 2, batchSize: 16, verbose: 0 });
    const losses = history.history.loss as number[];
    assert.equal(losses.length, 2);
    assert.ok(losses.every(Number.isFinite), String(losses));
  }
});

test('the gradient of an unstack of several is still the stack of their gradients', () => {
  const x = tf.tensor3d([[[1, 2]], [[3, 4]]]);
  const grad = tf.grad((t: tf.Tensor) => {
    const [a, b] = tf.unstack(t, 0);
    return tf.add(tf.sum(tf.mul(a, 2)), tf.sum(tf.mul(b, 3)));
  })(x);
  assert.deepEqual(Array.from(grad.dataSync()), [2, 2, 3, 3]);
});
