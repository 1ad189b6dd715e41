/**
 * Backends bench, side by side in one run:
 *
 * 1. A conv autoencoder (the TensorFlow tutorial's shape: Conv2D 32 + pooling twice,
 *    Conv2DTranspose 32 twice, a sigmoid Conv2D; 2,000 images of 28x28, batch 128, Adam, BCE)
 *    and an LSTM sequence autoencoder, per epoch, on native TensorFlow (tfjs-node), WebAssembly,
 *    plain JavaScript (CPU) and Keras; and on native, the reproduction's loop against a plain
 *    tfjs `model.fit` of the same model and data.
 * 2. The seed's examples, time to verdict (spawn of the bundled worker to its summary) on each
 *    backend and under `auto`.
 * 3. With `--crossover`: where a dense chain is trained sooner on native TensorFlow than on the
 *    dense kernels (time to verdict of dense autoencoders of growing size), which sets
 *    `NATIVE_DENSE_WORK` in src/repro/engine/backend.ts.
 *
 *   node --import tsx bench/backends.ts [--quick] [--crossover | --crossover-only]
 *
 * The native rows need scripts/setup-tfjs-node.sh (or NANGUARD_TFJS_NODE); without it they say so.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeFile, NO_FILES } from '../src/core/index';
import { pickModel } from '../src/core/modelHandles';
import { modelTraits, NATIVE_DENSE_WORK, selectBackend, WASM_DENSE_WORK } from '../src/repro/engine/backend';
import { plainFit } from '../src/repro/engine/plainFit';
import { runReproduction } from '../src/repro/engine/train';
import { toFidelityCase } from '../src/repro/fidelity';
import { bindingOf, NATIVE_BACKEND_ENV, tfjsNodePackageIn } from '../src/repro/native/locate';
import { buildPlan, materializeData, type ReproPlan } from '../src/repro/plan';
import type { BackendChoice } from '../src/repro/protocol';
import { startReproduction } from '../src/repro/runner';
import type { ReproSummary } from '../src/repro/summary';
import { kerasEnv, runKeras } from '../test/fidelity/keras-harness';
import { bundleForBench } from './bundle';
import { median } from './harness';

const root = join(__dirname, '..');
export const CONV = 'test/fixtures/repro/conv_autoencoder.py';
export const LSTM = 'test/fixtures/repro/lstm_autoencoder.py';
const SEEDS = ['examples/seed1_unscaled.py', 'examples/seed2_batchnorm.py', 'examples/seed3_early_stopping.py'];

export function nativeFolderOrReason(): { folder: string } | { reason: string } {
  const folder = process.env[NATIVE_BACKEND_ENV] || join(root, '.cache', 'tfjs-node');
  const pkg = tfjsNodePackageIn(folder);
  return pkg && bindingOf(pkg) ? { folder } : { reason: `no built tfjs-node in ${folder} (scripts/setup-tfjs-node.sh)` };
}

export async function planOf(file: string, text?: string, options: Parameters<typeof buildPlan>[1] = {}): Promise<ReproPlan> {
  const analysis = await analyzeFile(file, text ?? readFileSync(join(root, file), 'utf8'), NO_FILES);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') throw new Error(`${file}: ${model}`);
  const planned = buildPlan(model, { workspaceRoot: root, ...options });
  if ('refused' in planned) throw new Error(`${file}: ${planned.refused}`);
  return planned.plan;
}

export function bundleWorker(): Promise<string> {
  const wasm = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  return bundleForBench(join(root, 'src/repro/worker.ts'), ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => join(wasm, f)));
}

type Outcome = { summary: ReproSummary; wallMs: number } | { error: string; wallMs: number };

async function inWorker(workerPath: string, plan: ReproPlan, backend: BackendChoice, nativeFolder: string | undefined): Promise<Outcome> {
  const started = performance.now();
  try {
    const summary = await startReproduction(plan, { workerPath, backend, nativeFolder }).done;
    return { summary, wallMs: performance.now() - started };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 2).join(' '), wallMs: performance.now() - started };
  }
}

/** Per epoch from a run's epoch times (the `epoch` events' elapsed times): the first epoch left out when there are more. */
function perEpoch(elapsed: number[]): number {
  const steps = elapsed.map((t, i) => t - (i === 0 ? NaN : elapsed[i - 1])).slice(1);
  return steps.length > 0 ? median(steps) : NaN;
}

async function epochsInWorker(workerPath: string, plan: ReproPlan, backend: BackendChoice, nativeFolder: string | undefined): Promise<{ backend: string; firstMs: number; perEpochMs: number; epochs: number } | { error: string }> {
  const elapsed: number[] = [];
  let readyMs = NaN;
  try {
    const summary = await startReproduction(plan, { workerPath, backend, nativeFolder, onEvent: (e) => { if (e.type === 'epoch') elapsed.push(e.elapsedMs); if (e.type === 'ready') readyMs = e.loadMs; } }).done;
    if (elapsed.length === 0) return { error: `no epoch finished in ${Math.round(plan.caps.maxWallMs / 1000)} s` };
    return { backend: summary.backend, firstMs: elapsed[0] - readyMs, perEpochMs: elapsed.length > 1 ? perEpoch(elapsed) : elapsed[0] - readyMs, epochs: elapsed.length };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split('\n').filter(Boolean).slice(-1)[0].slice(0, 120) };
  }
}

/** Samples as the model takes them, for Keras (flat rows for Dense, nested for conv and recurrent inputs). */
function shaped(rows: number[][] | null, shape: number[]): unknown[] | null {
  if (!rows || shape.length <= 1) return rows;
  const nest = (flat: number[], dims: number[], offset: number): unknown => {
    if (dims.length === 1) return flat.slice(offset, offset + dims[0]);
    const step = dims.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[0] }, (_, i) => nest(flat, dims.slice(1), offset + i * step));
  };
  return rows.map((r) => nest(r, shape, 0));
}

export async function kerasPerEpoch(plan: ReproPlan, name: string): Promise<{ firstMs: number; perEpochMs: number; laterMs: number[] } | { error: string }> {
  const env = kerasEnv();
  if (!('python' in env)) return { error: env.reason };
  const c = toFidelityCase(plan, name);
  const { results } = await runKeras(env.python, [{ ...c, kerasJson: c.kerasJson, x: shaped(c.x, plan.inputShape)!, y: shaped(c.y, plan.inputShape)!, valX: null, valY: null }]);
  const r = results[0];
  if (r.error) return { error: r.error.slice(0, 120) };
  const [first, ...later] = r.seconds.epochs.map((s) => s * 1000);
  return { firstMs: first, perEpochMs: later.length ? median(later) : first, laterMs: later };
}

const fmtMs = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '-');

async function modelsPerEpoch(workerPath: string, native: string | undefined, quick: boolean): Promise<void> {
  console.log('### Conv and LSTM autoencoders, per epoch (ms; first epoch in brackets, it includes warm-up)\n');
  console.log('| model | native (tfjs-node) | WebAssembly | CPU (plain JS) | Keras | native / Keras | nanguard loop / plain model.fit (native) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const file of [CONV, LSTM]) {
    const epochs = quick ? 2 : 3;
    const plan = await planOf(file, undefined, { epochs });
    // CPU and WebAssembly may not finish an epoch of the conv model in reasonable time: cap them.
    const capped = (seconds: number): ReproPlan => ({ ...plan, caps: { ...plan.caps, maxWallMs: seconds * 1000 } });
    const cells: string[] = [];
    let nativeEpoch = NaN;
    for (const backend of ['node', 'wasm', 'cpu'] as const) {
      if (backend === 'node' && !native) {
        cells.push('not built');
        continue;
      }
      const r = await epochsInWorker(workerPath, backend === 'node' ? plan : capped(quick ? 20 : 60), backend, native);
      if ('error' in r) cells.push(r.error.replace(/\|/g, '/'));
      else {
        cells.push(`${fmtMs(r.perEpochMs)} (${fmtMs(r.firstMs)})${r.epochs < epochs ? `, ${r.epochs} of ${epochs} epochs in the time cap` : ''}`);
        if (backend === 'node') nativeEpoch = r.perEpochMs;
      }
    }
    const keras = await kerasPerEpoch(plan, file);
    cells.push('error' in keras ? keras.error : `${fmtMs(keras.perEpochMs)} (${fmtMs(keras.firstMs)})`);
    cells.push('error' in keras || !Number.isFinite(nativeEpoch) ? '-' : `${(nativeEpoch / keras.perEpochMs).toFixed(2)}x`);
    // The loop against tfjs's own fit, in this process on native TensorFlow: the same epochs, no early stopping,
    // each twice in turns; per epoch the median of the epochs after the first (which includes warm-up).
    if (native) {
      const fixed: ReproPlan = { ...plan, fit: { ...plan.fit, earlyStopping: null } };
      const loops: number[] = [];
      const fits: number[] = [];
      for (let round = 0; round < 2; round++) {
        const ends: number[] = [];
        const started = performance.now();
        await runReproduction(fixed, 'node', { emit: (e) => void (e.type === 'epoch' && ends.push(performance.now())), cancelled: () => false }, performance.now(), { nativeFolder: native });
        loops.push(...ends.map((t, i) => t - (i === 0 ? started : ends[i - 1])).slice(1));
        fits.push(...(await plainFit(fixed, 'node', native)).epochMs.slice(1));
      }
      const loop = median(loops);
      const fit = median(fits);
      cells.push(`${fmtMs(loop)} / ${fmtMs(fit)} = ${(loop / fit).toFixed(2)}x`);
    } else cells.push('-');
    console.log(`| ${file.split('/').pop()} (${plan.estimatedParameters.toLocaleString('en-US')} parameters, ${materializeData(plan).x.length} samples, batch ${plan.fit.batchSize}) | ${cells.join(' | ')} |`);
  }
}

async function seedsToVerdict(workerPath: string, native: string | undefined, runs: number): Promise<void> {
  console.log(`\n### The seed's examples: time to verdict (spawn of the bundled worker to its summary, ms, median of ${runs})\n`);
  console.log('| example | auto | native (tfjs-node) | WebAssembly | CPU (dense kernels) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const file of SEEDS) {
    const plan = await planOf(file);
    const cells: string[] = [];
    for (const backend of ['auto', 'node', 'wasm', 'cpu'] as const) {
      if (backend === 'node' && !native) {
        cells.push('not built');
        continue;
      }
      await inWorker(workerPath, plan, backend, native); // writes the code cache, as a first run after an update does
      const walls: number[] = [];
      let ranOn = '';
      let error = '';
      for (let i = 0; i < runs; i++) {
        const r = await inWorker(workerPath, plan, backend, native);
        if ('error' in r) error = r.error;
        else {
          walls.push(r.wallMs);
          ranOn = `${r.summary.backend}${r.summary.engine === 'dense' ? ', dense' : ''}`;
        }
      }
      cells.push(error || `${fmtMs(median(walls))}${backend === 'auto' ? ` (${ranOn})` : ''}`);
    }
    console.log(`| ${file.split('/').pop()} | ${cells.join(' | ')} |`);
  }
}

/** A dense autoencoder of D inputs, hidden width H, bottleneck 32, on N samples for E epochs, as a user would write it. */
function denseSource(d: number, h: number, n: number, e: number): string {
  return [
    'import numpy as np',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    `x = np.random.rand(${n}, ${d}).astype("float32")`,
    'model = keras.Sequential([',
    `    keras.Input(shape=(${d},)),`,
    `    layers.Dense(${h}, activation="relu"),`,
    '    layers.Dense(32, activation="relu"),',
    `    layers.Dense(${h}, activation="relu"),`,
    `    layers.Dense(${d}, activation="sigmoid"),`,
    '])',
    'model.compile(optimizer="adam", loss="mse")',
    `model.fit(x, x, epochs=${e}, batch_size=32)`,
  ].join('\n');
}

async function crossover(workerPath: string, native: string | undefined): Promise<void> {
  const backends: BackendChoice[] = native ? ['cpu', 'wasm', 'node'] : ['cpu', 'wasm'];
  console.log('\n### Dense chains: time to verdict on the dense kernels (CPU), WebAssembly and native TensorFlow (ms, one run each)\n');
  console.log(`work = parameters x samples x epochs; auto sends a dense chain to WebAssembly at work >= ${WASM_DENSE_WORK.toExponential(0)}, to native at work >= ${NATIVE_DENSE_WORK.toExponential(0)}${native ? '' : ' (native not built: its column is left out)'}\n`);
  const names: Record<string, string> = { cpu: 'dense kernels', wasm: 'WebAssembly', node: 'native' };
  console.log(`| model | parameters | samples x epochs | work | ${backends.map((b) => names[b]).join(' | ')} | ${backends.slice(1).map((b) => `${names[b]} / dense`).join(' | ')} | auto picks |`);
  console.log(`| --- | --- | --- | --- | ${backends.map(() => '---').join(' | ')} | ${backends.slice(1).map(() => '---').join(' | ')} | --- |`);
  const shapes: [number, number, number, number][] = [
    [20, 16, 500, 20], [32, 32, 1000, 20], [64, 64, 1000, 20], [96, 96, 1000, 20], [128, 128, 1000, 20], [256, 128, 2000, 10], [256, 256, 2000, 10], [784, 128, 2000, 10], [784, 256, 2000, 10],
  ];
  // Each worker's code cache is written once, by a first run not counted.
  for (const backend of backends) await inWorker(workerPath, await planOf('warm.py', denseSource(20, 16, 100, 1)), backend, native);
  for (const [d, h, n, e] of shapes) {
    const plan = await planOf(`dense_${d}_${h}.py`, denseSource(d, h, n, e), { caps: { maxWallMs: 600_000 } });
    const work = modelTraits(plan, materializeData(plan).x.length).work;
    const times: Record<string, number> = {};
    for (const backend of backends) {
      const r = await inWorker(workerPath, plan, backend, native);
      times[backend] = 'error' in r ? NaN : r.wallMs;
    }
    const auto = await inWorker(workerPath, plan, 'auto', native);
    const picked = 'error' in auto ? auto.error : `${auto.summary.backend}${auto.summary.engine === 'dense' ? ', dense' : ''}`;
    const ratios = backends.slice(1).map((b) => (times[b] / times.cpu).toFixed(2));
    console.log(`| ${d}-${h}-32-${h}-${d} | ${plan.estimatedParameters.toLocaleString('en-US')} | ${n} x ${e} | ${work.toExponential(1)} | ${backends.map((b) => fmtMs(times[b])).join(' | ')} | ${ratios.join(' | ')} | ${picked} |`);
  }
}

export async function runBackendsBench(options: { quick: boolean; crossover?: boolean; crossoverOnly?: boolean }): Promise<void> {
  const found = nativeFolderOrReason();
  const native = 'folder' in found ? found.folder : undefined;
  if (!native) console.log(`native backend: ${'reason' in found ? found.reason : ''}; its rows are left out\n`);
  else {
    const probe = await selectBackend('node', 0, { nativeFolder: native });
    if ('problem' in probe) throw new Error(probe.problem);
  }
  const workerPath = await bundleWorker();
  if (!options.crossoverOnly) {
    await modelsPerEpoch(workerPath, native, options.quick);
    await seedsToVerdict(workerPath, native, options.quick ? 1 : 3);
  }
  if (options.crossover || options.crossoverOnly) await crossover(workerPath, native);
}

if (require.main === module) {
  runBackendsBench({ quick: process.argv.includes('--quick'), crossover: process.argv.includes('--crossover'), crossoverOnly: process.argv.includes('--crossover-only') }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
