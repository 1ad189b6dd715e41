/**
 * An Embedding's table is read a row per index: Embedding(20000, 128) over reviews of 100 words is
 * 2.56 million weights, but a review costs 100 rows of 128. The estimate left the table out (the
 * model was taken for a small one and run on the CPU backend, over 120 s for 2,000 reviews where
 * WebAssembly takes 3 s), and the epoch budget would have counted each review as a pass through
 * the whole table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoOrder, modelTraits } from '../../src/repro/engine/backend';
import { estimateParameters } from '../../src/repro/kerasJson';
import { fittedModelOf, planned } from './repro-plans';

const REVIEWS = `
import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, GlobalAveragePooling1D, Dense, Dropout, Activation
X_train = np.random.randint(0, 20000, size=(2000, 100))
y_train = np.random.randint(0, 2, size=(2000,))
model = Sequential()
model.add(Embedding(20000, 128, input_shape=(100,)))
model.add(GlobalAveragePooling1D())
model.add(Dropout(0.5))
model.add(Dense(1))
model.add(Activation('sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam')
model.fit(X_train, y_train, batch_size=32, epochs=3)
`;

describe('an Embedding table', () => {
  it('counts in the parameters (so WebAssembly runs it), and a whole epoch of 2,000 reviews fits the budget', async () => {
    const plan = planned(await fittedModelOf(REVIEWS));
    // 20000 x 128 + the Dense after the pooling (128 + 1).
    assert.equal(estimateParameters(plan.kerasJson), 2_560_129);
    // Native first where it is installed; WebAssembly before the CPU backend.
    assert.deepEqual(autoOrder(modelTraits(plan, 2000)).filter((b) => b !== 'node'), ['wasm', 'cpu']);
    assert.ok(!plan.notes.some((n) => n.kind === 'shortened'), plan.notes.map((n) => n.text).join('\n'));
  });
});
