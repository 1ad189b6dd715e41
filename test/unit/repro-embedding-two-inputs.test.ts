/**
 * keras-team/keras#590's shape of model: an Embedding and an LSTM over word indices beside an LSTM
 * over covariates, two inputs summed. Each input keeps its own shape in the plan's estimates (the
 * covariates' 10 steps of 8, not the first input's), and the Embedding's gradient (a gather's:
 * UnsortedSegmentSum, which tfjs-backend-wasm lacks) trains on WebAssembly as on the CPU backend.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { recurrentStepValues } from '../../src/repro/kerasJson';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';

const PROGRAM = `
import numpy as np
from keras.models import Model
from keras.layers import Input, Embedding, LSTM, Dense, Add

X_1 = np.random.randint(0, 300, size=(256, 10))
X_2 = np.random.normal(size=(256, 10, 8)).astype('float32')
y = np.random.rand(256, 1)

left_in = Input(shape=(10,))
left = LSTM(16)(Embedding(300, 8)(left_in))
right_in = Input(shape=(10, 8))
right = LSTM(512)(right_in)
out = Dense(1)(Add()([Dense(16)(left), Dense(16)(right)]))
model = Model([left_in, right_in], out)
model.compile(loss='mse', optimizer='adam')
model.fit([X_1, X_2], y, batch_size=64, epochs=2)
`;

async function plan(): Promise<ReproPlan> {
  const analysis = await analyzeFile('two.py', PROGRAM, NO_FILES);
  const r = buildPlan(analysis.models[0], { seed: 1 });
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

describe('a model of two inputs, one of word indices through an Embedding', () => {
  it("counts each recurrent layer's steps from its own input", async () => {
    const p = await plan();
    const steps = recurrentStepValues(p.kerasJson, p.inputShape).map((r) => [r.units, r.steps]);
    assert.deepEqual(steps.sort((a, b) => a[0] - b[0]), [[16, 10], [512, 10]]);
  });

  it('trains on WebAssembly, the losses those of the CPU backend', async () => {
    const p = await plan();
    const losses = async (backend: 'cpu' | 'wasm') => (await runReproduction(p, backend, { emit: () => undefined, cancelled: () => false }, performance.now())).history.loss.map(fromWire);
    const [cpu, wasm] = [await losses('cpu'), await losses('wasm')];
    assert.equal(wasm.length, 2);
    wasm.forEach((loss, i) => assert.ok(Math.abs(loss - cpu[i]) / cpu[i] < 1e-3, `epoch ${i}: ${loss} on wasm, ${cpu[i]} on cpu`));
  });
});
