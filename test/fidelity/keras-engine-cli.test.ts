// `nanguard reproduce FILE --engine keras` and `check --observe`, end to end in real Keras: the
// host side of the Keras engine (src/repro/keras/engine.ts) with the shipped bootstrap, through
// the command line's own functions. What the user sees for each way a program can end: a verdict
// with the same judge as the TensorFlow.js engine, the first non-finite batch and layer, a Python
// traceback's last lines, a time cap, an interpreter without Keras, a cancel that ends the tree.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCheck } from '../../src/cli/check';
import type { CliIO } from '../../src/cli/io';
import { runReproduceCommand, type ReproduceArgs } from '../../src/cli/reproduce';
import { startKerasReproduction } from '../../src/repro/keras/engine';
import { ReproductionCancelled } from '../../src/repro/runner';
import { kerasEnv, repoRoot } from './keras-harness';

const env = kerasEnv();
const skip = 'python' in env ? false : env.reason;
const python = 'python' in env ? env.python : '';
const fixtures = join(repoRoot, 'test', 'fixtures', 'keras-engine');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function reproduce(file: string, extra: Partial<ReproduceArgs> = {}, cwd = repoRoot): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io = { cwd, stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const code = await runReproduceCommand({ file, engine: 'keras', python, format: 'json', ...extra }, io);
  return { code, stdout, stderr };
}

const RAISES = `import numpy as np
from tensorflow import keras

X = np.load("measurements.npy")  # not there
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=3)
`;

const SLEEPS = `import time
import numpy as np
from tensorflow import keras

while True:  # waiting for a queue that never fills
    time.sleep(1)
`;

const NO_FIT = `import numpy as np
print("only exploring the data", np.arange(3).sum())
`;

let dir: string;

describe('the Keras engine from the command line, in real Keras', { skip, timeout: 600_000 }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nanguard-keras-engine-'));
    writeFileSync(join(dir, 'raises.py'), RAISES);
    writeFileSync(join(dir, 'sleeps.py'), SLEEPS);
    writeFileSync(join(dir, 'no_fit.py'), NO_FIT);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("the seed's Example 1: stalled at 2.33e6 with the same judge and summary shape as the TensorFlow.js engine", async () => {
    const ran = await reproduce('test/fixtures/keras-engine/seed_unscaled.py', { epochs: 20 });
    assert.equal(ran.code, 1, ran.stderr);
    const summary = JSON.parse(ran.stdout);
    assert.equal(summary.version, 1);
    assert.equal(summary.engine, 'keras');
    assert.equal(summary.backend, 'tensorflow');
    assert.equal(summary.verdict, 'stalled');
    assert.equal(summary.evidence, 'program-data');
    assert.equal(summary.data.train, 'program');
    assert.equal(summary.epochsRun, 20);
    assert.ok(Math.abs(summary.history.loss.at(-1) - 2.3323e6) / 2.3323e6 < 1e-3, `final loss ${summary.history.loss.at(-1)}`);
    assert.ok(summary.bounds.outputFloor > 2.3e6, 'the sigmoid floor, computed on the program\'s own targets');
  });

  it('a subclassed VAE with a custom train_step that goes NaN: the first non-finite batch, the layer and the tensor', async () => {
    const ran = await reproduce(join(fixtures, 'subclassed_vae_nan.py'), { seed: 1 });
    assert.equal(ran.code, 1, ran.stderr);
    const summary = JSON.parse(ran.stdout);
    assert.equal(summary.verdict, 'nan');
    assert.equal(summary.stopped, 'non-finite');
    const p = summary.firstNonFinite;
    assert.ok(p, 'a first non-finite point');
    assert.ok(Number.isInteger(p.epoch) && Number.isInteger(p.batch));
    assert.ok(typeof p.layer === 'string' && p.layer.length > 0, `a layer: ${JSON.stringify(p)}`);
    assert.ok(['input', 'activation', 'loss', 'gradient', 'weight'].includes(p.tensor));
    assert.ok(p.recentLosses.length > 0);
  });

  it('a program that raises before fit: exit 3, reason program-error, the traceback\'s last lines in the text', async () => {
    const json = await reproduce(join(dir, 'raises.py'));
    assert.equal(json.code, 3);
    const out = JSON.parse(json.stdout);
    assert.equal(out.verdict, 'not-reproduced');
    assert.equal(out.reason.code, 'program-error');
    assert.match(out.reason.message, /raises\.py raised FileNotFoundError before its first fit \(raises\.py, line 4\)/);
    const text = await reproduce(join(dir, 'raises.py'), { format: 'text' });
    assert.match(text.stderr, /measurements\.npy/);
    assert.match(text.stderr, /np\.load/);
  });

  it('a program that never calls fit: exit 3, reason no-fit', async () => {
    const ran = await reproduce(join(dir, 'no_fit.py'));
    assert.equal(ran.code, 3);
    assert.equal(JSON.parse(ran.stdout).reason.code, 'no-fit');
    assert.match(ran.stderr, /only exploring the data 3/, "the program's own output goes to stderr");
  });

  it('a program that hangs before fit hits the time cap with a clear message, and nothing is left running', async () => {
    const started = Date.now();
    const ran = await reproduce(join(dir, 'sleeps.py'), { maxSeconds: 4 });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(ran.code, 3);
    const out = JSON.parse(ran.stdout);
    assert.match(out.reason.message, /time limit of 4 s|4 s/);
    assert.ok(seconds < 30, `stopped after ${seconds} s`);
    assert.equal(spawnSync('pgrep', ['-f', 'sleeps.py']).status, 1, 'no process of the program remains');
  });

  it('cancel ends the whole process tree within a second', async () => {
    const run = startKerasReproduction({ file: join(dir, 'sleeps.py'), mode: 'train', seed: 0, caps: { maxEpochs: 1, maxStepsPerEpoch: null, maxSeconds: 120 }, datasetBatches: 8 }, { python });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(spawnSync('pgrep', ['-f', 'sleeps.py']).status, 0, 'the program runs');
    const cancelledAt = Date.now();
    run.cancel();
    await assert.rejects(run.done, ReproductionCancelled);
    for (;;) {
      if (spawnSync('pgrep', ['-f', 'sleeps.py']).status === 1) break;
      assert.ok(Date.now() - cancelledAt < 1000, 'the program is still running a second after cancel');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('a host that dies takes the program with it (the bootstrap watches its parent)', async () => {
    // A shell stands in for the host: it starts the bootstrap in a group of its own, as the engine does, then is killed.
    const bootstrap = join(repoRoot, 'src', 'repro', 'keras', 'python', 'nanguard_keras.py');
    const request = JSON.stringify({ version: 1, file: join(dir, 'sleeps.py'), mode: 'train', seed: null, caps: { maxEpochs: 1, maxStepsPerEpoch: null, maxSeconds: 300 }, datasetBatches: 8 });
    const host = spawn('sh', ['-c', 'setsid "$0" "$1" "$2" 3>/dev/null & wait', python, bootstrap, request], { stdio: 'ignore', detached: true });
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(spawnSync('pgrep', ['-f', 'sleeps.py']).status, 0, 'the program runs');
    process.kill(-host.pid!, 'SIGKILL');
    const killedAt = Date.now();
    for (;;) {
      if (spawnSync('pgrep', ['-f', 'sleeps.py']).status === 1) break;
      assert.ok(Date.now() - killedAt < 5000, 'the program outlived its host by 5 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('an interpreter without Keras: exit 3, reason missing-keras, naming the interpreter and the install command', async (t) => {
    const bare = spawnSync('python3', ['-c', 'import keras'], { encoding: 'utf8' });
    if (bare.error || bare.status === 0) return t.skip('no python3 without Keras on this machine');
    const executable = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const ran = await reproduce('test/fixtures/keras-engine/seed_unscaled.py', { python: 'python3' });
    assert.equal(ran.code, 3);
    const out = JSON.parse(ran.stdout);
    assert.equal(out.reason.code, 'missing-keras');
    assert.ok(out.reason.message.includes(executable), out.reason.message);
    assert.match(out.reason.message, /-m pip install tensorflow/);
  });

  it('no interpreter at the path given: exit 3, reason python-not-found', async () => {
    const ran = await reproduce('test/fixtures/keras-engine/seed_unscaled.py', { python: 'venv-that-is-not-there/bin/python' });
    assert.equal(ran.code, 3);
    assert.equal(JSON.parse(ran.stdout).reason.code, 'python-not-found');
  });

  it('check --observe: the NaN cells a loader in another module hides are found, and said to be observed at fit', async () => {
    writeFileSync(
      join(dir, 'loaders.py'),
      'import numpy as np\n\ndef load_frame():\n    x = np.random.default_rng(3).normal(size=(300, 5)).astype("float32")\n    x[:17, 1] = np.nan\n    return x\n',
    );
    writeFileSync(
      join(dir, 'train.py'),
      'from tensorflow import keras\nfrom loaders import load_frame\n\nX = load_frame()\nmodel = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(2, activation="relu"), keras.layers.Dense(5)])\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(X, X, epochs=50)\nmodel.save("never_reached.keras")\n',
    );
    let stdout = '';
    const io: CliIO = { cwd: dir, stdout: (t) => (stdout += t), stderr: () => undefined, isTTY: false, env: {} };
    const plain = await runCheck(['train.py', '--format', 'json'], io);
    const plainReport = JSON.parse(stdout);
    assert.ok(!plainReport.files[0].findings.some((f: { rule: string }) => f.rule === 'NAN104'), 'the static reading cannot see the NaN cells');
    stdout = '';
    const started = Date.now();
    const observedCode = await runCheck(['train.py', '--format', 'json', '--observe', '--python', python], io);
    const seconds = (Date.now() - started) / 1000;
    const report = JSON.parse(stdout);
    const nan = report.files[0].findings.find((f: { rule: string }) => f.rule === 'NAN104');
    assert.ok(nan, JSON.stringify(report));
    assert.equal(nan.observed, true);
    assert.match(nan.message, /17 NaN values.*\(observed at fit\)$/);
    assert.equal(observedCode, 1, 'an error-level finding');
    assert.equal(plain, 0);
    assert.ok(seconds < 60, `observing took ${seconds} s`);
    assert.equal(spawnSync('ls', [join(dir, 'never_reached.keras')]).status !== 0, true, 'nothing after the first fit ran');
  });
});
