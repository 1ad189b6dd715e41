/** `nanguard reproduce` on the real example files, through the Python front-end and the bundled worker. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseReproduceArgs, runReproduceCommand } from '../../src/cli/reproduce';
import type { ReproSummary } from '../../src/repro/summary';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

const root = join(__dirname, '..', '..');

async function run(args: Parameters<typeof runReproduceCommand>[0]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runReproduceCommand({ workerPath: await bundledWorker(), ...args }, { cwd: root, stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

test("text: the seed's Example 1 prints an epoch table and the stalled verdict, exit 1", async () => {
  const { code, out, err } = await run({ file: 'examples/seed1_unscaled.py', backend: 'cpu' });
  assert.equal(err, '');
  assert.equal(code, 1);
  // A chain of Dense layers on the CPU backend trains on the dense kernels, and the header says so.
  assert.match(out, /examples\/seed1_unscaled\.py: model autoencoder \(7 parameters\), backend cpu \(dense kernels\), seed 0/);
  assert.match(out, /epoch\s+loss\s+val_loss/);
  assert.match(out, /\n\s+99\s+2\.332\de\+6\s+1\.024\de\+7\n/);
  assert.match(out, /verdict: stalled\./);
});

test('text: the SGD example goes NaN and the report names the epoch, the batch and the layer', async () => {
  const { code, out } = await run({ file: 'examples/nan_sgd_linear.py', backend: 'cpu' });
  assert.equal(code, 1);
  assert.match(out, /verdict: nan\. The training loss became non-finite in epoch 0\./);
  assert.match(out, /first non-finite: epoch 0, batch 2, layer dense_1, activation/);
  // How it ran away: a loss in the hundreds of thousands, then past 1e30 in one step, then NaN.
  const trail = /batch losses up to it: epoch 0: batch 0 (\S+) · batch 1 (\S+) \(x\S+\) · batch 2 NaN/.exec(out);
  assert.ok(trail, out);
  assert.ok(Number(trail[1]) > 1e4 && Number(trail[1]) < 1e7, trail[1]);
  assert.ok(Number(trail[2]) > 1e30, trail[2]);
  assert.match(out, /1 epoch at/);
});

test('json: the stable summary object, with the first non-finite point of the SGD example', async () => {
  const { code, out } = await run({ file: 'examples/nan_sgd_linear.py', seed: 2, backend: 'cpu', format: 'json' });
  assert.equal(code, 1);
  const summary = JSON.parse(out) as ReproSummary;
  assert.equal(summary.version, 1);
  assert.equal(summary.verdict, 'nan');
  assert.equal(summary.seed, 2);
  assert.deepEqual(Object.keys(summary.firstNonFinite!).slice(0, 4), ['epoch', 'batch', 'layer', 'tensor']);
  assert.deepEqual([summary.firstNonFinite!.epoch, summary.firstNonFinite!.batch, summary.firstNonFinite!.layer], [0, 2, 'dense_1']);
  assert.deepEqual(summary.history.loss, ['NaN']);
  const trail = summary.firstNonFinite!.recentLosses;
  assert.deepEqual(trail.map((l) => [l.epoch, l.batch]), [0, 1, 2].map((b) => [0, b]), 'every batch up to the first non-finite one');
  assert.equal(trail.at(-1)!.loss, 'NaN');
  assert.ok(trail.slice(0, -1).every((l) => typeof l.loss === 'number' && Number.isFinite(l.loss)));
  assert.deepEqual(summary.data, { train: 'random', validation: 'split', notes: [] });
});

test('the healthy seed Example 3 exits 0; --epochs overrides the file', async () => {
  const { code, out } = await run({ file: 'examples/seed3_early_stopping.py', epochs: 40, backend: 'cpu' });
  assert.equal(code, 0, out);
  assert.match(out, /verdict: healthy\./);
  assert.match(out, /40 epochs at/);
});

test("--max-epochs caps the file's own epochs and never raises them; with --epochs it is a usage error", async () => {
  const capped = await run({ file: 'examples/seed3_early_stopping.py', maxEpochs: 2, backend: 'cpu' });
  assert.match(capped.out, /2 epochs at/);
  const own = await run({ file: 'examples/seed1_unscaled.py', maxEpochs: 100000, backend: 'cpu' });
  assert.match(own.out, /100 epochs at/);
  assert.throws(() => parseReproduceArgs(['examples/seed1_unscaled.py', '--epochs', '3', '--max-epochs', '4'], root), /--epochs or --max-epochs/);
});

test('no model, an unknown --model name and a refused plan are reported on stderr with exit 3', async () => {
  const missing = await run({ file: 'examples/seed1_unscaled.py', model: 'encoder' });
  assert.equal(missing.code, 3);
  assert.match(missing.err, /no model named encoder \(found: autoencoder\)/);
  const nothing = await run({ file: 'package.json' });
  assert.equal(nothing.code, 3);
  assert.match(nothing.err, /no Keras model found/);
});

test('--format json prints one object even when nothing is reproduced: verdict not-reproduced, a reason with a code, exit 3', async () => {
  const nothing = await run({ file: 'package.json', format: 'json' });
  assert.equal(nothing.code, 3);
  assert.deepEqual(JSON.parse(nothing.out), { version: 1, verdict: 'not-reproduced', reason: { code: 'no-model', message: 'no Keras model found in the file' } });
  const unknown = await run({ file: 'examples/seed1_unscaled.py', model: 'encoder', format: 'json' });
  assert.equal(JSON.parse(unknown.out).reason.code, 'model-not-found');
  const missing = await run({ file: 'examples/no_such_file.py', format: 'json' });
  assert.equal(missing.code, 3);
  assert.equal(JSON.parse(missing.out).reason.code, 'unreadable-file');
});

test('a verdict on stand-in data says so, the JSON names its evidence, and a problem seen only on the stand-in does not fail the command', async () => {
  // The data comes from a file that is not there: a stand-in of the known shape is trained instead.
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-standin-'));
  try {
    writeFileSync(join(dir, 'train.py'), [
      'import numpy as np',
      'from tensorflow import keras',
      'X = np.load("not_here.npy")',
      'model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(8)])',
      'model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-7), loss="mse")',
      'model.fit(X, X, epochs=5, batch_size=32)',
      '',
    ].join('\n'));
    let out = '';
    let err = '';
    const io = { cwd: dir, stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
    const code = await runReproduceCommand({ file: 'train.py', backend: 'cpu', workerPath: await bundledWorker() }, io);
    assert.equal(err, '');
    assert.match(out, /verdict: stalled on stand-in data \(not a fact about your training: the real values were not known\)\./);
    assert.equal(code, 0, 'a stall on stand-in data is no failure of the user\'s training');
    out = '';
    await runReproduceCommand({ file: 'train.py', backend: 'cpu', format: 'json', workerPath: await bundledWorker() }, io);
    const summary = JSON.parse(out);
    assert.equal(summary.evidence, 'stand-in');
    assert.equal(summary.data.train, 'synthetic');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The program's own data: evidence program-data, and a problem verdict exits 1.
  const seed = await run({ file: 'examples/seed1_unscaled.py', backend: 'cpu', format: 'json' });
  assert.equal(JSON.parse(seed.out).evidence, 'program-data');
  assert.equal(seed.code, 1);
});

test('a run whose time limit comes before its first epoch ends has no verdict: not-reproduced with the time-limit code, exit 3 (not "stalled")', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-time-limit-'));
  try {
    const file = join(dir, 'mnist_conv.py');
    writeFileSync(
      file,
      [
        'import numpy as np',
        'from tensorflow import keras',
        'from tensorflow.keras import layers',
        "x_train = np.random.randint(0, 256, size=(60000, 28, 28, 1)).astype('float32') / 255.0",
        'inputs = keras.Input(shape=(28, 28, 1))',
        'x = layers.Conv2D(64, (3, 3), activation="relu", padding="same")(inputs)',
        'x = layers.Conv2D(64, (3, 3), activation="relu", padding="same")(x)',
        'outputs = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)',
        'autoencoder = keras.Model(inputs, outputs)',
        "autoencoder.compile(optimizer='adam', loss='binary_crossentropy')",
        'autoencoder.fit(x_train, x_train, epochs=1, batch_size=128)',
        '',
      ].join('\n'),
    );
    const { code, out } = await run({ file, format: 'json', maxSeconds: 1, epochs: 1 });
    assert.equal(code, 3);
    const json = JSON.parse(out);
    assert.equal(json.verdict, 'not-reproduced');
    assert.equal(json.reason.code, 'time-limit');
    assert.match(json.reason.message, /^no verdict: the time limit came before the first epoch ended/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('text: when the last fit cannot be reproduced and an earlier one can, the note tells the two apart by their fits', async () => {
  // One function builds both models, so they share a name and a line.
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-twice-'));
  try {
    const file = join(dir, 'twice.py');
    writeFileSync(
      file,
      [
        'import numpy as np',
        'import tensorflow as tf',
        'from tensorflow import keras',
        'def make(extra):',
        '    inp = keras.Input(shape=(4,))',
        '    out = keras.layers.Dense(4)(inp)',
        '    model = keras.Model(inp, out)',
        '    model.add_loss(tf.reduce_mean(tf.square(out - inp)) + extra)',
        '    model.compile(optimizer="adam")',
        '    return model',
        'x = np.random.rand(64, 4).astype("float32")',
        'model = make(0.0)',
        'model.fit(x, epochs=1)',
        'model = make(mystery())',
        'model.fit(x, epochs=1)',
      ].join('\n'),
    );
    const { out } = await run({ file, backend: 'cpu' });
    assert.match(out, /note: model \(line 7, fitted at line 15\), the last model the file fits, is not reproduced \(.*\); this run reproduces model \(line 7, fitted at line 13\), which the file also fits\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
