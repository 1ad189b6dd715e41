/**
 * One layer or sub-model applied to several inputs, sharing its weights (a siamese network's
 * tower, `shared(left)` and `shared(right)`): rebuilt as further calls of the same layers, each a
 * node of the layer's one Keras JSON entry, so that both inputs train the one set of weights.
 * Parameter counts are those real Keras 3 reports for the same programs (`model.count_params()`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelSpec } from '../../src/core/ir';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const wiring = (model: ModelSpec) => model.layers.filter((l) => l.className !== 'InputLayer').map((l) => `${l.name}<-${(l.inbound ?? []).join(',')}${l.sharedWith ? ` =${l.sharedWith}` : ''}`);

// The Keras siamese MNIST example's shape (mnist_siamese_graph.py), smaller and on data of its own.
const SIAMESE = `
import numpy as np
from keras.models import Model, Sequential
from keras.layers import Dense, Input, Lambda
from keras import ops as K

x1 = np.random.rand(256, 20).astype("float32")
x2 = np.random.rand(256, 20).astype("float32")
labels = np.random.randint(0, 2, size=(256, 1)).astype("float32")

def euclidean_distance(inputs):
    a, b = inputs
    return K.sqrt(K.maximum(K.sum(K.square(a - b), axis=1, keepdims=True), 1e-7))

def contrastive_loss(y, d):
    return K.mean(y * K.square(d) + (1 - y) * K.square(K.maximum(1 - d, 0)))

def create_base_network(input_dim):
    seq = Sequential()
    seq.add(Input(shape=(input_dim,)))
    seq.add(Dense(16, activation='relu'))
    seq.add(Dense(8, activation='relu'))
    return seq

base_network = create_base_network(20)
input_a = Input(shape=(20,))
input_b = Input(shape=(20,))
processed_a = base_network(input_a)
processed_b = base_network(input_b)
distance = Lambda(euclidean_distance, output_shape=(1,))([processed_a, processed_b])
model = Model([input_a, input_b], distance)
model.compile(loss=contrastive_loss, optimizer='rmsprop')
model.fit([x1, x2], labels, epochs=3, batch_size=32)
`;

const SHARED_DENSE = `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

a = np.random.rand(256, 10).astype("float32")
b = np.random.rand(256, 10).astype("float32")
y = np.random.rand(256, 1).astype("float32")

left = keras.Input(shape=(10,))
right = keras.Input(shape=(10,))
shared = layers.Dense(6, activation="tanh")
merged = layers.concatenate([shared(left), shared(right)])
out = layers.Dense(1)(merged)
model = keras.Model([left, right], out)
model.compile(optimizer="adam", loss="mse")
model.fit([a, b], y, epochs=3, batch_size=32)
`;

describe('layers and sub-models applied to several inputs, sharing their weights', () => {
  it("a siamese network's Sequential tower applied to two inputs is one tower, called twice", async () => {
    const model = await fittedModelOf(SIAMESE);
    assert.equal(model.definitionProblem, undefined);
    // The tower's second layer reads the one before it (no inbound: the previous layer), in each call.
    assert.deepEqual(wiring(model), ['dense<-input_layer_1', 'dense_1<-', 'dense (call 2)<-input_layer_2 =dense', 'dense_1 (call 2)<- =dense_1', 'lambda<-dense_1,dense_1 (call 2)']);
    const plan = planned(model);
    const dense = plan.kerasJson.config.layers.filter((l) => l.class_name === 'Dense');
    assert.deepEqual(dense.map((l) => (l.inbound_nodes ?? []).length), [2, 2]);
    const summary = await trainOnCpu(plan);
    assert.equal(summary.model.parameters, 472);
    const losses = summary.history.loss.map(fromWire);
    assert.ok(losses.every(Number.isFinite) && losses.at(-1)! < losses[0], `the loss falls: ${losses.join(', ')}`);
  });

  it('a Dense applied to two inputs before a concatenate reads each input once, with one kernel', async () => {
    const model = await fittedModelOf(SHARED_DENSE);
    assert.deepEqual(wiring(model), ['dense<-input_layer', 'dense (call 2)<-input_layer_1 =dense', 'concatenate<-dense,dense (call 2)', 'dense_1<-concatenate']);
    const summary = await trainOnCpu(planned(model));
    assert.equal(summary.model.parameters, 79);
    const losses = summary.history.loss.map(fromWire);
    assert.ok(losses.every(Number.isFinite) && losses.at(-1)! < losses[0], `the loss falls: ${losses.join(', ')}`);
  });

  it('the same call read twice is one call, not two (an output used by two layers)', async () => {
    const model = await fittedModelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(64, 8).astype("float32")
inputs = keras.Input(shape=(8,))
h = layers.Dense(4)(inputs)
out = layers.Add()([layers.Dense(8)(h), layers.Dense(8)(h)])
model = keras.Model(inputs, out)
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=1)
`);
    assert.ok(model.layers.every((l) => l.sharedWith === undefined));
  });
});
