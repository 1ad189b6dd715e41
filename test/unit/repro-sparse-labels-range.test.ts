// Sparse cross-entropy labels outside the output's classes (labels 1 to 7 for a softmax of 7,
// keras-team/keras issue 11786): Keras 3 raises on a CPU ("Received a label value of 7 which is
// outside the valid range of [0, 7)"); the run says so instead of training on them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const program = (labels: string): string => `
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
x = np.array([[0.1, 0.2], [0.3, 0.1], [0.5, 0.9], [0.7, 0.4], [0.2, 0.8], [0.9, 0.6], [0.4, 0.3]])
y = np.array(${labels})
model = Sequential([Dense(8, activation='relu', input_shape=(2,)), Dense(7, activation='softmax')])
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')
model.fit(x, y, epochs=2)
`;

describe('sparse cross-entropy labels', () => {
  it('numbered from 1: the run fails, naming the range, what Keras does and the fix', async () => {
    await assert.rejects(trainOnCpu(planned(await fittedModelOf(program('[1, 2, 3, 4, 5, 6, 7]')))), /labels run from 1 to 7, but the output's 7 classes are 0 to 6: the label 7 has no output\. Keras raises on a CPU .*number the classes from 0 \(y - 1\)/);
  });

  it('numbered from 0: trained', async () => {
    const summary = await trainOnCpu(planned(await fittedModelOf(program('[0, 1, 2, 3, 4, 5, 6]'))));
    assert.equal(summary.history.loss.length, 2);
  });
});

// Token ids past an Embedding's table (keras-team/keras issue 10694, "No Error when using too Small
// Embedding Layer"): Keras 3 raises on a CPU ("indices[0,2] = 107 is not in [0, 100)").
const tokens = (inputDim: number): string => `
import numpy as np
from tensorflow import keras
x = np.array([[3, 7, 149, 0], [12, 99, 5, 1], [140, 2, 2, 8], [0, 0, 1, 120]])
y = np.array([0, 1, 1, 0])
model = keras.Sequential([keras.Input(shape=(4,), dtype='int32'), keras.layers.Embedding(${inputDim}, 8), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(x, y, epochs=2)
`;

describe("an Embedding's token ids", () => {
  it('past its table: the run fails, naming the layer, the ids, what Keras does and the fix', async () => {
    await assert.rejects(trainOnCpu(planned(await fittedModelOf(tokens(100)))), /the token ids run from 0 to 149, but embedding's table has 100 rows \(input_dim=100\), ids 0 to 99: the id 149 has no row\. Keras raises on a CPU .*give the Embedding input_dim=150/);
  });

  it('within it: trained', async () => {
    const summary = await trainOnCpu(planned(await fittedModelOf(tokens(150))));
    assert.equal(summary.history.loss.length, 2);
  });
});
