/**
 * `nanguard reproduce FILE`: analyse the file, build the plan, train it in the worker and
 * print the epoch table and the verdict (text) or the summary object (json). With
 * `--engine keras` the file itself runs in the user's Python up to its first `fit`, which trains
 * under nanguard's tracing (src/repro/keras), and the same summary comes back. Exit codes:
 * 0 healthy, 1 nan / diverging / exploded / stalled, 2 on a usage error, 3 when nothing could
 * be reproduced (then `--format json` still prints one object, with `verdict: "not-reproduced"`
 * and a `reason`). Only the worker process loads TensorFlow.js.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeFile } from '../core/index';
import { pickTrainedModel, UNSEEN_TRAINING } from '../core/modelHandles';
import { planAssumingUnseenSizes } from '../repro/assumedSizes';
import { BACKEND_CHOICES, type BackendChoice, type BatchLoss, type WireNumber } from '../repro/protocol';
import { defaultPython, interpreterPath, KerasRunFailure, startKerasReproduction } from '../repro/keras/engine';
import { DEFAULT_CAPS } from '../repro/plan';
import { ReproductionCancelled, startReproduction, type Reproduction } from '../repro/runner';
import { AUTO_SEEDS, MAX_SEEDS, seedRangeWords, shortNumber, verdictShare, type SeedsRequest } from '../repro/seeds';
import { onStandInData, STAND_IN_WORDS, timeLimitText, type ReproSummary } from '../repro/summary';
import { lossGrowth } from '../shared/lossGrowth';
import { createFileSystemHost } from './fs-host';
import { EXIT_NOT_REPRODUCED, EXIT_OK, EXIT_PROBLEM, UsageError, type CliIO } from './io';

/** The command's arguments. `file` is as typed on the command line (relative to `io.cwd`). */
export interface ReproduceArgs {
  file: string;
  /** Which model of the file when it defines several: its name, or `name:LINE` where names repeat. */
  model?: string;
  epochs?: number;
  /** At most this many epochs: the file's own when fewer (as a Keras run capped the same way trains). */
  maxEpochs?: number;
  seed?: number;
  /** Train several seeds (seed, seed + 1, ...): a number, or `auto` (as many as fit the time budget, at most 8). Absent: one seed. */
  seeds?: number | 'auto';
  backend?: BackendChoice;
  format?: 'text' | 'json';
  /** `tfjs` (default): nanguard's TensorFlow.js reproduction; `keras`: the file itself, in the user's Python. */
  engine?: 'tfjs' | 'keras';
  /** The Keras engine's interpreter (default: python3 on the PATH). */
  python?: string;
  /** Wall-time limit of the run in seconds (default: 120). */
  maxSeconds?: number;
  /** The largest model `--engine tfjs` builds (the extension's `reproduction.maxParameters`). */
  maxParameters?: number;
  /** The Keras engine: batches an epoch may run before it is cut short. */
  maxSteps?: number;
  /** The worker script (tests pass a fresh bundle); default: beside the running code. */
  workerPath?: string;
  /** Extra environment for the Keras engine's program (tests). */
  env?: NodeJS.ProcessEnv;
}

export const REPRODUCE_HELP = `Usage: nanguard reproduce FILE [options]

Trains the model defined in FILE (.py, .ipynb or Keras .json) for real in TensorFlow.js, in a
child process, and reports what happened: nan, diverging, exploded, stalled or healthy, with the
first non-finite value pinned to an epoch, a batch and a layer.

Options:
  --model NAME               which model of the file (default: the one that is fitted); where
                             several share a name, NAME:LINE names one by its definition's line
  --epochs N                 epochs to run (default: the file's own, within the caps)
  --max-epochs N             the file's own epochs, but at most N (the run says it was shortened)
  --seed S                   random seed (default: 0; with --engine keras, set before the
                             program starts, which may set its own)
  --seeds N|auto             train N seeds (S, S+1, ...) one after the other and report the
                             outcome over them ("NaN in 3 of 8 seeds"); auto: as many as fit
                             in ${AUTO_SEEDS.budgetMs / 1000} s, at most ${AUTO_SEEDS.max} (default: one seed; --engine tfjs only)
  --backend auto|node|wasm|cpu   TensorFlow.js backend (default: auto)
  --engine tfjs|keras        tfjs (default): nanguard rebuilds the model and trains it in
                             TensorFlow.js, never running your code; keras: RUNS FILE in your
                             Python up to its first fit, which trains in your Keras under
                             nanguard's tracing (custom train_step, GradientTape loops, tf.data)
  --python PATH              the interpreter for --engine keras (default: ${defaultPython()})
  --max-seconds S            stop the run after S seconds (default: ${DEFAULT_CAPS.maxWallMs / 1000})
  --max-parameters N         refuse a model of more parameters (default: ${DEFAULT_CAPS.maxParameters.toLocaleString('en-US')};
                             --engine tfjs)
  --max-steps N              --engine keras: cut each epoch after N batches
  --format text|json         output form (default: text); json prints one object even when
                             nothing was reproduced (verdict "not-reproduced" and a reason)
  -h, --help                 this help

Exit codes: 0 healthy, 1 nan, diverging, exploded or stalled (with --seeds: in any seed), 2 usage
error, 3 not reproduced.
`;

function nonNegativeInteger(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new UsageError(`${flag} expects an integer >= ${min}, got '${value}'`);
  return Number(value);
}

function seedsArgument(value: string | undefined): number | 'auto' | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === 'auto') return 'auto';
  const n = nonNegativeInteger(value, '--seeds', 1);
  if (n !== undefined && n > MAX_SEEDS) throw new UsageError(`--seeds expects auto or an integer from 1 to ${MAX_SEEDS}, got '${value}'`);
  return n;
}

export function parseReproduceArgs(argv: string[], cwd: string): ReproduceArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string' },
      epochs: { type: 'string' },
      'max-epochs': { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      backend: { type: 'string' },
      format: { type: 'string' },
      engine: { type: 'string' },
      python: { type: 'string' },
      'max-seconds': { type: 'string' },
      'max-parameters': { type: 'string' },
      'max-steps': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('give one file: nanguard reproduce FILE');
  const file = positionals[0];
  const absolutePath = resolve(cwd, file);
  if (!existsSync(absolutePath) || !statSync(absolutePath).isFile()) throw new UsageError(`no such file: ${file}`);
  const backend = values.backend ?? 'auto';
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${backend}'`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got '${format}'`);
  const engine = values.engine ?? 'tfjs';
  if (engine !== 'tfjs' && engine !== 'keras') throw new UsageError(`--engine must be tfjs or keras, got '${engine}'`);
  if (values.python !== undefined && engine !== 'keras') throw new UsageError('--python is for --engine keras');
  if (values['max-steps'] !== undefined && engine !== 'keras') throw new UsageError('--max-steps is for --engine keras');
  if (values['max-parameters'] !== undefined && engine === 'keras') throw new UsageError('--max-parameters is for --engine tfjs: --engine keras builds the model in your Keras');
  if (values.model !== undefined && engine === 'keras') throw new UsageError('--model is for --engine tfjs: --engine keras trains what the program itself fits first');
  if (values.seeds !== undefined && engine === 'keras') throw new UsageError('--seeds is for --engine tfjs: --engine keras runs the program once, with its own seed');
  if (values['max-epochs'] !== undefined && values.epochs !== undefined) throw new UsageError('give --epochs or --max-epochs, not both');
  if (values['max-epochs'] !== undefined && engine === 'keras') throw new UsageError('--max-epochs is for --engine tfjs; --engine keras takes --epochs');
  return {
    file,
    model: values.model,
    epochs: nonNegativeInteger(values.epochs, '--epochs', 1),
    maxEpochs: nonNegativeInteger(values['max-epochs'], '--max-epochs', 1),
    seed: nonNegativeInteger(values.seed, '--seed', 0),
    ...(values.seeds !== undefined ? { seeds: seedsArgument(values.seeds) } : {}),
    backend: backend as BackendChoice,
    format,
    engine,
    python: values.python,
    maxSeconds: nonNegativeInteger(values['max-seconds'], '--max-seconds', 1),
    maxParameters: nonNegativeInteger(values['max-parameters'], '--max-parameters', 1),
    maxSteps: nonNegativeInteger(values['max-steps'], '--max-steps', 1),
  };
}

const show = (v: WireNumber | undefined): string => {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(4) : v.toPrecision(6);
};

/** The epoch table: every epoch up to 12, else the first 5, the last 5 and the first non-finite one. */
export function epochTable(summary: ReproSummary): string {
  const { loss, val_loss: val } = summary.history;
  const n = loss.length;
  const shown = new Set<number>();
  if (n <= 12) for (let i = 0; i < n; i++) shown.add(i);
  else {
    for (let i = 0; i < 5; i++) shown.add(i);
    for (let i = n - 5; i < n; i++) shown.add(i);
    const bad = loss.findIndex((l) => typeof l === 'string');
    if (bad >= 0) shown.add(bad);
  }
  const rows = ['  epoch            loss        val_loss'];
  let previous = -1;
  for (const i of [...shown].sort((a, b) => a - b)) {
    if (previous >= 0 && i > previous + 1) rows.push('    ...');
    rows.push(`  ${String(i).padStart(5)}  ${show(loss[i]).padStart(14)}  ${show(val[i]).padStart(14)}`);
    previous = i;
  }
  return rows.join('\n');
}

/** "epoch 0: batch 0 3.2432e+05 · batch 1 6.5104e+32 (x2.0e+27) · batch 2 NaN": each batch's loss and how much it grew. */
export function recentLossesText(losses: readonly BatchLoss[]): string {
  const parts: string[] = [];
  let previous: WireNumber | undefined;
  let epoch = -1;
  for (const l of losses) {
    const factor = typeof l.loss === 'number' && typeof previous === 'number' ? lossGrowth(previous, l.loss) : null;
    const growth = factor === null ? '' : ` (x${factor.toExponential(1)})`;
    parts.push(`${l.epoch !== epoch ? `epoch ${l.epoch}: ` : ''}batch ${l.batch} ${show(l.loss)}${growth}`);
    epoch = l.epoch;
    previous = l.loss;
  }
  return parts.join(' · ');
}

/** A run over several seeds: one row per seed. */
export function seedsTable(summary: ReproSummary): string {
  const rows = ['   seed  verdict       final loss  x mean predictor  first non-finite'];
  for (const r of summary.seeds?.runs ?? []) {
    const first = r.firstNonFinite ? `epoch ${r.firstNonFinite.epoch}, batch ${r.firstNonFinite.batch}` : '-';
    const ratio = r.overMeanPredictor === null ? '-' : shortNumber(r.overMeanPredictor);
    rows.push(`  ${String(r.seed).padStart(5)}  ${r.verdict.padEnd(9)}  ${show(r.finalLoss ?? undefined).padStart(14)}  ${ratio.padStart(16)}  ${first}`);
  }
  return rows.join('\n');
}

function formatSeedsText(summary: ReproSummary, file: string): string {
  const seeds = summary.seeds!;
  const standIn = onStandInData(summary) ? ` ${STAND_IN_WORDS}` : '';
  const lines = [
    `${file}: model ${summary.model.name} (${summary.model.parameters} parameters), backend ${summary.backend}${summary.engine === 'dense' ? ' (dense kernels)' : ''}, ${seedRangeWords(seeds.runs)}`,
    `data: training ${summary.data.train}, validation ${summary.data.validation}`,
    ...summary.notes.map((n) => `note: ${n}`),
    seedsTable(summary),
    `verdict: ${summary.verdict}${standIn} (${verdictShare(summary.verdict, seeds)}). ${seeds.statement}`,
  ];
  const p = summary.firstNonFinite;
  if (p) {
    lines.push(`first non-finite (seed ${summary.seed}): epoch ${p.epoch}, batch ${p.batch}, layer ${p.layer ?? '-'}, ${p.tensor}${p.inputsNonFinite ? ' (the inputs were already non-finite)' : ''}`);
    if (p.recentLosses.length > 0) lines.push(`batch losses up to it: ${recentLossesText(p.recentLosses)}`);
  }
  const trained = seeds.runs.reduce((a, r) => a + r.epochsRun, 0);
  lines.push(`time: ${summary.timings.totalMs} ms (loading ${summary.timings.loadMs} ms, ${seeds.count} seed${seeds.count === 1 ? '' : 's'}, ${trained} epoch${trained === 1 ? '' : 's'} in all, training ${summary.timings.trainMs} ms)`);
  return `${lines.join('\n')}\n`;
}

export function formatText(summary: ReproSummary, file: string): string {
  if (summary.seeds) return formatSeedsText(summary, file);
  const lines = [
    `${file}: model ${summary.model.name} (${summary.model.parameters} parameters), ${summary.engine === 'keras' ? `engine keras (backend ${summary.backend})` : `backend ${summary.backend}${summary.engine === 'dense' ? ' (dense kernels)' : ''}`}, seed ${summary.seed}`,
    `data: training ${summary.data.train}, validation ${summary.data.validation}`,
    ...summary.notes.map((n) => `note: ${n}`),
    epochTable(summary),
    `verdict: ${summary.verdict}${onStandInData(summary) ? ` ${STAND_IN_WORDS}` : ''}. ${summary.explanation}`,
  ];
  const p = summary.firstNonFinite;
  if (p) {
    lines.push(`first non-finite: epoch ${p.epoch}, batch ${p.batch}, layer ${p.layer ?? '-'}, ${p.tensor}${p.inputsNonFinite ? ' (the inputs were already non-finite)' : ''}`);
    if (p.recentLosses.length > 0) lines.push(`batch losses up to it: ${recentLossesText(p.recentLosses)}`);
  }
  lines.push(`time: ${summary.timings.totalMs} ms (loading ${summary.timings.loadMs} ms, ${summary.epochsRun} epoch${summary.epochsRun === 1 ? '' : 's'} at ${summary.timings.perEpochMs} ms each)`);
  return `${lines.join('\n')}\n`;
}

/** Why nothing was reproduced, as the JSON contract names it. */
export type NotReproducedCode = 'unreadable-file' | 'no-model' | 'model-not-found' | 'refused' | 'failed' | 'program-error' | 'no-fit' | 'missing-keras' | 'python-not-found' | 'time-limit';

/** The one object `--format json` prints when nothing was reproduced. */
export interface NotReproduced {
  version: 1;
  verdict: 'not-reproduced';
  reason: { code: NotReproducedCode; message: string };
}

export async function runReproduceCommand(args: ReproduceArgs, io: Pick<CliIO, 'cwd' | 'stdout' | 'stderr'>): Promise<number> {
  const absolute = resolve(io.cwd, args.file);
  const shownPath = isAbsolute(args.file) ? relative(io.cwd, absolute) || args.file : args.file;
  const notReproduced = notReproducedPrinter(args, io, shownPath);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    return notReproduced('unreadable-file', `cannot read ${args.file}`);
  }
  let run: Reproduction;
  if (args.engine === 'keras') {
    run = startKerasReproduction(
      {
        file: absolute,
        mode: 'train',
        seed: args.seed ?? 0,
        caps: { maxEpochs: args.epochs ?? DEFAULT_CAPS.maxEpochs, maxStepsPerEpoch: args.maxSteps ?? null, maxSeconds: args.maxSeconds ?? DEFAULT_CAPS.maxWallMs / 1000 },
        datasetBatches: 8,
      },
      // The program's own output is the program's: it goes to stderr, so that stdout stays one JSON object.
      { python: interpreterPath(args.python ?? defaultPython(), io.cwd), env: args.env, onOutput: (_stream, chunk) => io.stderr(chunk) },
    );
  } else {
    const started = await startTfjs(args, io, shownPath, text);
    if (typeof started === 'number') return started;
    run = started;
  }
  return finishRun(run, args, io, shownPath, notReproduced);
}

/** Analyses the file, picks the model, builds the plan and starts the TensorFlow.js worker; an exit code when nothing starts. */
async function startTfjs(args: ReproduceArgs, io: Pick<CliIO, 'cwd' | 'stderr' | 'stdout'>, shownPath: string, text: string): Promise<Reproduction | number> {
  const notReproduced = notReproducedPrinter(args, io, shownPath);
  const host = createFileSystemHost({ cwd: io.cwd, workspaceRoot: io.cwd });
  const analysis = await analyzeFile(shownPath, text, host);
  const model = pickTrainedModel(analysis.models, analysis.problems, args.model);
  if (typeof model === 'string') {
    if (analysis.models.length === 0) return notReproduced('no-model', model);
    return model.includes(UNSEEN_TRAINING) ? notReproduced('refused', `not reproduced: ${model}`) : notReproduced('model-not-found', model);
  }
  const caps = { ...(args.maxSeconds ? { maxWallMs: args.maxSeconds * 1000 } : {}), ...(args.maxParameters ? { maxParameters: args.maxParameters } : {}) };
  // --max-epochs: the file's own epochs, capped (a file that trains 5 runs 5).
  const ownEpochs = model.fit?.epochs.value;
  const epochs = args.epochs ?? (args.maxEpochs !== undefined ? Math.min(args.maxEpochs, typeof ownEpochs === 'number' && ownEpochs >= 1 ? ownEpochs : args.maxEpochs) : undefined);
  const options = { seed: args.seed, epochs, workspaceRoot: io.cwd, ...(Object.keys(caps).length > 0 ? { caps } : {}) };
  const reanalyze = (assumeUnseenSize: number) => analyzeFile(shownPath, text, host, { assumeUnseenSize });
  let planned = await planAssumingUnseenSizes(model, options, reanalyze);
  // Not asked for a model: when the last one the file fits cannot be reproduced, an earlier one it fits (its
  // first attempt of several) is, said in a note, rather than nothing.
  if ('refused' in planned && !args.model) {
    const line = (m: typeof model) => (m.location ? ` (line ${m.location.range.start.line + 1})` : '');
    // Two models a function builds (`vae = make_vae(...)` called twice) share a name and a line: their fits tell them apart.
    const fitLine = (m: typeof model) => (m.fit?.location ? `, fitted at line ${m.fit.location.range.start.line + 1}` : '');
    for (const other of [...analysis.models].reverse().filter((m) => m.fit && m !== model)) {
      const alternative = await planAssumingUnseenSizes(other, options, reanalyze);
      if ('refused' in alternative) continue;
      const alike = `${model.name}${line(model)}` === `${other.name}${line(other)}`;
      const label = (m: typeof model) => (alike ? `${m.name}${m.location ? ` (line ${m.location.range.start.line + 1}${fitLine(m)})` : ''}` : `${m.name}${line(m)}`);
      alternative.plan.notes.push({ kind: 'not-reproduced', text: `${label(model)}, the last model the file fits, is not reproduced (${planned.refused}); this run reproduces ${label(other)}, which the file also fits.` });
      planned = alternative;
      break;
    }
  }
  if ('refused' in planned) return notReproduced('refused', `not reproduced: ${planned.refused}`);
  return startReproduction(planned.plan, { backend: args.backend ?? 'auto', workerPath: args.workerPath, seeds: seedsRequest(args.seeds) });
}

/** What the worker is asked for: nothing for one seed (the run and its output as they always were). */
export function seedsRequest(seeds: number | 'auto' | undefined): SeedsRequest | undefined {
  if (seeds === 'auto') return { mode: 'auto', max: AUTO_SEEDS.max, budgetMs: AUTO_SEEDS.budgetMs };
  return seeds !== undefined && seeds > 1 ? { mode: 'count', count: seeds } : undefined;
}

type NotReproducedPrinter = (code: NotReproducedCode, message: string) => number;

/** Text: a line on stderr. JSON: one object on stdout, whatever happened, so that pipelines always have one to read. */
function notReproducedPrinter(args: ReproduceArgs, io: Pick<CliIO, 'stdout' | 'stderr'>, shownPath: string): NotReproducedPrinter {
  return (code, message) => {
    io.stderr(`nanguard: ${shownPath}: ${message}\n`);
    if (args.format === 'json') io.stdout(`${JSON.stringify({ version: 1, verdict: 'not-reproduced', reason: { code, message } } satisfies NotReproduced, null, 2)}\n`);
    return EXIT_NOT_REPRODUCED;
  };
}

/** Waits for the run and prints its summary; the exit code. */
async function finishRun(run: Reproduction, args: ReproduceArgs, io: Pick<CliIO, 'stdout' | 'stderr'>, shownPath: string, notReproduced: NotReproducedPrinter): Promise<number> {
  // Interrupted (Ctrl+C, a timeout's SIGTERM): the worker (or the program and all it started) goes with the command, never left running on its own.
  const interrupted = (): void => {
    run.cancel();
    try {
      if (run.pid !== undefined) process.kill(run.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let summary: ReproSummary;
  try {
    summary = await run.done;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof KerasRunFailure) {
      const code: NotReproducedCode = error.code === 'wall-time' ? 'failed' : error.code;
      const traceback = error.traceback.length > 0 && args.format !== 'json' ? `\n${error.traceback.map((l) => `  ${l}`).join('\n')}` : '';
      return notReproduced(code, `${message}${traceback}`);
    }
    if (error instanceof ReproductionCancelled) return notReproduced('failed', message);
    // TensorFlow.js's raw text stays out of the message; NANGUARD_DEBUG=1 prints it, for a bug report.
    if (process.env.NANGUARD_DEBUG && error instanceof Error && error.cause) io.stderr(`nanguard: detail: ${String(error.cause)}\n`);
    // The runner's own messages already say it failed.
    return notReproduced('failed', message.startsWith('the reproduction') ? message : `the reproduction failed: ${message}`);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  // Without a finished epoch there is no curve to judge: "stalled" would blame the training for the limit.
  if (summary.epochsRun === 0 && summary.stopped === 'wall-time' && !summary.seeds) {
    return notReproduced('time-limit', `no verdict: ${timeLimitText(summary, 'raise --max-seconds')}`);
  }
  const standIn = onStandInData(summary);
  // `evidence` says what the verdict rests on: the program's own data, or nanguard's stand-in for data it could not know.
  if (args.format === 'json') io.stdout(`${JSON.stringify({ ...summary, evidence: standIn ? 'stand-in' : 'program-data' }, null, 2)}\n`);
  else io.stdout(formatText(summary, shownPath));
  // A problem seen on stand-in data alone is no failure of the user's training.
  return summary.verdict === 'healthy' || standIn ? EXIT_OK : EXIT_PROBLEM;
}

export async function runReproduce(argv: string[], io: CliIO): Promise<number> {
  const args = parseReproduceArgs(argv, io.cwd);
  if (args === 'help') {
    io.stdout(REPRODUCE_HELP);
    return EXIT_OK;
  }
  return runReproduceCommand(args, io);
}
