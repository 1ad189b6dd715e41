import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';

const DIR = join(__dirname, '..', 'fixtures', 'recurrent');

async function lint(name: string, text = readFileSync(join(DIR, name), 'utf8')) {
  const { findings, analysis } = await checkFile(`test/fixtures/recurrent/${name}`, text, NO_FILES, DEFAULT_SETTINGS);
  return { findings: findings.filter((f) => f.rule === 'NAN206'), analysis, text };
}

test('NAN206 flags relu cells in LSTM and GRU layers, on the activation value', async () => {
  const { findings } = await lint('NAN206_fire.py');
  assert.equal(findings.length, 2);
  assert.deepEqual(findings.map((f) => f.range.start.line), [8, 10]);
  assert.equal(findings[0].cause, 'relu-in-recurrent');
  assert.match(findings[0].message, /LSTM 'lstm' uses relu as its cell activation.*over 120 time steps/);
  assert.match(findings[1].message, /GRU 'gru' uses relu/);
});

test('NAN206 is quiet on tanh cells, whatever the gates and the Dense layers use', async () => {
  const { findings } = await lint('NAN206_quiet.py');
  assert.deepEqual(findings, []);
});

test("NAN206's fix restores tanh, keeps the file valid Python, and the finding goes away", async () => {
  let { findings, text, analysis } = await lint('NAN206_fire.py');
  for (let round = 0; findings.length > 0 && round < 5; round++) {
    const edit = findings[0].fixes[0].edits[0];
    const lines = text.split('\n');
    const line = lines[edit.range.start.line];
    lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
    text = lines.join('\n');
    ({ findings, analysis } = await lint('NAN206_fire.py', text));
  }
  assert.match(text, /LSTM\(32, activation="tanh"\)/);
  assert.match(text, /GRU\(32, activation='tanh'/);
  assert.deepEqual(findings, []);
  assert.deepEqual(analysis.problems.filter((p) => /syntax/i.test(p.message)), []);
});

test('NAN206 is an error when the series also reaches the network unscaled (NaN in 3 of 3 Keras runs)', async () => {
  const text = readFileSync(join(DIR, 'NAN206_fire.py'), 'utf8').replace('np.random.rand(256, 120, 1)', 'np.random.uniform(10, 90, (256, 120, 1))');
  const { findings } = await lint('NAN206_fire.py', text);
  assert.deepEqual(findings.map((f) => f.severity), ['error', 'error']);
  const quiet = await lint('NAN206_fire.py');
  assert.deepEqual(quiet.findings.map((f) => f.severity), ['warning', 'warning']);
});

test('NAN206 is quiet on an LSTM fed sequences of one time step (nothing recurs), and still flags its decoder over a RepeatVector', async () => {
  const model = (decoderSteps: number) => `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

X = np.random.uniform(0, 1, size=(500, 1, 9))
model = keras.Sequential([
    keras.Input(shape=(1, 9)),
    layers.LSTM(16, activation="relu"),
    layers.RepeatVector(${decoderSteps}),
    layers.LSTM(16, activation="relu", return_sequences=True),
    layers.TimeDistributed(layers.Dense(9)),
])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=10)
`;
  const single = await lint('single_step.py', model(1));
  assert.deepEqual(single.findings, [], 'one step in, one step out: no recurrence');
  const repeated = await lint('single_step.py', model(30));
  assert.deepEqual(repeated.findings.map((f) => f.range.start.line), [9], 'only the decoder runs over 30 steps');
  assert.match(repeated.findings[0].message, /over 30 time steps/);
});
