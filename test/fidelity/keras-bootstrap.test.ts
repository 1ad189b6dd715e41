// The Keras engine's Python bootstrap (src/repro/keras/python/nanguard_keras.py) running real
// programs (test/fixtures/keras-engine/) in real Keras: the events it sends on descriptor 3, in
// the order events.ts promises, and what they say checked against plain Keras runs of the same
// programs. Runs share two CPU cores, so they are started together in `before` (two at a time,
// the idle sleeper aside) and each test awaits its own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinNotebook } from '../../src/core/frontends/notebookMap';
import { lossBounds } from '../../src/repro/verdict';
import { KERAS_EVENTS_VERSION, type KerasEvent, type KerasRunRequest } from '../../src/repro/keras/events';
import { kerasEnv, repoRoot, toNumber } from './keras-harness';

const env = kerasEnv();
const skip = 'python' in env ? false : env.reason;
const python = 'python' in env ? env.python : 'python3';
const bootstrap = join(repoRoot, 'src', 'repro', 'keras', 'python', 'nanguard_keras.py');
const fixtures = join(repoRoot, 'test', 'fixtures', 'keras-engine');
const fixture = (name: string): string => join(fixtures, name);

type EventOf<T extends KerasEvent['type']> = Extract<KerasEvent, { type: T }>;

interface Outcome {
  events: KerasEvent[];
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

// At most two Python processes at once: TensorFlow's import alone takes seconds of CPU.
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnPython(executable: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}, limited = true): Promise<Outcome> {
  const run = (): Promise<Outcome> =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(executable, args, {
          stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
          env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', PYTHONUNBUFFERED: '1', ...extraEnv },
        });
        let stdout = '';
        let stderr = '';
        let events = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const pipe = child.stdio[3] as NodeJS.ReadableStream;
        pipe.setEncoding('utf8');
        pipe.on('data', (chunk: string) => (events += chunk));
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          const parsed = events
            .split('\n')
            .filter((line) => line.trim())
            .map((line) => JSON.parse(line) as KerasEvent);
          resolve({ events: parsed, stdout, stderr, code, signal, ms: Date.now() - started });
        });
      });
  return limited ? slot(run) : run();
}

interface RunOptions {
  mode?: 'observe' | 'train';
  seed?: number | null;
  maxEpochs?: number;
  maxStepsPerEpoch?: number | null;
  maxSeconds?: number;
  datasetBatches?: number;
  env?: NodeJS.ProcessEnv;
  executable?: string;
  /** Outside the two-at-a-time limit (a program that idles). */
  unlimited?: boolean;
}

function runBootstrap(file: string, options: RunOptions = {}): Promise<Outcome> {
  const request: KerasRunRequest = {
    version: KERAS_EVENTS_VERSION,
    file,
    mode: options.mode ?? 'train',
    seed: options.seed === undefined ? 1 : options.seed,
    caps: { maxEpochs: options.maxEpochs ?? 50, maxStepsPerEpoch: options.maxStepsPerEpoch ?? null, maxSeconds: options.maxSeconds ?? 90 },
    datasetBatches: options.datasetBatches ?? 4,
  };
  return spawnPython(options.executable ?? python, [bootstrap, JSON.stringify(request)], options.env, !options.unlimited);
}

/** Runs Python code in the Keras environment (not under the bootstrap) and parses the last line it prints as JSON. */
async function plainPython<T>(code: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<T> {
  const outcome = await spawnPython(python, ['-c', code], extraEnv);
  assert.equal(outcome.code, 0, outcome.stderr.split('\n').slice(-8).join('\n'));
  return JSON.parse(outcome.stdout.trim().split('\n').pop()!) as T;
}

function only<T extends KerasEvent['type']>(outcome: Outcome, type: T): EventOf<T> {
  const found = outcome.events.filter((e): e is EventOf<T> => e.type === type);
  assert.equal(found.length, 1, `one ${type} event expected, got ${found.length}: ${outcome.events.map((e) => e.type).join(' ')}\n${outcome.stderr.slice(-1500)}`);
  return found[0];
}

const FINAL = new Set(['done', 'programError', 'noFit']);

/** The order events.ts promises: started; observed before any progress; nonFinite at most once; one final event, last; exit code 0. */
function assertOrder(outcome: Outcome): void {
  const types = outcome.events.map((e) => e.type);
  assert.equal(outcome.code, 0, `exit ${outcome.code ?? outcome.signal}: ${outcome.stderr.slice(-1500)}`);
  if (types[0] === 'missing') {
    assert.deepEqual(types, ['missing']);
    return;
  }
  assert.equal(types[0], 'started', types.join(' '));
  assert.equal(types.filter((t) => FINAL.has(t)).length, 1, types.join(' '));
  assert.ok(FINAL.has(types[types.length - 1]), types.join(' '));
  assert.ok(types.filter((t) => t === 'observed').length <= 1);
  assert.ok(types.filter((t) => t === 'nonFinite').length <= 1);
  const firstProgress = types.findIndex((t) => t === 'batch' || t === 'epoch' || t === 'nonFinite');
  if (firstProgress >= 0) assert.ok(types.indexOf('observed') >= 0 && types.indexOf('observed') < firstProgress, types.join(' '));
}

function epochs(outcome: Outcome): EventOf<'epoch'>[] {
  return outcome.events.filter((e): e is EventOf<'epoch'> => e.type === 'epoch');
}

// Plain Keras runs of two fixtures in one process (TensorFlow is imported once), each with the
// seed set the same way and the program run as __main__, as the bootstrap runs it:
// - the seed example: the history its fit returned;
// - the subclassed VAE, traced: a callback keeps the weights before each batch and stops at the
//   first non-finite loss; from those weights the encoder runs on the training data and the KL
//   term is computed by hand.
const plainRuns = (seedFile: string, vaeFile: string): string => `
import json, runpy, keras, numpy as np
from keras import ops
keras.utils.set_random_seed(1)
seed_history = runpy.run_path(${JSON.stringify(seedFile)}, run_name="__main__")["history"].history

keras.backend.clear_session()
keras.utils.set_random_seed(1)
state = {}

class Watch(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        state["epoch"] = epoch
    def on_train_batch_begin(self, batch, logs=None):
        state["before"] = self.model.get_weights()
    def on_train_batch_end(self, batch, logs=None):
        if "bad" not in state and not np.isfinite(logs["loss"]):
            state["bad"] = (state["epoch"], batch, state["before"])
            self.model.stop_training = True

fit = keras.Model.fit
def watched_fit(model, *args, **kwargs):
    kwargs["callbacks"] = list(kwargs.get("callbacks") or []) + [Watch()]
    return fit(model, *args, **kwargs)
keras.Model.fit = watched_fit

scope = runpy.run_path(${JSON.stringify(vaeFile)}, run_name="__main__")
epoch, batch, weights = state["bad"]
vae, data = scope["vae"], scope["data"]
vae.set_weights(weights)
z_mean, z_log_var, z = vae.encoder(data)
kl = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
print(json.dumps({"seedHistory": seed_history, "vae": {"epoch": epoch, "batch": batch, "maxLogVar": float(ops.max(z_log_var)),
                  "samplingFinite": bool(np.isfinite(np.asarray(z)).all()), "klFinite": bool(np.isfinite(np.asarray(kl)).all())}}))`;

interface PlainRuns {
  seedHistory: { loss: number[]; val_loss: number[] };
  vae: { epoch: number; batch: number; maxLogVar: number; samplingFinite: boolean; klFinite: boolean };
}

// MNIST in Keras's cache layout (KERAS_HOME/datasets/mnist.npz): strokes on a black field, as uint8.
const writeMnist = (path: string, train: number, test: number): string => `
import numpy as np
rng = np.random.default_rng(0)
def digits(n):
    images = np.zeros((n, 28, 28), "uint8")
    rows, cols = rng.integers(6, 22, n), rng.integers(6, 22, n)
    for i in range(n):
        images[i, rows[i] - 5:rows[i] + 5, cols[i] - 2:cols[i] + 2] = rng.integers(150, 256)
    return images
np.savez(${JSON.stringify(path)}, x_train=digits(${train}), y_train=rng.integers(0, 10, ${train}).astype("uint8"),
         x_test=digits(${test}), y_test=rng.integers(0, 10, ${test}).astype("uint8"))
print("{}")`;

// The bootstrap's statistics on 60000 x 784 float32 (numpy only, no TensorFlow), timed in CPU
// seconds: the wall clock of a machine shared with other runs says more about them.
const statsTiming = `
import json, sys, time, numpy as np
sys.path.insert(0, ${JSON.stringify(join(repoRoot, 'src', 'repro', 'keras', 'python'))})
import nanguard_keras
pixels = (np.random.default_rng(0).integers(0, 256, (60000, 784)) / 255.0).astype("float32")
times, cpu = [], []
for _ in range(2):
    started, started_cpu = time.perf_counter(), time.process_time()
    stats = nanguard_keras.array_stats(pixels, np)
    times.append(time.perf_counter() - started)
    cpu.append(time.process_time() - started_cpu)
flat = pixels.astype("float64")
print(json.dumps({"seconds": min(times), "cpuSeconds": min(cpu), "features": stats["features"], "listed": len(stats["perFeature"]["std"]),
                  "stdError": abs(stats["std"] - float(flat.std())), "meanError": abs(stats["mean"] - float(flat.mean())),
                  "columnStdError": max(abs(a - b) for a, b in zip(stats["perFeature"]["std"], flat.std(axis=0)))}))`;

// Written to a scratch folder by the suite (the program is the test's, not a shared fixture).
const stepLossProgram = `# A VAE whose train_step returns {"loss": loss} and never updates Keras's loss tracker: each
# batch's logs carry the step's loss (about 1400), the epoch's logs the untouched tracker's 0.
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

rng = np.random.default_rng(3)
data = rng.gamma(shape=2.0, scale=4.0, size=(512, 16)).astype("float32")

encoder = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(16, activation="relu"), layers.Dense(4)])
decoder = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(16, activation="relu"), layers.Dense(16)])


class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def train_step(self, data):
        with tf.GradientTape() as tape:
            statistics = self.encoder(data)
            z_mean, z_log_var = statistics[:, :2], ops.tanh(statistics[:, 2:])
            z = z_mean + ops.exp(0.5 * z_log_var) * keras.random.normal(ops.shape(z_mean))
            reconstruction = self.decoder(z)
            reconstruction_loss = ops.mean(ops.sum(ops.square(data - reconstruction), axis=1))
            kl_loss = ops.mean(ops.sum(-0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var)), axis=1))
            loss = reconstruction_loss + kl_loss
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {"loss": loss}


vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3))
history = vae.fit(data, epochs=3, batch_size=64, verbose=0)
`;

// The same program in plain Keras with the same seed: the mean of each epoch's batch logs (the
// values its train_step returned) and the epoch logs Keras itself reported.
const plainStepLosses = (file: string): string => `
import json, runpy, keras
keras.utils.set_random_seed(1)
batches, reported = [], []
class Watch(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        batches.append([])
    def on_train_batch_end(self, batch, logs=None):
        batches[-1].append(float(logs["loss"]))
    def on_epoch_end(self, epoch, logs=None):
        reported.append(float(logs["loss"]))
fit = keras.Model.fit
def watched_fit(model, *args, **kwargs):
    kwargs["callbacks"] = list(kwargs.get("callbacks") or []) + [Watch()]
    return fit(model, *args, **kwargs)
keras.Model.fit = watched_fit
runpy.run_path(${JSON.stringify(file)}, run_name="__main__")
print(json.dumps({"means": [sum(b) / len(b) for b in batches], "reported": reported}))`;

const SLEEPER_CAP = 20;

describe('the Keras bootstrap runs real programs in real Keras', { skip }, () => {
  const runs = new Map<string, Promise<unknown>>();
  const result = <T>(name: string): Promise<T> => runs.get(name)! as Promise<T>;
  let home = '';
  let bigHome = '';
  let stepLossFile = '';

  before(() => {
    if (!('python' in env)) return;
    home = mkdtempSync(join(tmpdir(), 'nanguard-keras-home-'));
    bigHome = mkdtempSync(join(tmpdir(), 'nanguard-keras-home-big-'));
    mkdirSync(join(home, 'datasets'));
    mkdirSync(join(bigHome, 'datasets'));
    stepLossFile = join(home, 'train_step_loss.py');
    writeFileSync(stepLossFile, stepLossProgram);
    const start = (name: string, work: () => Promise<unknown>): void => {
      const promise = work();
      promise.catch(() => undefined); // awaited by its test
      runs.set(name, promise);
    };
    // The sleeper idles after its import, beside the others.
    start('sleeps', () => runBootstrap(fixture('sleeps_forever.py'), { maxSeconds: SLEEPER_CAP, unlimited: true }));
    start('seed', () => runBootstrap(fixture('seed_unscaled.py')));
    start('plain', () => plainPython(plainRuns(fixture('seed_unscaled.py'), fixture('subclassed_vae_nan.py'))));
    start('vae', () => runBootstrap(fixture('subclassed_vae_nan.py'), { maxEpochs: 30 }));
    start('notebook', () => runBootstrap(fixture('sensor_notebook.ipynb')));
    start('tape', () => runBootstrap(fixture('gradient_tape_loop.py'), { maxEpochs: 20 }));
    start('eager', () => runBootstrap(fixture('eager_loop.py'), { maxEpochs: 2 }));
    start('tfdata', () => runBootstrap(fixture('tf_data_pipeline.py'), { maxEpochs: 3, maxStepsPerEpoch: 5 }));
    start('addloss', () => runBootstrap(fixture('vae_add_loss.py'), { maxEpochs: 3 }));
    start('mnist', async () => {
      await plainPython(writeMnist(join(home, 'datasets', 'mnist.npz'), 512, 128));
      return runBootstrap(fixture('conv_mnist.py'), { maxEpochs: 1, env: { KERAS_HOME: home } });
    });
    start('mnist-full-observe', async () => {
      await plainPython(writeMnist(join(bigHome, 'datasets', 'mnist.npz'), 60000, 10000));
      return runBootstrap(fixture('conv_mnist.py'), { mode: 'observe', env: { KERAS_HOME: bigHome } });
    });
    start('stats-timing', () => plainPython(statsTiming));
    start('step-loss', () => runBootstrap(stepLossFile, { maxEpochs: 3 }));
    start('plain-step-loss', () => plainPython(plainStepLosses(stepLossFile)));
    start('raises', () => runBootstrap(fixture('raises_before_fit.py')));
    start('nofit', () => runBootstrap(fixture('no_fit.py')));
  });

  after(() => {
    for (const folder of [home, bigHome]) if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("the seed's Example 1: the same history as a plain run with the same seed, and nothing after fit runs", async () => {
    const outcome = await result<Outcome>('seed');
    const plain = (await result<PlainRuns>('plain')).seedHistory;
    assertOrder(outcome);
    const started = only(outcome, 'started');
    assert.equal(started.backend, 'tensorflow');
    assert.match(started.keras, /^3\./);
    const observed = only(outcome, 'observed');
    assert.equal(observed.kind, 'fit');
    assert.deepEqual(observed.at, { file: fixture('seed_unscaled.py'), line: 21 });
    assert.equal(observed.loss, 'mse');
    assert.equal(observed.model.outputActivation, 'sigmoid');
    assert.equal(observed.model.parameters, 7);
    assert.equal(observed.model.subclassed, false);
    assert.ok(observed.model.json?.includes('"Functional"'));
    assert.deepEqual(observed.fit, { epochs: 20, batchSize: 32, shuffle: true, validationSplit: 0, stepsPerEpoch: null });
    assert.equal(observed.yIsX, true);
    assert.deepEqual(observed.x?.shape, [3, 2]);
    assert.deepEqual(observed.x?.perFeature?.max, [3, 3000]);
    assert.deepEqual(observed.validation?.x?.perFeature?.min, [4, 4000]);
    const done = only(outcome, 'done');
    assert.deepEqual(done.history, plain, 'the history equals a plain run of the same program and seed');
    assert.equal(done.epochsRun, 20);
    assert.equal(done.stopped, null);
    assert.deepEqual(epochs(outcome).map((e) => e.loss), plain.loss);
    assert.ok(!outcome.stdout.includes('trained'), 'the line after fit did not run');
    // The bounds are verdict.ts's lossBounds on the same targets.
    const ts = lossBounds('mse', [[1, 1000], [2, 2000], [3, 3000]], 'sigmoid');
    assert.ok(Math.abs(done.bounds.meanPredictor! - ts.meanPredictor!) < 1e-9 * ts.meanPredictor!);
    assert.ok(Math.abs(done.bounds.outputFloor! - ts.outputFloor!) < 1e-9 * ts.outputFloor!);
    assert.deepEqual([done.bounds.lossFloor, done.bounds.outputRange], [ts.lossFloor, ts.outputRange]);
    const last = epochs(outcome).at(-1)!;
    assert.deepEqual(last.layers?.map((l) => l.layer), ['dense', 'dense_1'], 'the last epoch carries layer statistics');
    assert.ok(last.layers!.every((l) => typeof l.weightNorm === 'number' && typeof l.activationMax === 'number'));
  });

  it('a subclassed VAE with its own train_step: the first non-finite batch, layer and tensor agree with a plain GradientTape trace', async () => {
    const outcome = await result<Outcome>('vae');
    const trace = (await result<PlainRuns>('plain')).vae;
    assertOrder(outcome);
    const observed = only(outcome, 'observed');
    assert.equal(observed.model.subclassed, true);
    assert.equal(observed.model.className, 'VAE');
    assert.equal(observed.model.json, null);
    assert.equal(observed.loss, null, 'compiled without a loss: the train_step computes it');
    assert.equal(observed.yIsX, true, 'fit(data) alone: the VAE reconstructs its input');
    const point = only(outcome, 'nonFinite').point;
    assert.deepEqual([point.epoch, point.batch], [trace.epoch, trace.batch], 'the same batch as the plain run');
    assert.ok(point.epoch >= 2, `NaN after a few epochs, not at once (epoch ${point.epoch})`);
    assert.equal(point.inputsNonFinite, false);
    // exp(0.5 * z_log_var) in the sampling layer overflows past 177.4, exp(z_log_var) in the KL term past 88.7.
    if (point.tensor === 'activation') {
      assert.equal(point.layer, 'sampling');
      assert.equal(trace.samplingFinite, false);
      assert.ok(trace.maxLogVar > 2 * 88.72, `log-variance ${trace.maxLogVar}`);
    } else {
      assert.equal(point.tensor, 'loss');
      assert.equal(trace.samplingFinite, true);
      assert.equal(trace.klFinite, false);
      assert.ok(trace.maxLogVar > 88.72, `log-variance ${trace.maxLogVar}`);
    }
    assert.match(point.detail, /\d/);
    assert.equal(point.recentLosses.length, 12);
    assert.ok(['Infinity', 'NaN'].includes(String(point.recentLosses.at(-1)!.loss)));
    assert.ok(point.recentLosses.slice(0, 6).every((b) => typeof b.loss === 'number' && b.loss > 0 && b.loss < 1e6), 'each batch its own loss, not a running mean');
    const done = only(outcome, 'done');
    assert.equal(done.stopped, 'non-finite');
    assert.equal(done.epochsRun, point.epoch + 1);
    assert.ok(done.notes.some((n) => /not built before fit/.test(n)));
  });

  it('a notebook: magics skipped, cells run as one module, lines counted in the joined code cells', async () => {
    const outcome = await result<Outcome>('notebook');
    assertOrder(outcome);
    const joined = joinNotebook('n.ipynb', readFileSync(fixture('sensor_notebook.ipynb'), 'utf8')).map.source.split('\n');
    const fitLine = joined.findIndex((line) => line.includes('autoencoder.fit(')) + 1;
    assert.ok(fitLine > 0);
    assert.deepEqual(only(outcome, 'observed').at, { file: fixture('sensor_notebook.ipynb'), line: fitLine });
    // Unshuffled, so the replay runs on the bad batch's own rows.
    const point = only(outcome, 'nonFinite').point;
    assert.deepEqual([point.epoch, point.batch, point.layer, point.tensor], [0, 2, 'bottleneck', 'activation']);
    assert.match(point.detail, /batch 2 \(rows 64-95\)/);
    assert.ok(!outcome.stdout.includes('nan'), 'the cell after fit did not run');
    const firstEpoch = epochs(outcome)[0];
    assert.ok(firstEpoch.layers?.every((l) => l.gradientNorm !== null), 'the non-finite epoch carries the replay gradient norms');
  });

  it('a tf.function GradientTape loop over tf.data: steps as batches, a pass over the dataset as an epoch, stopped at the first non-finite loss', async () => {
    const outcome = await result<Outcome>('tape');
    assertOrder(outcome);
    const observed = only(outcome, 'observed');
    assert.equal(observed.kind, 'custom-loop');
    assert.equal(observed.model.className, 'Sequential');
    assert.equal(observed.model.name, 'sequential');
    assert.equal(observed.model.variable, 'model', "named by the program's variable (found from the traced step's frame), as fit's model is");
    assert.equal(observed.optimizer?.className, 'SGD');
    assert.equal(observed.optimizer?.learningRate, null, 'a schedule has no single learning rate');
    assert.equal(observed.at?.file, fixture('gradient_tape_loop.py'));
    const point = only(outcome, 'nonFinite').point;
    assert.ok(['loss', 'gradient'].includes(point.tensor), point.tensor);
    assert.ok(point.epoch >= 2, `epoch ${point.epoch}`);
    const epochLosses = epochs(outcome);
    assert.deepEqual(epochLosses.map((e) => e.epoch), [...Array(point.epoch + 1).keys()]);
    const done = only(outcome, 'done');
    assert.equal(done.stopped, 'non-finite');
    assert.equal(done.history.loss.length, point.epoch + 1);
    // The program printed its own epoch lines until the engine ended it.
    const printed = outcome.stdout.split('\n').filter((line) => line.startsWith('epoch '));
    assert.equal(printed.length, point.epoch, outcome.stdout);
    // Its epoch loss is the mean of its 20 batch losses, as the engine's is.
    const first = Number(/epoch 0: loss (\S+)/.exec(outcome.stdout)![1]);
    assert.ok(Math.abs(first - toNumber(done.history.loss[0])) < 1e-3 * first, `${first} vs ${done.history.loss[0]}`);
  });

  it('an eager loop over numpy batches: epochs of 100 steps, ended at the epoch limit', async () => {
    const outcome = await result<Outcome>('eager');
    assertOrder(outcome);
    const observed = only(outcome, 'observed');
    assert.equal(observed.kind, 'custom-loop');
    assert.equal(observed.model.variable, 'model', "named by the program's variable, not Keras's 'sequential'");
    const done = only(outcome, 'done');
    assert.equal(done.epochsRun, 2);
    assert.equal(done.stopped, null);
    assert.ok(done.notes.some((n) => /epochs of 100/.test(n)));
    assert.ok(done.layers.every((l) => typeof l.gradientNorm === 'number' && typeof l.activationMin === 'number'));
    assert.ok(!outcome.stdout.includes('final loss'));
  });

  it('tf.data pipelines: statistics over the first batches (batchesRead), epochs cut to the step limit', async () => {
    const outcome = await result<Outcome>('tfdata');
    assertOrder(outcome);
    const observed = only(outcome, 'observed');
    assert.equal(observed.x?.batchesRead, 4);
    assert.deepEqual(observed.x?.shape, [200, 20]);
    assert.equal(observed.yIsX, true);
    assert.equal(observed.validation?.x?.batchesRead, 4);
    assert.equal(observed.fit.batchSize, null);
    const done = only(outcome, 'done');
    assert.equal(done.shortenedTo, 5);
    assert.equal(done.epochsRun, 3);
    assert.equal(done.history.val_loss.length, 3);
    const batches = outcome.events.filter((e): e is EventOf<'batch'> => e.type === 'batch');
    assert.ok(batches.length > 0 && batches.every((b) => b.batches === 5 && b.batch < 5));
  });

  it('a functional VAE with a layer calling add_loss (Keras 3): observed, trained, split validation described', async () => {
    const outcome = await result<Outcome>('addloss');
    assertOrder(outcome);
    const observed = only(outcome, 'observed');
    assert.equal(observed.loss, 'mse');
    assert.equal(observed.model.subclassed, false);
    assert.equal(observed.model.outputActivation, 'sigmoid');
    assert.equal(observed.fit.validationSplit, 0.2);
    assert.deepEqual(observed.validation?.x?.shape, [240, 12], 'the last 20% of the rows');
    const done = only(outcome, 'done');
    assert.equal(done.epochsRun, 3);
    assert.ok(done.history.loss.every((l) => typeof l === 'number'));
    assert.ok(done.layers.some((l) => l.layer === 'kl') && done.layers.some((l) => l.layer === 'sampling'));
    assert.ok(!outcome.stdout.includes('trained'));
  });

  it("a train_step returning {loss} without Keras's loss tracker: the history is the mean of the step's own batch losses, not the tracker's 0", async () => {
    const outcome = await result<Outcome>('step-loss');
    const plain = await result<{ means: number[]; reported: number[] }>('plain-step-loss');
    assertOrder(outcome);
    assert.deepEqual(plain.reported, [0, 0, 0], "Keras's own epoch logs report the untouched tracker");
    assert.ok(plain.means.every((m) => m > 500), `batch losses ${plain.means.join(', ')}`);
    const done = only(outcome, 'done');
    assert.equal(done.epochsRun, 3);
    const history = done.history.loss.map(toNumber);
    history.forEach((loss, i) => assert.ok(Math.abs(loss - plain.means[i]) < 1e-4 * plain.means[i], `epoch ${i}: ${loss} vs ${plain.means[i]}`));
    assert.deepEqual(epochs(outcome).map((e) => toNumber(e.loss)), history);
    assert.ok(done.notes.some((n) => /train_step returned/.test(n)), done.notes.join(' '));
  });

  it('a conv autoencoder on MNIST from the Keras dataset cache: statistics of the 512 scaled images', async () => {
    const outcome = await result<Outcome>('mnist');
    assertOrder(outcome);
    const observed = only(outcome, 'observed');
    assert.deepEqual(observed.x?.shape, [512, 28, 28, 1]);
    assert.equal(observed.x?.features, 784);
    assert.equal(observed.x?.max, 1, 'scaled by the program (/ 255)');
    assert.equal(observed.x?.min, 0);
    assert.ok(observed.x!.constantColumnCount > 0, 'the border pixels are always 0');
    assert.deepEqual(observed.validation?.x?.shape, [128, 28, 28, 1]);
    assert.equal(observed.loss, 'binary_crossentropy');
    const done = only(outcome, 'done');
    assert.equal(done.epochsRun, 1);
    assert.equal(done.epochsPlanned, 1);
    assert.ok(done.bounds.lossFloor !== null && done.bounds.meanPredictor! > done.bounds.lossFloor!);
  });

  it('statistics of 60000 x 784 float32 take well under 2 s, and observe mode on full-size MNIST stays quick', async () => {
    const timing = await result<{ seconds: number; cpuSeconds: number; features: number; listed: number; stdError: number; meanError: number; columnStdError: number }>('stats-timing');
    console.log(`# ArrayStats of 60000 x 784 float32: ${timing.cpuSeconds.toFixed(3)} s of CPU (${timing.seconds.toFixed(3)} s on the clock)`);
    assert.ok(timing.cpuSeconds < 2, `${timing.cpuSeconds} s of CPU`);
    assert.deepEqual([timing.features, timing.listed], [784, 784]);
    assert.ok(timing.stdError < 1e-12 && timing.meanError < 1e-12 && timing.columnStdError < 1e-12);
    const outcome = await result<Outcome>('mnist-full-observe');
    assertOrder(outcome);
    // Observe mode: stopped at the first fit, nothing trained.
    assert.deepEqual(outcome.events.map((e) => e.type), ['started', 'observed', 'done']);
    assert.deepEqual(only(outcome, 'observed').x?.shape, [60000, 28, 28, 1]);
    const done = only(outcome, 'done');
    assert.deepEqual(done.history, { loss: [], val_loss: [] });
    assert.deepEqual([done.epochsRun, done.epochsPlanned, done.stopped], [0, 10, null]);
    assert.ok(done.bounds.lossFloor! > 0 && done.bounds.meanPredictor! > done.bounds.lossFloor!);
    console.log(`# observe mode on 60000 MNIST images: program start to done ${done.timings.programMs} ms`);
    assert.ok(done.timings.programMs < 20_000, `${done.timings.programMs} ms`);
  });

  it('a program raising before fit: programError with its exception, traceback and line', async () => {
    const outcome = await result<Outcome>('raises');
    assertOrder(outcome);
    const error = only(outcome, 'programError');
    assert.equal(error.phase, 'before-fit');
    assert.equal(error.exception, 'FileNotFoundError');
    assert.equal(error.traceback.at(-1), 'FileNotFoundError: readings_that_do_not_exist.csv not found.');
    assert.ok(error.traceback.length <= 8);
    assert.ok(!error.traceback.some((line) => line.includes('nanguard_keras.py')), 'the bootstrap is not in the traceback');
    // The deepest line of the program itself: the np.loadtxt in load_readings.
    assert.deepEqual(error.at, { file: fixture('raises_before_fit.py'), line: 10 });
  });

  it('a program that never calls fit: noFit', async () => {
    const outcome = await result<Outcome>('nofit');
    assertOrder(outcome);
    assert.match(only(outcome, 'noFit').message, /without calling fit/);
  });

  it('a program that never ends is stopped at its wall-time cap by the bootstrap itself', async () => {
    const outcome = await result<Outcome>('sleeps');
    assertOrder(outcome);
    const done = only(outcome, 'done');
    assert.equal(done.stopped, 'wall-time');
    assert.equal(done.epochsRun, 0);
    // The cap counts from the bootstrap's start: on a machine so loaded that importing TensorFlow
    // takes longer, the program is not started at all, and the note says so.
    if (only(outcome, 'started').loadMs < SLEEPER_CAP * 1000 - 1000) {
      assert.match(outcome.stdout, /sleeping/, 'the program had started');
      assert.ok(done.notes.some((n) => /without reaching fit/.test(n)), done.notes.join(' '));
    } else {
      // Within a second of the cap either can happen: the program started with a fraction of a second left (0.3 s was seen), or not at all.
      assert.ok(done.notes.some((n) => /while loading TensorFlow|without reaching fit/.test(n)), done.notes.join(' '));
    }
    // It ends itself, well before the host's backstop (the cap + 15 s) would; the margin is for a
    // machine busy with the suite's other Python processes (28.4 s was seen for a 20 s cap).
    assert.ok(outcome.ms < (SLEEPER_CAP + 14) * 1000, `ended ${outcome.ms} ms after it was started`);
  });

  it('a Python without Keras: missing, naming the interpreter and the install command', async (t) => {
    const system = spawnSync('python3', ['-c', 'import sys; import keras'], { encoding: 'utf8' });
    if (system.error || system.status === 0) {
      t.skip(system.error ? 'no python3 on the PATH' : 'the system python3 has Keras');
      return;
    }
    const outcome = await runBootstrap(fixture('no_fit.py'), { executable: 'python3' });
    assertOrder(outcome);
    const missing = only(outcome, 'missing');
    assert.ok(['numpy', 'keras', 'tensorflow'].includes(missing.module));
    assert.match(missing.message, /-m pip install tensorflow/);
    assert.ok(missing.executable.length > 0 && missing.message.includes(missing.executable));
  });

  it('a request it cannot read: exit code 2 and no events', async () => {
    const outcome = await spawnPython(python, [bootstrap, '{"mode": "train"}']);
    assert.equal(outcome.code, 2);
    assert.deepEqual(outcome.events, []);
    assert.match(outcome.stderr, /no 'file'/);
  });
});
