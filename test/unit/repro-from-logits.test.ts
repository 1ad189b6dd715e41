/**
 * `from_logits=True` on a cross-entropy (the TensorFlow tutorials' classifiers end in a linear
 * Dense): the output is taken as logits. The reproduction took it as probabilities, clipped them,
 * and began a three-class classifier at 4.99 where Keras 3.15 begins it at 1.13.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';
import { fromWire } from '../../src/repro/protocol';
import { toTfjsTopology } from '../../src/repro/engine/topology';

const CLASSIFIER = (output: string, loss: string, labels: string) => `
import numpy as np
import tensorflow as tf
x_all = np.random.rand(300, 4).astype('float32')
y_all = ${labels}
model = tf.keras.Sequential([
  tf.keras.layers.Dense(10, activation=tf.nn.relu, input_shape=(4,)),
  tf.keras.layers.Dense(10, activation=tf.nn.relu),
  ${output}
])
model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.01), loss=${loss})
model.fit(x_all, y_all, batch_size=32, epochs=2)
`;

async function firstLoss(source: string): Promise<{ first: number; plan: ReturnType<typeof planned> }> {
  const plan = planned(await fittedModelOf(source));
  const history = (await trainOnCpu(plan)).history;
  return { first: fromWire(history.loss[0] as never), plan };
}

describe('from_logits=True', () => {
  it('takes a linear output as logits, for the sparse, categorical and binary cross-entropies', async () => {
    const sparse = await firstLoss(CLASSIFIER('tf.keras.layers.Dense(3)', 'tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)', 'np.random.randint(0, 3, size=(300,))'));
    assert.equal(sparse.plan.compile.fromLogits, true);
    // ln 3 = 1.10 (Keras 3.15 on this program: 1.128).
    assert.ok(sparse.first > 1 && sparse.first < 1.3, String(sparse.first));
    const binary = await firstLoss(CLASSIFIER('tf.keras.layers.Dense(1)', 'tf.keras.losses.BinaryCrossentropy(from_logits=True)', 'np.random.randint(0, 2, size=(300, 1)).astype("float32")'));
    assert.ok(binary.first > 0.6 && binary.first < 0.85, String(binary.first));
  });

  it('leaves a softmax output in place and softmaxes it again, as Keras does', async () => {
    const { plan, first } = await firstLoss(CLASSIFIER("tf.keras.layers.Dense(3, activation='softmax')", 'tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)', 'np.random.randint(0, 3, size=(300,))'));
    const topology = toTfjsTopology(plan.kerasJson, 0, plan.compile.loss, plan.compile.fromLogits === true);
    assert.deepEqual([topology.outputLogits, topology.logitLayers.size, JSON.stringify(topology.json).includes('"activation":"softmax"')], [true, 0, true]);
    // Without from_logits the softmax is the loss's own (Keras takes its logits): moved into the loss.
    const fused = toTfjsTopology(plan.kerasJson, 0, plan.compile.loss, false);
    assert.deepEqual([fused.outputLogits, fused.logitLayers.size], [true, 1]);
    // Probabilities read as logits differ by less than 1: the loss sits near ln 3 and cannot go much lower.
    assert.ok(first > 1 && first < 1.2, String(first));
  });
});
