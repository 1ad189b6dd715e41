// Tied-weights autoencoders: a decoder layer that reads an encoder Dense's kernel, transposed
// (`tf.matmul(inputs, self.dense.weights[0], transpose_b=True)`, Géron's DenseTranspose, copied
// into many tutorials). The kernel is one variable used twice, trained by the sum of both uses'
// gradients. TIED_ORACLE's losses are real Keras's (3.15.1, TensorFlow 2.21, CPU): with constant
// initial weights and shuffle=False both runs start from the same model and see the same batches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildModel } from '../../src/repro/engine/model';
import { tf } from '../../src/repro/engine/tf';
import { exprLayerWeights, exprWeights } from '../../src/core/tensorExpr';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, refusalOf, trainOnCpu } from './repro-plans';

/** Géron's layer as the book writes it (Keras 2: `self.dense.input_shape`). */
const DENSE_TRANSPOSE = `
import numpy as np
import tensorflow as tf
from tensorflow import keras

class DenseTranspose(keras.layers.Layer):
    def __init__(self, dense, activation=None, **kwargs):
        self.dense = dense
        self.activation = keras.activations.get(activation)
        super().__init__(**kwargs)
    def build(self, batch_input_shape):
        self.biases = self.add_weight(name="bias",
                                      shape=[self.dense.input_shape[-1]],
                                      initializer="zeros")
        super().build(batch_input_shape)
    def call(self, inputs):
        z = tf.matmul(inputs, self.dense.weights[0], transpose_b=True)
        return self.activation(z + self.biases)
`;

const FASHION_TIED_AE = `${DENSE_TRANSPOSE}
(X_train_full, y_train_full), (X_test, y_test) = keras.datasets.fashion_mnist.load_data()
X_train_full = X_train_full.astype(np.float32) / 255
X_train, X_valid = X_train_full[:-5000], X_train_full[-5000:]

dense_1 = keras.layers.Dense(100, activation="selu")
dense_2 = keras.layers.Dense(30, activation="selu")
tied_encoder = keras.models.Sequential([keras.layers.Flatten(input_shape=[28, 28]), dense_1, dense_2])
tied_decoder = keras.models.Sequential([
    DenseTranspose(dense_2, activation="selu"),
    DenseTranspose(dense_1, activation="sigmoid"),
    keras.layers.Reshape([28, 28])
])
tied_ae = keras.models.Sequential([tied_encoder, tied_decoder])
tied_ae.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1.5))
history = tied_ae.fit(X_train, X_train, epochs=10, validation_data=(X_valid, X_valid))
`;

/** Runs in Keras 3 as written (the bias sized by `self.dense.kernel.shape[0]`, as Keras 3's Dense has no input_shape). */
const TIED_ORACLE = `
import numpy as np
import tensorflow as tf
from tensorflow import keras

class DenseTranspose(keras.layers.Layer):
    def __init__(self, dense, activation=None, **kwargs):
        self.dense = dense
        self.activation = keras.activations.get(activation)
        super().__init__(**kwargs)
    def build(self, batch_input_shape):
        self.biases = self.add_weight(name="bias", shape=[self.dense.kernel.shape[0]], initializer="zeros")
        super().build(batch_input_shape)
    def call(self, inputs):
        z = tf.matmul(inputs, self.dense.weights[0], transpose_b=True)
        return self.activation(z + self.biases)

x = np.array([[0.1, 0.9, 0.3, 0.5, 0.7, 0.2], [0.8, 0.1, 0.6, 0.2, 0.4, 0.9], [0.3, 0.3, 0.9, 0.7, 0.1, 0.5], [0.6, 0.4, 0.2, 0.8, 0.9, 0.1],
              [0.2, 0.7, 0.5, 0.1, 0.3, 0.8], [0.9, 0.5, 0.4, 0.6, 0.2, 0.3], [0.4, 0.2, 0.8, 0.3, 0.6, 0.7], [0.5, 0.6, 0.1, 0.9, 0.8, 0.4]], dtype="float32")
dense = keras.layers.Dense(4, activation="tanh", kernel_initializer=keras.initializers.Constant(0.3), bias_initializer="zeros")
encoder = keras.models.Sequential([keras.layers.Input(shape=(6,)), dense])
decoder = keras.models.Sequential([DenseTranspose(dense, activation="sigmoid")])
tied_ae = keras.models.Sequential([encoder, decoder])
tied_ae.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=2.0))
history = tied_ae.fit(x, x, epochs=4, batch_size=4, shuffle=False, verbose=0)
`;

/** Keras 3.15.1's history.history["loss"] and count_params() for TIED_ORACLE. */
const KERAS_LOSSES = [0.1076577, 0.0846234, 0.0759567, 0.0727786];
const KERAS_PARAMETERS = 34;

describe('tied-weights autoencoders', () => {
  it("Géron's DenseTranspose: each decoder layer reads its encoder Dense's kernel, transposed, and has only its bias of its own", async () => {
    const model = await fittedModelOf(FASHION_TIED_AE);
    const tied = model.layers.filter((l) => l.className === 'Lambda');
    assert.equal(tied.length, 2);
    for (const layer of tied) assert.equal(layer.expressionProblem, undefined);
    assert.deepEqual(tied.map((l) => exprLayerWeights(l.expression!).map((w) => [w.weight, w.shape])), [[['kernel', [100, 30]]], [['kernel', [784, 100]]]]);
    assert.deepEqual(tied.map((l) => exprWeights(l.expression!).map((w) => [w.name, w.shape, w.initializer])), [[['bias', [100], 'zeros']], [['bias', [784], 'zeros']]]);
    const plan = planned(model);
    const built = await buildModel(plan);
    // Keras's count: the encoder's 78,500 + 3,030, the decoder's biases 100 + 784; the kernels are not counted twice.
    assert.equal(built.parameters, 82414);
    // The decoder's output is the sigmoid of the code times the first Dense's kernel, transposed, plus its bias (zeros at first).
    const sample = tf.randomUniform([3, 28, 28]);
    const out = built.model.predict(sample) as tf.Tensor;
    assert.deepEqual(out.shape, [3, 28, 28]);
    const layer = (name: string) => built.model.layers.find((l) => l.name === name)!;
    const kernel = (name: string) => layer(name).getWeights()[0];
    const bias = (name: string) => layer(name).getWeights()[1];
    const selu = (t: tf.Tensor) => tf.selu(t);
    const flat = sample.reshape([3, 784]);
    const code = selu(tf.add(tf.matMul(selu(tf.add(tf.matMul(flat, kernel(model.layers[1].name)), bias(model.layers[1].name))), kernel(model.layers[2].name)), bias(model.layers[2].name)));
    const hidden = selu(tf.matMul(code, kernel(model.layers[2].name), false, true));
    const expected = tf.sigmoid(tf.matMul(hidden, kernel(model.layers[1].name), false, true)).reshape([3, 28, 28]);
    assert.ok(tf.max(tf.abs(tf.sub(out, expected))).dataSync()[0] < 1e-5);
  });

  it("trains as Keras does: the shared kernel takes both uses' gradients (Keras's losses, step for step)", async () => {
    const plan = planned(await fittedModelOf(TIED_ORACLE));
    const summary = await trainOnCpu(plan);
    assert.equal(summary.model.parameters, KERAS_PARAMETERS);
    const losses = summary.history.loss.map(fromWire);
    assert.equal(losses.length, KERAS_LOSSES.length);
    losses.forEach((loss, i) => assert.ok(Math.abs(loss - KERAS_LOSSES[i]) < 2e-6, `epoch ${i}: ${loss} against Keras's ${KERAS_LOSSES[i]}`));
  });

  it('a transposed product of two tensors of the batch (attention scores) is refused, naming the line', async () => {
    const model = await fittedModelOf(`
import numpy as np
import tensorflow as tf
from tensorflow import keras

class SelfScores(keras.layers.Layer):
    def call(self, inputs):
        return tf.matmul(inputs, inputs, transpose_b=True)

inputs = keras.Input(shape=(5, 4))
h = SelfScores()(inputs)
outputs = keras.layers.Dense(4)(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 5, 4), np.random.rand(32, 5, 4), epochs=1)
`);
    assert.match(refusalOf(model), /line 8: `tf\.matmul\(inputs, inputs, transpose_b=True\)` multiplies by a transposed tensor of the batch/);
  });
});
