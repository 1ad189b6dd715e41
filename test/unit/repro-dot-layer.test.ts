/**
 * Keras's Dot layer (GloVe's and the recommenders' dot product of two embeddings), which
 * TensorFlow.js has: its output shape, and a run that starts where Keras 3.15 starts the same
 * program (0.337; predictions near 0 against uniform targets: E[y²] = 1/3).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layerOutputShape } from '../../src/core/frontends/python/shapes';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const GLOVE = `
import numpy as np
from keras.layers import Input, Embedding, Dot, Reshape, Add
from keras.models import Model
targets = np.random.randint(0, 500, size=(512, 1))
contexts = np.random.randint(0, 500, size=(512, 1))
y = np.random.rand(512, 1)
input_target = Input((1,))
input_context = Input((1,))
vt = Embedding(500, 16)(input_target)
vc = Embedding(500, 16)(input_context)
dot_product = Reshape((1,))(Dot(axes=-1)([vt, vc]))
bias = Reshape((1,))(Embedding(500, 1)(input_target))
model = Model(inputs=[input_target, input_context], outputs=Add()([dot_product, bias]))
model.compile(loss='mse', optimizer='adam')
model.fit([targets, contexts], y, batch_size=64, epochs=2)
`;

describe('the Dot layer', () => {
  it('has Keras\'s output shapes', () => {
    assert.deepEqual(layerOutputShape('Dot', { axes: -1 }, [[null, 1, 16], [null, 1, 16]]), [null, 1, 1]);
    assert.deepEqual(layerOutputShape('Dot', { axes: 1 }, [[null, 8], [null, 8]]), [null, 1]);
    assert.deepEqual(layerOutputShape('Dot', { axes: [2, 2] }, [[null, 3, 8], [null, 5, 8]]), [null, 3, 5]);
  });

  it('is reproduced: two embeddings multiplied, trained from where Keras starts', async () => {
    const plan = planned(await fittedModelOf(GLOVE));
    const first = fromWire((await trainOnCpu(plan)).history.loss[0] as never);
    assert.ok(first > 0.28 && first < 0.4, String(first));
  });
});
