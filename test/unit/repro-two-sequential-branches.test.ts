/**
 * Two Sequential sub-models without an Input of their own, each applied to its own Input (the
 * Keras siamese example's base networks, built twice): the second one's first layer read the first
 * one's output, and the run failed on building it ("expected min_ndim=3, found ndim=2").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateParameters } from '../../src/repro/kerasJson';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const TWO_BRANCHES = `
import numpy as np
import tensorflow as tf
xa = np.random.rand(128, 28, 28).astype("float32")
xb = np.random.rand(128, 28, 28).astype("float32")
y = np.random.randint(0, 2, size=(128,)).astype("float32")
def create_base_network():
    return tf.keras.models.Sequential([
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(64, activation='relu'),
    ])
base_a = create_base_network()
base_b = create_base_network()
input_a = tf.keras.layers.Input(shape=(28, 28))
input_b = tf.keras.layers.Input(shape=(28, 28))
enc_a = base_a(input_a)
enc_b = base_b(input_b)
d = tf.keras.layers.Lambda(lambda e: tf.keras.backend.abs(e[0] - e[1]))([enc_a, enc_b])
out = tf.keras.layers.Dense(1, activation='sigmoid')(d)
model = tf.keras.models.Model([input_a, input_b], out)
model.compile(loss='binary_crossentropy', optimizer='adam')
model.fit([xa, xb], y, batch_size=32, epochs=2)
`;

describe('two Sequential sub-models, each on its own input', () => {
  it('each reads its own input: the parameters are Keras\'s and the model trains', async () => {
    const plan = planned(await fittedModelOf(TWO_BRANCHES));
    // 2 x (784 x 64 + 64) + 65, as Keras counts it.
    assert.equal(estimateParameters(plan.kerasJson), 100_545);
    const history = (await trainOnCpu(plan)).history;
    assert.equal(history.loss.length, 2);
  });
});
