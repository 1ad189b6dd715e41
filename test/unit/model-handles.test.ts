// A script that rebuilds `autoencoder` defines two models of one name: each gets its own handle
// (`autoencoder:LINE`), in the findings, the CodeLenses and `nanguard reproduce --model`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile, checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';
import { findModel, modelHandles } from '../../src/core/modelHandles';
import { lensTargets } from '../../src/extension/logic/presentation';
import { runReproduceCommand } from '../../src/cli/reproduce';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

const root = join(__dirname, '..', '..');
const PATH = 'test/fixtures/python/rebuilt_autoencoder.py';
const TEXT = readFileSync(join(root, PATH), 'utf8');

test('two models named autoencoder get the handles autoencoder:9 and autoencoder:13; a unique name stays bare', async () => {
  const { models } = await analyzeFile(PATH, TEXT, NO_FILES);
  assert.deepEqual(modelHandles(models), ['autoencoder:9', 'autoencoder:13']);
  const second = findModel(models, 'autoencoder:13');
  assert.ok('model' in second && second.model === models[1]);
  const ambiguous = findModel(models, 'autoencoder');
  assert.ok('problem' in ambiguous);
  assert.equal(ambiguous.problem, '2 models are named autoencoder; choose one of autoencoder:9, autoencoder:13');
  const single = await analyzeFile('one.py', 'from tensorflow import keras\nm = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\nm.compile(optimizer="adam", loss="mse")\n', NO_FILES);
  assert.deepEqual(modelHandles(single.models), ['m']);
});

test('findings and CodeLenses belong to the model they are about, not to the first of its name', async () => {
  const { analysis, findings } = await checkFile(PATH, TEXT, NO_FILES, DEFAULT_SETTINGS);
  const lowRate = findings.find((f) => f.rule === 'NAN302');
  assert.equal(lowRate?.model, 'autoencoder:13', 'the learning rate of 1e-7 is the second model\'s');
  const lenses = lensTargets(analysis, findings);
  assert.deepEqual(lenses.map((l) => l.model), ['autoencoder:9', 'autoencoder:13']);
  assert.ok(lenses[1].findings > lenses[0].findings, 'the second lens counts the second model\'s findings');
});

test('nanguard reproduce --model autoencoder:13 trains the second model; a bare shared name is refused with the handles', async () => {
  let out = '';
  let err = '';
  const io = { cwd: root, stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
  const workerPath = await bundledWorker();
  const code = await runReproduceCommand({ file: PATH, model: 'autoencoder:13', backend: 'cpu', workerPath }, io);
  assert.equal(err, '');
  assert.ok(code === 0 || code === 1, out);
  // 8*4+4 + 4*8+8 = 76 parameters: the wider, second model.
  assert.match(out, /model autoencoder \(76 parameters\)/);
  out = '';
  const ambiguous = await runReproduceCommand({ file: PATH, model: 'autoencoder', backend: 'cpu', workerPath }, io);
  assert.equal(ambiguous, 3);
  assert.match(err, /2 models are named autoencoder; choose one of autoencoder:9, autoencoder:13/);
});
