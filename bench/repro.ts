/**
 * Reproduction bench: for the seed's three examples (the real example files through the
 * Python front-end), time to verdict (spawn of the bundled worker to its summary) and,
 * in this process on the same backend, the reproduction loop's time per epoch against a
 * plain tfjs `model.fit` of the same model and data. Prints medians and ratios.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeFile, NO_FILES } from '../src/core/index';
import { pickModel } from '../src/core/modelHandles';
import { plainFit } from '../src/repro/engine/plainFit';
import { runReproduction } from '../src/repro/engine/train';
import { buildPlan, type ReproPlan } from '../src/repro/plan';
import type { BackendChoice } from '../src/repro/protocol';
import { startReproduction } from '../src/repro/runner';
import { bundleForBench } from './bundle';
import { median } from './harness';

export const SEED_EXAMPLES = ['examples/seed1_unscaled.py', 'examples/seed2_batchnorm.py', 'examples/seed3_early_stopping.py'];

export interface ReproBenchRow {
  file: string;
  verdict: string;
  backend: string;
  epochs: number;
  /** Spawn to summary, milliseconds (median). */
  timeToVerdictMs: number;
  /** Of which the worker spent loading TensorFlow.js and building the model (median). */
  loadMs: number;
  /** The worker's CPU time over its life (median): steadier than wall time on a busy machine. */
  workerCpuMs: number;
  /** Spawn to the worker's ready message, wall (median): starting Node, loading TensorFlow.js, building the model. */
  spawnToReadyMs: number;
  /** The worker's training time (median), and of it the validation passes and the layer statistics. */
  trainMs: number;
  validationMs: number;
  statsMs: number;
  /** The reproduction loop, per epoch, in this process (median). */
  loopPerEpochMs: number;
  /** A plain `model.fit` of the same model and data, per epoch, same backend (median). */
  fitPerEpochMs: number;
  /** The same two in CPU time of this process per epoch (medians). */
  loopCpuPerEpochMs: number;
  fitCpuPerEpochMs: number;
}

export interface ReproBenchOptions {
  runs?: number;
  backend?: BackendChoice;
  root?: string;
  log?: (line: string) => void;
}

/** The worker bundled as the product bundles it, with the WebAssembly backend's files beside it. */
function bundleWorker(root: string): Promise<string> {
  const wasm = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  return bundleForBench(join(root, 'src/repro/worker.ts'), ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => join(wasm, f)));
}

export async function planFor(root: string, file: string): Promise<ReproPlan> {
  const analysis = await analyzeFile(file, readFileSync(join(root, file), 'utf8'), NO_FILES);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') throw new Error(`${file}: ${model}`);
  const planned = buildPlan(model, { workspaceRoot: root });
  if ('refused' in planned) throw new Error(`${file}: ${planned.refused}`);
  return planned.plan;
}

export async function benchReproduction(options: ReproBenchOptions = {}): Promise<ReproBenchRow[]> {
  const root = options.root ?? join(__dirname, '..');
  const runs = options.runs ?? 5;
  const backend = options.backend ?? 'cpu';
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const workerPath = await bundleWorker(root);
  const rows: ReproBenchRow[] = [];
  for (const file of SEED_EXAMPLES) {
    const plan = await planFor(root, file);
    const spawn: number[] = [];
    const load: number[] = [];
    const workerCpu: number[] = [];
    const toReady: number[] = [];
    const train: number[] = [];
    const validation: number[] = [];
    const stats: number[] = [];
    const rest: number[] = [];
    // One run first, not counted: it writes the worker's code cache, as a user's first run after an update does.
    await startReproduction(plan, { workerPath, backend }).done;
    let verdict = '';
    let ranOn = '';
    let epochs = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      let readyAt = NaN;
      const summary = await startReproduction(plan, { workerPath, backend, onEvent: (e) => e.type === 'ready' && (readyAt = performance.now()) }).done;
      spawn.push(performance.now() - started);
      toReady.push(readyAt - started);
      train.push(summary.timings.trainMs);
      validation.push(summary.timings.validationMs ?? NaN);
      stats.push(summary.timings.statsMs ?? NaN);
      rest.push(spawn[spawn.length - 1] - toReady[toReady.length - 1] - summary.timings.trainMs);
      load.push(summary.timings.loadMs);
      workerCpu.push(summary.timings.cpuMs ?? NaN);
      verdict = summary.verdict;
      ranOn = summary.backend;
      epochs = summary.epochsRun;
    }
    const loop: number[] = [];
    const fit: number[] = [];
    const loopCpu: number[] = [];
    const fitCpu: number[] = [];
    // The same number of epochs on both sides (early stopping would shorten only the loop).
    const fixed: ReproPlan = { ...plan, fit: { ...plan.fit, epochs, earlyStopping: null } };
    for (let i = 0; i < runs; i++) {
      let cpu = process.cpuUsage();
      const ours = await runReproduction(fixed, backend, { emit: () => undefined, cancelled: () => false }, performance.now());
      let used = process.cpuUsage(cpu);
      loop.push(ours.timings.trainMs / ours.epochsRun);
      loopCpu.push((used.user + used.system) / 1000 / ours.epochsRun);
      cpu = process.cpuUsage();
      fit.push((await plainFit(fixed, backend)).perEpochMs);
      used = process.cpuUsage(cpu);
      fitCpu.push((used.user + used.system) / 1000 / epochs);
    }
    rows.push({ file, verdict, backend: ranOn, epochs, timeToVerdictMs: median(spawn), loadMs: median(load), workerCpuMs: median(workerCpu), spawnToReadyMs: median(toReady), trainMs: median(train), validationMs: median(validation), statsMs: median(stats), restMs: median(rest), loopPerEpochMs: median(loop), fitPerEpochMs: median(fit), loopCpuPerEpochMs: median(loopCpu), fitCpuPerEpochMs: median(fitCpu) });
  }
  log(formatReproBench(rows, runs));
  return rows;
}

export function formatReproBench(rows: ReproBenchRow[], runs: number): string {
  const ms = (n: number, w = 7): string => `${n.toFixed(n < 100 ? 2 : 0).padStart(w)}`;
  const lines = [
    `reproduction: medians of ${runs} runs (wall ms; cpu ms of the worker / of this process in brackets)`,
    'file                               verdict  backend epochs  spawn->verdict (cpu)     load   loop/epoch (cpu)    fit/epoch (cpu)    fit/loop',
  ];
  for (const r of rows) {
    lines.push(
      `${r.file.padEnd(34)} ${r.verdict.padEnd(8)} ${r.backend.padEnd(7)} ${String(r.epochs).padStart(6)}  ${ms(r.timeToVerdictMs, 8)} (${ms(r.workerCpuMs, 6)})  ${ms(r.loadMs, 6)}  ${ms(r.loopPerEpochMs)} (${ms(r.loopCpuPerEpochMs, 6)})  ${ms(r.fitPerEpochMs)} (${ms(r.fitCpuPerEpochMs, 6)})  ${(r.fitPerEpochMs / r.loopPerEpochMs).toFixed(2).padStart(5)}x`,
    );
  }
  lines.push('', 'time to verdict, broken down (wall ms, medians): spawn->ready (of which the worker\'s own load) | training (of which validation, statistics) | rest (summary, messages)');
  for (const r of rows) {
    lines.push(`${r.file.padEnd(34)} ${ms(r.spawnToReadyMs)} (${ms(r.loadMs, 5)}) | ${ms(r.trainMs)} (${ms(r.validationMs, 5)}, ${ms(r.statsMs, 5)}) | ${ms(r.restMs)}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const backend = (process.argv.find((a) => a.startsWith('--backend='))?.slice(10) ?? 'cpu') as BackendChoice;
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
  benchReproduction({ backend, runs }).catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
