/**
 * A reshape that regroups values into samples (`sequence.reshape((1, n_in, 1))`: nine rows of one
 * value become one sample of nine steps), as in the LSTM autoencoder of Jason Brownlee's "A Gentle
 * Introduction to LSTM Autoencoders" (machinelearningmastery.com). The reproduction refused it
 * ("1 features per sample but the model expects 9"); the replay now cuts the values into samples.
 * In Keras 3.15 (test/realworld/run_keras.py, 300 epochs) it trains from 0.305 to 1.1e-5; the
 * reproduction starts at 0.312 and ends near 5e-6.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { applyTransforms } from '../../src/repro/data';
import { materializeData } from '../../src/repro/plan';
import { lossBounds } from '../../src/repro/verdict';
import { planned, trainOnCpu } from './repro-plans';

const GENTLE_LSTM_AUTOENCODER = `
from numpy import array
from keras.models import Sequential
from keras.layers import LSTM
from keras.layers import Dense
from keras.layers import RepeatVector
from keras.layers import TimeDistributed
# define input sequence
sequence = array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
# reshape input into [samples, timesteps, features]
n_in = len(sequence)
sequence = sequence.reshape((1, n_in, 1))
# define model
model = Sequential()
model.add(LSTM(100, activation='relu', input_shape=(n_in,1)))
model.add(RepeatVector(n_in))
model.add(LSTM(100, activation='relu', return_sequences=True))
model.add(TimeDistributed(Dense(1)))
model.compile(optimizer='adam', loss='mse')
# fit model
model.fit(sequence, sequence, epochs=300, verbose=0)
`;

describe('reshapes that regroup samples', () => {
  it('replays the values cut into samples of the new width, in order', () => {
    const rows = [[1], [2], [3], [4], [5], [6]];
    assert.deepEqual(applyTransforms(rows, [{ kind: 'reshape', sampleWidth: 3 }]).x, [[1, 2, 3], [4, 5, 6]]);
    // Samples that keep their width are left as they are; a width that does not divide the values is named.
    assert.deepEqual(applyTransforms(rows, [{ kind: 'reshape', sampleWidth: 1 }]).x, rows);
    const odd = applyTransforms(rows, [{ kind: 'reshape', sampleWidth: 4 }]);
    assert.equal(odd.notes.length, 1);
  });

  it("the nine values of the tutorial's sequence are one sample of nine steps, and the model trains on it", async () => {
    const analysis = await analyzeFile('lstm_autoencoder.py', GENTLE_LSTM_AUTOENCODER, NO_FILES);
    const model = analysis.models.find((m) => m.fit);
    assert.ok(model);
    const plan = planned(model, { epochs: 30 });
    const { x } = materializeData(plan);
    assert.deepEqual(x.map((r) => r.map((v) => Math.round(v * 10) / 10)), [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]]);
    const summary = await trainOnCpu(plan);
    const losses = summary.history.loss as number[];
    assert.ok(losses[0] > 0.2 && losses[0] < 0.4, `first loss ${losses[0]}`);
    assert.ok(losses[losses.length - 1] < losses[0] / 2, `last loss ${losses[losses.length - 1]}`);
  });

  it("one sample: predicting the mean is predicting it exactly, so the mean predictor's loss is no bound to judge a stall by", () => {
    assert.equal(lossBounds('mse', [[0.1, 0.2, 0.3]], undefined).meanPredictor, null);
    assert.ok((lossBounds('mse', [[0.1, 0.2], [0.3, 0.5]], undefined).meanPredictor ?? 0) > 0);
  });
});
