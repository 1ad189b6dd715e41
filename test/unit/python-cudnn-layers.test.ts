/**
 * Keras 2's CuDNNLSTM and CuDNNGRU (curiousily's stock predictor, many LSTM tutorials of 2018-2019)
 * compute an LSTM and a GRU with sigmoid gates (a GRU's reset after the product); they were refused
 * as layers TensorFlow.js has no faithful version of.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { planned } from './repro-plans';

const STOCK = `
import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Bidirectional, Dropout, Dense
from tensorflow.python.keras.layers import CuDNNLSTM, CuDNNGRU
X_train = np.random.rand(500, 99, 1)
y_train = np.random.rand(500, 1)
model = keras.Sequential()
model.add(Bidirectional(CuDNNLSTM(16, return_sequences=True), input_shape=(99, 1)))
model.add(Dropout(rate=0.2))
model.add(CuDNNGRU(8))
model.add(Dense(units=1))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(X_train, y_train, epochs=2, batch_size=64, shuffle=False)
`;

describe('CuDNNLSTM and CuDNNGRU', () => {
  it('are an LSTM and a GRU with sigmoid gates, and the model is planned', async () => {
    const model = pickModel((await analyzeFile('stock.py', STOCK, NO_FILES)).models);
    if (typeof model === 'string') assert.fail(model);
    const inner = (model.layers[0].config.layer as { class_name: string; config: Record<string, unknown> });
    assert.deepEqual([inner.class_name, inner.config.recurrent_activation], ['LSTM', 'sigmoid']);
    const gru = model.layers.find((l) => l.className === 'GRU');
    assert.deepEqual([gru?.config.recurrent_activation, gru?.config.reset_after], ['sigmoid', true]);
    planned(model);
  });
});
