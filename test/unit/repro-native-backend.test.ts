/**
 * The native backend (@tensorflow/tfjs-node): which models `auto` sends to it, how its setup
 * fails (with what is missing named), and, where scripts/setup-tfjs-node.sh has built it, the
 * bundled worker training on it: the same stories as on CPU, conv autoencoders on native.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { autoOrder, modelKind, modelTraits } from '../../src/repro/engine/backend';
import { loadTfjsNode } from '../../src/repro/native/locate';
import { findNodeHeaders, findTensorFlow, NativeSetupError, setupNativeBackend, STAMP_FILE } from '../../src/repro/native/setup';
import { buildPlan, materializeData, type ReproPlan } from '../../src/repro/plan';
import { fromWire, type WorkerMessage } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import { nativeFolder, nativeSkip, repoRoot } from '../fixtures/repro/native-backend';
import { nanSgdLinear, seedExample1, seedExample2 } from '../fixtures/repro/specs';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

function plan(model = seedExample1(), options: Parameters<typeof buildPlan>[1] = {}): ReproPlan {
  const r = buildPlan(model, options);
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

async function planOfFile(file: string, options: Parameters<typeof buildPlan>[1] = {}): Promise<ReproPlan> {
  const analysis = await analyzeFile(file, readFileSync(join(repoRoot, file), 'utf8'), NO_FILES);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') assert.fail(model);
  return plan(model, { workspaceRoot: repoRoot, ...options });
}

const traitsOf = (p: ReproPlan) => modelTraits(p, materializeData(p).x.length);
const CONV = 'test/fixtures/repro/conv_autoencoder.py';
const LSTM = 'test/fixtures/repro/lstm_autoencoder.py';

test('auto keeps small dense chains off native TensorFlow: loading it costs more than their whole run', () => {
  for (const model of [seedExample1(), seedExample2(), nanSgdLinear()]) {
    const traits = traitsOf(plan(model));
    assert.equal(modelKind(traits), 'dense-chain');
    assert.deepEqual(autoOrder(traits), ['cpu']);
  }
});

test('auto sends conv and recurrent autoencoders to native first, and without it to WebAssembly', async () => {
  const conv = traitsOf(await planOfFile(CONV));
  assert.equal(modelKind(conv), 'conv');
  assert.deepEqual(autoOrder(conv), ['node', 'wasm', 'cpu']);
  const lstm = traitsOf(await planOfFile(LSTM));
  assert.equal(modelKind(lstm), 'recurrent');
  // Recurrent layers, whose many small operations a step WebAssembly dispatches faster, go to it without native at any size.
  assert.deepEqual(autoOrder(lstm), ['node', 'wasm', 'cpu']);
  assert.deepEqual(autoOrder({ ...lstm, parameters: 1_000, work: 1_000 }), ['node', 'wasm', 'cpu']);
  // A dense chain with a lot of arithmetic (784-256-32-256-784 on 2,000 samples for 20 epochs) goes native too.
  const big = { parameters: 420_000, layerClasses: ['InputLayer', 'Dense', 'Dense', 'Dense', 'Dense'], inputRank: 1, work: 420_000 * 2000 * 20 };
  assert.deepEqual(autoOrder(big), ['node', 'wasm', 'cpu']);
  // Without native, a dense chain with enough arithmetic goes to WebAssembly, whose products
  // repay its loading (64-64-32-64-64 on 1,000 samples for 20 epochs); a smaller one stays on CPU.
  const dense = ['InputLayer', 'Dense', 'Dense', 'Dense', 'Dense'];
  assert.deepEqual(autoOrder({ parameters: 12_512, layerClasses: dense, inputRank: 1, work: 12_512 * 1000 * 20 }), ['wasm', 'cpu']);
  assert.deepEqual(autoOrder({ parameters: 4_224, layerClasses: dense, inputRank: 1, work: 4_224 * 1000 * 20 }), ['cpu']);
  // The old signature (a parameter count) keeps its meaning.
  assert.deepEqual(autoOrder(100), ['cpu']);
  assert.deepEqual(autoOrder(60_000), ['wasm', 'cpu']);
});

test('a folder without tfjs-node is a reason, not a crash', () => {
  const empty = mkdtempSync(join(tmpdir(), 'nanguard-no-native-'));
  const r = loadTfjsNode(empty);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.reason : '', /no @tensorflow\/tfjs-node installed in/);
});

/** A folder shaped like a TensorFlow wheel's package folder (empty files): enough to get past the TensorFlow check. */
function fakeTensorFlow(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-fake-tf-'));
  mkdirSync(join(dir, 'include', 'tensorflow', 'c', 'eager'), { recursive: true });
  for (const f of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2', 'include/tensorflow/c/c_api.h', 'include/tensorflow/c/eager/c_api.h']) writeFileSync(join(dir, f), '');
  return dir;
}

test('the setup names what is missing: Python, TensorFlow, a compiler', { skip: process.platform !== 'linux' && 'the offline build is for Linux' }, async () => {
  await assert.rejects(findTensorFlow({ python: join(tmpdir(), 'no-such-python-here') }), (e: unknown) => e instanceof NativeSetupError && e.missing === 'python' && /no Python interpreter/.test(e.message));
  // A Python without TensorFlow (a stand-in that answers as the real one would).
  const bin = mkdtempSync(join(tmpdir(), 'nanguard-py-'));
  const python = join(bin, 'python3');
  writeFileSync(python, '#!/bin/sh\necho \'{"dir": null, "version": null}\'\n');
  chmodSync(python, 0o755);
  await assert.rejects(findTensorFlow({ python }), (e: unknown) => e instanceof NativeSetupError && e.missing === 'tensorflow' && /TensorFlow is not installed for/.test(e.message));
  // A TensorFlow folder without the C library.
  const empty = mkdtempSync(join(tmpdir(), 'nanguard-tf-empty-'));
  await assert.rejects(findTensorFlow({ tensorflowDir: empty }), (e: unknown) => e instanceof NativeSetupError && e.missing === 'tensorflow' && /libtensorflow_cc\.so\.2/.test(e.message));
  // No compiler on the PATH: refused before anything is fetched.
  const target = mkdtempSync(join(tmpdir(), 'nanguard-native-target-'));
  await assert.rejects(
    setupNativeBackend({ target, tensorflowDir: fakeTensorFlow(), source: 'tensorflow', env: { ...process.env, PATH: bin } }),
    (e: unknown) => e instanceof NativeSetupError && e.missing === 'compiler' && /C\+\+ compiler/.test(e.message),
  );
});

test('the Node.js headers are found where the build will look for them', { skip: !findNodeHeaders(process.execPath) && 'this Node.js has no headers installed' }, () => {
  const headers = findNodeHeaders(process.execPath)!;
  assert.ok(readFileSync(join(headers, 'include', 'node', 'node_api.h'), 'utf8').includes('napi_'));
});

test('a second setup with the same TensorFlow keeps the build (cached, well under a second)', { skip: nativeSkip }, async () => {
  const stamp = JSON.parse(readFileSync(join(nativeFolder!, STAMP_FILE), 'utf8')) as { tensorflowDir: string };
  const result = await setupNativeBackend({ target: nativeFolder!, tensorflowDir: stamp.tensorflowDir, source: 'tensorflow' });
  assert.equal(result.reused, true);
  assert.ok(result.ms < 1000, `${result.ms} ms`);
});

test('asking for native where the folder has no tfjs-node names the folder', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'nanguard-no-native-'));
  await assert.rejects(startReproduction(plan(), { workerPath: await bundledWorker(), backend: 'node', nativeFolder: empty }).done, /tfjs-node is not installed or does not load.*no @tensorflow\/tfjs-node installed in/s);
});

test('on native TensorFlow the seed example stalls at the same floor as on CPU', { skip: nativeSkip }, async () => {
  const events: WorkerMessage[] = [];
  const native = await startReproduction(plan(), { workerPath: await bundledWorker(), backend: 'node', nativeFolder, onEvent: (e) => events.push(e) }).done;
  const cpu = await startReproduction(plan(), { workerPath: await bundledWorker(), backend: 'cpu' }).done;
  assert.equal(native.backend, 'node');
  assert.equal(native.engine, 'tfjs-layers');
  assert.equal(events[0].type === 'ready' && events[0].backend, 'node');
  assert.equal(native.verdict, 'stalled');
  assert.equal(native.verdict, cpu.verdict);
  const a = fromWire(native.history.loss.at(-1)!);
  const b = fromWire(cpu.history.loss.at(-1)!);
  assert.ok(Math.abs(a - b) / b < 1e-4, `native ${a}, cpu ${b}`);
});

test('on native TensorFlow the SGD example goes NaN at the same epoch, batch and layer as on CPU', { skip: nativeSkip }, async () => {
  const p = plan(nanSgdLinear(), { seed: 2 });
  const native = await startReproduction(p, { workerPath: await bundledWorker(), backend: 'node', nativeFolder }).done;
  const cpu = await startReproduction(p, { workerPath: await bundledWorker(), backend: 'cpu' }).done;
  assert.equal(native.verdict, 'nan');
  assert.deepEqual(
    { epoch: native.firstNonFinite?.epoch, batch: native.firstNonFinite?.batch, layer: native.firstNonFinite?.layer, tensor: native.firstNonFinite?.tensor },
    { epoch: cpu.firstNonFinite?.epoch, batch: cpu.firstNonFinite?.batch, layer: cpu.firstNonFinite?.layer, tensor: cpu.firstNonFinite?.tensor },
  );
});

test('auto trains a conv autoencoder on native TensorFlow, and a seed example still on the dense kernels', { skip: nativeSkip }, async () => {
  const conv = await planOfFile(CONV, { epochs: 1 });
  const summary = await startReproduction(conv, { workerPath: await bundledWorker(), backend: 'auto', nativeFolder }).done;
  assert.equal(summary.backend, 'node');
  assert.equal(summary.epochsRun, 1);
  assert.ok(Number.isFinite(fromWire(summary.history.loss[0])));
  const seed = await startReproduction(plan(), { workerPath: await bundledWorker(), backend: 'auto', nativeFolder }).done;
  assert.equal(seed.backend, 'cpu');
  assert.equal(seed.engine, 'dense');
});
