/**
 * The Keras engine, host side: runs the user's own program in the user's own Python under
 * nanguard's bootstrap (`python/nanguard_keras.py`), reads its events (events.ts) from a pipe of
 * their own, and gives the same messages and summary as the TensorFlow.js engine, so that the
 * CLI, the panel and the tests treat both alike.
 *
 * This is the one place where nanguard executes user code. Callers start it only on an explicit
 * command (and, in the editor, only in a trusted workspace after the user agreed): nothing here
 * decides that. The program runs in a process group of its own, so that a cancel ends the whole
 * tree (TensorFlow's threads, any subprocess the program started) at once.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import type { KerasBackendName, LayerStats, NonFinitePoint, WorkerMessage } from '../protocol';
import { fromWire } from '../protocol';
import { ReproductionCancelled, type Reproduction } from '../runner';
import type { ReproSummary } from '../summary';
import { judge } from '../verdict';
import { KERAS_EVENTS_VERSION, type KerasEvent, type KerasRunRequest } from './events';

/** Why a Keras run gave no summary, for the CLI's `reason.code` and the editor's message. */
export type KerasFailureCode = 'missing-keras' | 'program-error' | 'no-fit' | 'python-not-found' | 'failed' | 'wall-time';

export class KerasRunFailure extends Error {
  constructor(
    readonly code: KerasFailureCode,
    message: string,
    /** The Python traceback's last lines, when the program raised. */
    readonly traceback: string[] = [],
  ) {
    super(message);
    this.name = 'KerasRunFailure';
  }
}

export type ObservedFit = Extract<KerasEvent, { type: 'observed' }>;
export type KerasDone = Extract<KerasEvent, { type: 'done' }>;

export interface KerasStartOptions {
  /** The interpreter: a path, or a command on the PATH (`python3`). */
  python: string;
  /** Every message, translated to the TensorFlow.js engine's protocol (`done` and `error` included). */
  onEvent?: (message: WorkerMessage) => void;
  /** The program reached its first `fit`: what training will see. */
  onObserved?: (observed: ObservedFit) => void;
  /** The program's own stdout and stderr, as they come (for a terminal: progress bars rewrite their line). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /**
   * The same output a whole line at a time (for a log): a pipe may cut a line anywhere (an
   * unbuffered `print("loaded", x.shape)` writes its words one by one), so lines are joined first.
   * Blank lines are left out; a last line without its newline comes when the stream ends.
   */
  onOutputLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** The bootstrap script (default: beside this module, or in the sources). */
  bootstrapPath?: string;
  /** Extra environment for the program (tests point KERAS_HOME at a dataset cache). */
  env?: NodeJS.ProcessEnv;
}

export interface KerasReproduction extends Reproduction {
  /** What the program passed to its first `fit`, once it has (also in observe mode). */
  observed: Promise<ObservedFit | null>;
}

/** Where the bootstrap is: `dist/python/` in the bundle, `src/repro/keras/python/` in the sources. */
export function defaultBootstrapPath(): string {
  // Bundled, __dirname is dist/; from the sources (tsx), this folder. Tests run the sources against a fresh dist too.
  const candidates = [join(__dirname, 'python', 'nanguard_keras.py'), join(__dirname, '..', '..', '..', 'dist', 'python', 'nanguard_keras.py')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/**
 * The interpreter as given, made absolute when it is a path (`venv/bin/python`, relative to
 * `cwd`): the program runs in its own folder, where a relative path would name something else.
 * A bare command (`python3`) is left to the PATH.
 */
export function interpreterPath(python: string, cwd: string): string {
  return /[\\/]/.test(python) ? resolvePath(cwd, python) : python;
}

/** The interpreter the command line uses when none is given: `python3` (`python` on Windows). */
export function defaultPython(): string {
  return process.platform === 'win32' ? 'python' : 'python3';
}

/** Ends the program and everything it started: its whole process group (a tree on Windows). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Splits a stream into lines, holding back a partial last line until the rest arrives. */
function lineReader(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      let at: number;
      while ((at = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, at);
        pending = pending.slice(at + 1);
        if (line.trim()) onLine(line);
      }
    },
    end() {
      if (pending.trim()) onLine(pending);
      pending = '';
    },
  };
}

/** The words for the run's data: the program's own arrays, as it built them. */
function validationKind(observed: ObservedFit | null): ReproSummary['data']['validation'] {
  if (!observed) return 'none';
  if (observed.validation) return 'program';
  return observed.fit.validationSplit ? 'split' : 'none';
}

/** The summary of a finished Keras run, judged by the same verdict as the TensorFlow.js engine. */
export function kerasSummary(done: KerasDone, context: { observed: ObservedFit | null; started: Extract<KerasEvent, { type: 'started' }> | null; firstNonFinite: NonFinitePoint | null; seed: number | null; file: string; python: string; totalMs: number; loadMs: number; layers: LayerStats[] }): ReproSummary {
  const loss = done.history.loss.map((l) => fromWire(l));
  const val = done.history.val_loss.map((l) => fromWire(l));
  const judged = judge(loss, val, context.firstNonFinite !== null, {
    meanPredictor: done.bounds.meanPredictor,
    outputFloor: done.bounds.outputFloor,
    outputRange: done.bounds.outputRange ? [fromWire(done.bounds.outputRange[0]), fromWire(done.bounds.outputRange[1])] : null,
    lossFloor: done.bounds.lossFloor,
    ...(done.bounds.bceTargetRange ? { bceTargetRange: done.bounds.bceTargetRange } : {}),
  });
  const { observed, started } = context;
  const versions = started ? `Keras ${started.keras}${started.tensorflow ? `, TensorFlow ${started.tensorflow}` : ''}, Python ${started.python}` : 'Keras';
  const notes = [`Trained by your own ${versions} (${context.python}), running ${basename(context.file)} itself up to its first fit.`, ...done.notes];
  if (done.shortenedTo !== null) notes.push(`Each epoch was cut to its first ${done.shortenedTo} batches (the step limit).`);
  return {
    version: 1,
    verdict: judged.verdict,
    explanation: context.firstNonFinite ? `${judged.explanation} ${context.firstNonFinite.detail}` : judged.explanation,
    backend: (started?.backend ?? 'tensorflow') as KerasBackendName,
    engine: 'keras',
    seed: context.seed ?? 0,
    firstNonFinite: context.firstNonFinite,
    history: done.history,
    data: { train: 'program', validation: validationKind(observed), notes: [] },
    timings: { totalMs: context.totalMs, loadMs: context.loadMs, trainMs: done.timings.trainMs, perEpochMs: done.timings.perEpochMs },
    model: { name: observed?.model.variable ?? observed?.model.name ?? 'model', source: context.file, parameters: observed?.model.parameters ?? 0 },
    epochsRun: done.epochsRun,
    epochsPlanned: done.epochsPlanned,
    stopped: done.stopped,
    bounds: { meanPredictor: done.bounds.meanPredictor, outputFloor: done.bounds.outputFloor, lossFloor: done.bounds.lossFloor },
    layers: done.layers.length > 0 ? done.layers : context.layers,
    notes,
  };
}

/** The last lines of the program's traceback, as the message shows them. */
function programErrorMessage(event: Extract<KerasEvent, { type: 'programError' }>, file: string): string {
  const where = event.at ? ` (${basename(event.at.file)}, line ${event.at.line})` : '';
  const when = event.phase === 'before-fit' ? 'before its first fit' : 'during fit';
  return `${basename(file)} raised ${event.exception} ${when}${where}: ${event.message}`;
}

/**
 * Runs `request.file` in the user's Python under the bootstrap. The promise resolves with the
 * summary (train mode, or observe mode with an empty history) and rejects with a
 * `KerasRunFailure` (the program raised, never fit, Keras is missing) or `ReproductionCancelled`.
 */
export function startKerasReproduction(request: Omit<KerasRunRequest, 'version'>, options: KerasStartOptions): KerasReproduction {
  const bootstrap = options.bootstrapPath ?? defaultBootstrapPath();
  const fullRequest: KerasRunRequest = { version: KERAS_EVENTS_VERSION, ...request };
  const startedAt = performance.now();
  const child = spawn(options.python, ['-u', bootstrap, JSON.stringify(fullRequest)], {
    cwd: dirname(request.file),
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    // A group of its own: cancel kills the program and whatever it started, in one signal.
    detached: process.platform !== 'win32',
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8', ...options.env },
    windowsHide: true,
  });

  let settled = false;
  let cancelRequested = false;
  let stderrTail = '';
  let started: Extract<KerasEvent, { type: 'started' }> | null = null;
  let observed: ObservedFit | null = null;
  let firstNonFinite: NonFinitePoint | null = null;
  let lastLayers: LayerStats[] = [];
  let loadMs = 0;
  let resolveObserved!: (o: ObservedFit | null) => void;
  const observedPromise = new Promise<ObservedFit | null>((resolve) => (resolveObserved = resolve));
  let resolveDone!: (s: ReproSummary) => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<ReproSummary>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined);

  const emit = (message: WorkerMessage): void => options.onEvent?.(message);
  /**
   * The bootstrap's last word came, but the program's stdout and stderr may still be on their way
   * (three pipes keep no order between them): wait for the process to close them, briefly, then
   * end it whatever it is doing.
   */
  let ending: ReproSummary | Error | undefined;
  const end = (result: ReproSummary | Error): void => {
    if (settled || ending) return;
    ending = result;
    setTimeout(() => finish(result), 2000).unref();
  };
  const finish = (result: ReproSummary | Error): void => {
    if (settled) return;
    settled = true;
    clearTimeout(wallTimer);
    killTree(child);
    resolveObserved(observed);
    if (result instanceof Error) {
      if (!(result instanceof ReproductionCancelled)) emit({ type: 'error', message: result.message });
      rejectDone(result);
    } else {
      emit({ type: 'done', summary: result });
      resolveDone(result);
    }
  };

  // The bootstrap stops itself at its time cap; this is the backstop for a program that holds the interpreter (a C call that never returns).
  const wallTimer = setTimeout(
    () => finish(new KerasRunFailure('wall-time', `${basename(request.file)} was still running after the time limit of ${request.caps.maxSeconds} s and was stopped`)),
    (request.caps.maxSeconds + 15) * 1000,
  );

  const onKerasEvent = (event: KerasEvent): void => {
    switch (event.type) {
      case 'started':
        if (event.version !== KERAS_EVENTS_VERSION) return finish(new KerasRunFailure('failed', `the Keras bootstrap speaks version ${event.version}, this nanguard ${KERAS_EVENTS_VERSION}`));
        started = event;
        loadMs = Math.round(performance.now() - startedAt);
        emit({ type: 'ready', backend: event.backend as KerasBackendName, engine: 'keras', parameters: 0, loadMs });
        return;
      case 'observed':
        observed = event;
        resolveObserved(event);
        options.onObserved?.(event);
        return;
      case 'batch':
        emit({ type: 'batch', epoch: event.epoch, batch: event.batch, batches: event.batches ?? 0, loss: event.loss });
        return;
      case 'epoch':
        if (event.layers) lastLayers = event.layers;
        emit({ type: 'epoch', epoch: event.epoch, loss: event.loss, valLoss: event.valLoss, layers: event.layers, elapsedMs: event.elapsedMs });
        return;
      case 'nonFinite':
        firstNonFinite = event.point;
        emit({ type: 'nonFinite', point: event.point });
        return;
      case 'done':
        // Stopped at the time cap before the first fit: nothing was trained, so there is no verdict to give.
        if (!observed && event.epochsRun === 0 && event.stopped === 'wall-time') {
          return end(new KerasRunFailure('wall-time', `${basename(request.file)} did not reach its first fit within the time limit of ${request.caps.maxSeconds} s and was stopped`));
        }
        return end(kerasSummary(event, { observed, started, firstNonFinite, seed: request.seed, file: request.file, python: options.python, totalMs: Math.round(performance.now() - startedAt), loadMs, layers: lastLayers }));
      case 'programError':
        return end(new KerasRunFailure('program-error', programErrorMessage(event, request.file), event.traceback));
      case 'noFit':
        return end(new KerasRunFailure('no-fit', `${basename(request.file)} ended without training a model: ${event.message}`));
      case 'missing':
        return end(
          new KerasRunFailure(
            'missing-keras',
            `the Python at ${event.executable} (${event.python}) cannot import ${event.module}: ${event.message}. Install it there (${event.executable} -m pip install tensorflow) or choose another interpreter.`,
          ),
        );
    }
  };

  const events = lineReader((line) => {
    let event: KerasEvent;
    try {
      event = JSON.parse(line) as KerasEvent;
    } catch {
      return; // Not an event: nothing else writes to this pipe, but a torn line must not end the run.
    }
    onKerasEvent(event);
  });
  const eventPipe = child.stdio[3] as NodeJS.ReadableStream | null;
  eventPipe?.setEncoding('utf8');
  eventPipe?.on('data', (chunk: string) => events.push(chunk));
  eventPipe?.on('end', () => events.end());
  const outputLines = (stream: 'stdout' | 'stderr') => lineReader((line) => options.onOutputLine?.(stream, line.replace(/\r$/, '')));
  const stdoutLines = outputLines('stdout');
  const stderrLines = outputLines('stderr');
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    options.onOutput?.('stdout', chunk);
    stdoutLines.push(chunk);
  });
  child.stdout?.on('end', () => stdoutLines.end());
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-8192);
    options.onOutput?.('stderr', chunk);
    stderrLines.push(chunk);
  });
  child.stderr?.on('end', () => stderrLines.end());

  child.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') finish(new KerasRunFailure('python-not-found', `no Python interpreter at '${options.python}': choose one with a Keras installation (--python PATH, or nanguard.python.interpreter in the editor)`));
    else finish(new KerasRunFailure('failed', `could not start ${options.python}: ${error.message}`));
  });
  child.on('close', (code, signal) => {
    events.end();
    if (settled) return;
    if (ending) return finish(ending);
    if (cancelRequested) return finish(new ReproductionCancelled());
    const tail = stderrTail
      .split('\n')
      .filter((l) => l.trim())
      .slice(-4)
      .join('\n');
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    finish(new KerasRunFailure('failed', `the Python process ${how} before finishing${tail ? `:\n${tail}` : ''}`));
  });

  return {
    pid: child.pid,
    done,
    observed: observedPromise,
    cancel() {
      if (settled || cancelRequested) return;
      cancelRequested = true;
      finish(new ReproductionCancelled());
    },
  };
}
