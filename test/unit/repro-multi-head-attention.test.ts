// Keras's MultiHeadAttention, which tfjs-layers lacks, as nanguard's own layer (engine/customLayers.ts).
// The numbers are real Keras's (3.15.1, TensorFlow 2.21, CPU): the outputs of a layer whose eight
// weights were set to the same sine pattern on both sides, and the losses of a model trained from
// constant initial weights with shuffle=False.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildModel } from '../../src/repro/engine/model';
import { tf } from '../../src/repro/engine/tf';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, refusalOf, trainOnCpu } from './repro-plans';

const data = (rows: number): string => `(np.sin(np.arange(${rows} * 5 * 3) * 0.7) * 0.5 + 0.5).astype("float32").reshape(${rows}, 5, 3)`;

const ATTENTION = (call: string): string => `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = ${data(2)}
inputs = keras.Input(shape=(5, 3))
mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=3, output_shape=6)
out = ${call}
m = keras.Model(inputs, out)
m.compile(loss="mse", optimizer="adam")
m.fit(x, np.zeros((2, 5, 6)), epochs=1)
`;

/** Keras's outputs [:, :, :2], flattened, with weight k set to sin(0.37 i + k) / 2 (in Keras's order: query, key, value, output; kernel then bias). */
const KERAS_OUTPUT = [0.228863, 0.284337, 0.228741, 0.284214, 0.228497, 0.283805, 0.228866, 0.284341, 0.228737, 0.284209, 0.238478, 0.300034, 0.238664, 0.300303, 0.238585, 0.300229, 0.238479, 0.300035, 0.238665, 0.300305];
const KERAS_CAUSAL_OUTPUT = [0.259477, 0.335277, 0.225603, 0.279492, 0.23081, 0.287358, 0.238043, 0.299547, 0.228737, 0.284209, 0.242313, 0.305278, 0.249888, 0.318966, 0.230808, 0.28735, 0.233698, 0.291817, 0.238665, 0.300305];

async function outputsWithSineWeights(call: string): Promise<number[]> {
  const built = await buildModel(planned(await fittedModelOf(ATTENTION(call))));
  const layer = built.model.layers.find((l) => l.getClassName() === 'NanguardMultiHeadAttention');
  assert.ok(layer, 'the attention layer is built');
  const shapes = layer.getWeights().map((w) => w.shape);
  assert.deepEqual(shapes, [[3, 2, 4], [2, 4], [3, 2, 4], [2, 4], [3, 2, 3], [2, 3], [2, 3, 6], [6]], "Keras's weights, in Keras's layout and order");
  layer.setWeights(shapes.map((shape, k) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Array.from({ length: size }, (_, i) => Math.sin(i * 0.37 + k) * 0.5), shape);
  }));
  const x = tf.tensor(Array.from({ length: 30 }, (_, i) => Math.sin(i * 0.7) * 0.5 + 0.5), [2, 5, 3]);
  const out = (built.model.predict(x) as tf.Tensor).arraySync() as number[][][];
  return out.flatMap((sample) => sample.flatMap((step) => step.slice(0, 2)));
}

function assertClose(actual: number[], keras: number[], tolerance: number): void {
  assert.equal(actual.length, keras.length);
  actual.forEach((v, i) => assert.ok(Math.abs(v - keras[i]) < tolerance, `value ${i}: ${v} against Keras's ${keras[i]}`));
}

describe('MultiHeadAttention', () => {
  it("computes Keras's outputs from Keras's weights: self-attention, and with use_causal_mask=True", async () => {
    assertClose(await outputsWithSineWeights('mha(inputs, inputs)'), KERAS_OUTPUT, 2e-6);
    assertClose(await outputsWithSineWeights('mha(query=inputs, value=inputs, use_causal_mask=True)'), KERAS_CAUSAL_OUTPUT, 2e-6);
  });

  it("trains as Keras does (a residual block's losses, step for step) and counts Keras's parameters", async () => {
    const summary = await trainOnCpu(planned(await fittedModelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = ${data(8)}
inputs = keras.Input(shape=(5, 3))
h = layers.MultiHeadAttention(num_heads=2, key_dim=4, kernel_initializer=keras.initializers.Constant(0.1))(inputs, inputs)
outputs = layers.Dense(3, kernel_initializer=keras.initializers.Constant(0.2))(h + inputs)
model = keras.Model(inputs, outputs)
model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=0.1))
history = model.fit(x, x, epochs=4, batch_size=4, shuffle=False, verbose=0)
`)));
    // Keras's count_params(): 3 x (3*2*4 + 2*4) for query, key, value, 2*4*3 + 3 for the output, 3*3 + 3 for the Dense.
    assert.equal(summary.model.parameters, 135);
    assertClose(summary.history.loss.map(fromWire), [0.062131, 0.0497582, 0.0438783, 0.0408329], 1e-6);
  });

  it('an attention_mask and returned scores are refused by name', async () => {
    assert.match(refusalOf(await fittedModelOf(ATTENTION('mha(inputs, inputs, attention_mask=np.ones((5, 5)))'))), /layer multi_head_attention \(MultiHeadAttention, line 8\): an attention_mask is not reproduced/);
    assert.match(refusalOf(await fittedModelOf(ATTENTION('mha(inputs, inputs, return_attention_scores=True)').replace('out = mha', 'out, scores = mha'))), /return_attention_scores=True is not reproduced/);
  });

  it("the Keras example's Transformer encoder, twice: `inputs.shape[-1]` of a residual sum sizes a Conv1D, and the count is Keras's", async () => {
    const model = await fittedModelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x_train = np.random.rand(512, 50, 8).astype("float32")

def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0):
    x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(inputs, inputs)
    x = layers.Dropout(dropout)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    res = x + inputs
    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    return x + res

inputs = keras.Input(shape=x_train.shape[1:])
x = inputs
for _ in range(2):
    x = transformer_encoder(x, 16, 2, 32, 0.1)
outputs = layers.Dense(8)(x)
model = keras.Model(inputs, outputs)
model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=1e-3))
model.fit(x_train, x_train, epochs=3, batch_size=32)
`);
    const plan = planned(model);
    assert.deepEqual(model.layers.filter((l) => l.className === 'Conv1D').map((l) => l.config.filters), [32, 8, 32, 8]);
    // Keras's count_params() for this model.
    assert.equal(plan.estimatedParameters, 3496);
  });
});
