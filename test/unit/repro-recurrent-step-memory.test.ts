// Two LSTM(512) over 672 steps in batches of 32 (keras-team/keras#13221's model) made TensorFlow.js's
// WebAssembly backend abort, and the user read "the WebAssembly backend aborted". The unrolled steps'
// values are now counted (4 bytes a float32 value) and such a run is refused before it starts,
// naming the layer and its line; the same model over fewer steps trains.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan } from '../../src/repro/plan';

const STACKED = (steps: number, units: number) => `import numpy as np
from keras.layers import Input, LSTM, Dense
from keras.models import Model

ipt = Input(batch_shape=(32, ${steps}, 16))
x = LSTM(${units}, activation='relu', return_sequences=True)(ipt)
x = LSTM(${units}, activation='relu', return_sequences=False)(x)
out = Dense(1, activation='sigmoid')(x)
model = Model(ipt, out)
model.compile(optimizer='nadam', loss='binary_crossentropy')
X = np.random.randn(64, ${steps}, 16)
Y = np.random.randint(0, 2, (64, 1))
model.fit(X, Y, batch_size=32, epochs=2, shuffle=False)
`;

async function planned(source: string) {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const model = pickModel(analysis.models);
  assert.ok(typeof model !== 'string', String(model));
  return buildPlan(model, { seed: 0 });
}

test('recurrent layers whose unrolled steps would not fit are refused, naming the layer and its line', async () => {
  const result = await planned(STACKED(672, 512));
  assert.ok('refused' in result, 'expected a refusal');
  assert.match(result.refused, /^layer lstm \(LSTM, line 6\) runs 512 units over 672 steps: a batch of 32 keeps about 1,344 MB of per-step values for the gradients in the model's 2 recurrent layers \(4 bytes a float32 value\), over the 1,024 MB/);
});

test('the same stack over fewer steps is planned and trains', async () => {
  const result = await planned(STACKED(20, 16));
  assert.ok(!('refused' in result), 'refused' in result ? result.refused : '');
  const summary = await runReproduction(result.plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
  assert.equal(summary.epochsRun, 2);
});
