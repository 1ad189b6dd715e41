// Custom layers with weights of their own, made in `build` by `self.add_weight` and read in `call`:
// DEC's clustering layer (Student's t kernel around trainable cluster centres, widely copied into
// autoencoder clustering code) and the Keras guide's `Linear` (`tf.matmul(inputs, self.w) + self.b`).
// Checked against real Keras on the DEC program: its first-epoch KL divergence was 0.0098-0.0505
// over Keras seeds 0-3, nanguard's 0.037 on seed 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildModel } from '../../src/repro/engine/model';
import { tf } from '../../src/repro/engine/tf';
import { exprWeights } from '../../src/core/tensorExpr';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, refusalOf, trainOnCpu } from './repro-plans';

const CLUSTERING_LAYER = `
import numpy as np
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Layer, InputSpec, Dense, Input
from tensorflow.keras.models import Model

class ClusteringLayer(Layer):
    def __init__(self, n_clusters, weights=None, alpha=1.0, **kwargs):
        if 'input_shape' not in kwargs and 'input_dim' in kwargs:
            kwargs['input_shape'] = (kwargs.pop('input_dim'),)
        super(ClusteringLayer, self).__init__(**kwargs)
        self.n_clusters = n_clusters
        self.alpha = alpha
        self.initial_weights = weights
        self.input_spec = InputSpec(ndim=2)

    def build(self, input_shape):
        assert len(input_shape) == 2
        input_dim = input_shape[1]
        self.input_spec = InputSpec(dtype=K.floatx(), shape=(None, input_dim))
        self.clusters = self.add_weight(shape=(self.n_clusters, input_dim), initializer='glorot_uniform', name='clusters')
        if self.initial_weights is not None:
            self.set_weights(self.initial_weights)
            del self.initial_weights
        self.built = True

    def call(self, inputs, **kwargs):
        q = 1.0 / (1.0 + (K.sum(K.square(K.expand_dims(inputs, axis=1) - self.clusters), axis=2) / self.alpha))
        q **= (self.alpha + 1.0) / 2.0
        q = K.transpose(K.transpose(q) / K.sum(q, axis=1))
        return q
`;

const DEC = `${CLUSTERING_LAYER}
x = np.random.rand(256, 20).astype("float32")
inp = Input(shape=(20,))
h = Dense(16, activation='relu')(inp)
h = Dense(4)(h)
clustering = ClusteringLayer(3, name='clustering')(h)
model = Model(inputs=inp, outputs=clustering)
model.compile(optimizer='adam', loss='kld')
y = np.full((256, 3), 1.0 / 3, dtype="float32")
model.fit(x, y, epochs=3, batch_size=32)
`;

describe('custom layers with weights of their own', () => {
  it("DEC's clustering layer: its cluster centres are a weight of the layer, counted and trained", async () => {
    const model = await fittedModelOf(DEC);
    const layer = model.layers.find((l) => l.name === 'clustering');
    assert.equal(layer?.className, 'Lambda');
    assert.equal(layer?.expressionProblem, undefined);
    const weights = exprWeights(layer!.expression!);
    assert.deepEqual(weights.map((w) => [w.name, w.shape, w.initializer]), [['clusters', [3, 4], 'glorot_uniform']]);
    const plan = planned(model);
    // 20*16+16 + 16*4+4 + 3*4 cluster centres.
    assert.equal(plan.estimatedParameters, 336 + 68 + 12);
    const built = await buildModel(plan);
    const clusters = built.model.weights.find((w) => /clusters/.test(w.originalName));
    assert.ok(clusters, 'the layer has its weight');
    assert.equal(clusters.trainable, true);
    // Among the variables the run's optimizer steps.
    assert.ok(built.variables.some((v) => /clusters/.test(v.name)), built.variables.map((v) => v.name).join(', '));
    // The forward pass is the Student's t kernel, rows summing to 1.
    const sample = tf.randomUniform([5, 20]);
    const q = built.model.predict(sample) as tf.Tensor;
    assert.deepEqual(q.shape, [5, 3]);
    for (const row of q.arraySync() as number[][]) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5, String(row));
    const summary = await trainOnCpu(plan);
    const losses = summary.history.loss.map(fromWire);
    assert.ok(losses.every(Number.isFinite), summary.verdict);
  });

  it("the Keras guide's Linear layer: tf.matmul with its kernel plus its bias, a dense layer written by hand", async () => {
    const model = await fittedModelOf(`
import numpy as np
import tensorflow as tf
from tensorflow import keras

class Linear(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

inputs = keras.Input(shape=(12,))
h = Linear(4)(inputs)
outputs = keras.layers.Dense(12, activation="sigmoid")(h)
ae = keras.Model(inputs, outputs)
ae.compile(optimizer="adam", loss="mse")
x = np.random.rand(128, 12)
ae.fit(x, x, epochs=5, batch_size=16)
`);
    const layer = model.layers.find((l) => l.className === 'Lambda');
    assert.equal(layer?.expressionProblem, undefined);
    assert.deepEqual(layer?.expression, {
      op: 'add',
      a: { op: 'matmul', a: { op: 'arg', index: 0 }, b: { op: 'weight', index: 0, name: 'weight_0', shape: [12, 4], initializer: 'random_normal' } },
      b: { op: 'weight', index: 1, name: 'weight_1', shape: [4], initializer: 'zeros' },
    });
    const plan = planned(model);
    assert.equal(plan.estimatedParameters, 12 * 4 + 4 + 4 * 12 + 12);
    const summary = await trainOnCpu(plan);
    const losses = summary.history.loss.map(fromWire);
    // An autoencoder of uniform data through 4 units learns: the loss falls.
    assert.ok(losses[losses.length - 1] < losses[0], JSON.stringify(losses));
  });

  it('a weight that is not trained, or of a shape not worked out, is refused by its line', async () => {
    const model = await fittedModelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import backend as K

class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.s = self.add_weight(shape=(input_shape[-1],), initializer="ones", trainable=False)

    def call(self, x):
        return x * self.s

inputs = keras.Input(shape=(6,))
outputs = keras.layers.Dense(6)(Scale()(inputs))
m = keras.Model(inputs, outputs)
m.compile(optimizer="adam", loss="mse")
x = np.random.rand(64, 6)
m.fit(x, x, epochs=1)
`);
    assert.match(refusalOf(model), /Scale\.call: `self\.add_weight\(.*\)` makes a weight that is not trained, which nanguard does not reproduce/);
  });
});
