/**
 * A stateful LSTM (MorvanZhou's LSTM regressor: `batch_input_shape=(50, 20, 1)`, `stateful=True`):
 * TensorFlow.js refuses to build one without a fixed batch, which shortened epochs break. The run
 * starts each batch from zero states and says so; before, the reproduction failed on building it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { planned, trainOnCpu } from './repro-plans';

const STATEFUL = (wrapped: boolean) => `
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, TimeDistributed, Dense
from keras.optimizers import Adam

xs = np.arange(0, 1000).reshape((50, 20)) / (10 * np.pi)
seq = np.sin(xs)[:, :, np.newaxis]
res = np.cos(xs)[:, :, np.newaxis]
model = Sequential()
model.add(LSTM(batch_input_shape=(50, 20, 1), units=20, return_sequences=True, stateful=True))
model.add(${wrapped ? 'TimeDistributed(Dense(1))' : 'Dense(1)'})
model.compile(optimizer=Adam(0.006), loss='mse')
model.fit(seq, res, batch_size=50, epochs=3, shuffle=False)
`;

describe('a stateful recurrent layer', () => {
  it('is run stateless, with a note naming it, and trains', async () => {
    for (const wrapped of [true, false]) {
      const model = pickModel((await analyzeFile('lstm.py', STATEFUL(wrapped), NO_FILES)).models);
      if (typeof model === 'string') assert.fail(model);
      const plan = planned(model);
      assert.doesNotMatch(JSON.stringify(plan.kerasJson), /stateful/);
      assert.ok(plan.notes.some((n) => /^lstm \(line 11\) is stateful: Keras carries the recurrent states from one batch to the next/.test(n.text)), plan.notes.map((n) => n.text).join('\n'));
      const history = (await trainOnCpu(plan)).history;
      assert.equal(history.loss.length, 3);
    }
  });
});
