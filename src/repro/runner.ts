/**
 * Starting and stopping reproductions from the host side (CLI, extension). This module
 * never loads TensorFlow.js: it forks the worker (`dist/worker.js`, or `worker.ts` through
 * tsx when running from sources) and relays its messages.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReproPlan } from './plan';
import { type BackendChoice, type HostMessage, planToWire, type WorkerMessage } from './protocol';
import type { SeedsRequest } from './seeds';
import type { ReproSummary } from './summary';
import { unpackEnvelope, type WorkerEnvelope } from './workerEnvelope';
import { CODE_CACHE_ENV, codeCacheFolder, WORKER_LOADER } from './workerLoader';

export interface StartOptions {
  /** Every message from the worker, in order (`done` and `error` included). */
  onEvent?: (message: WorkerMessage) => void;
  /** The worker script: a bundled `.js`, or a `.ts` run through tsx. Default: beside this module. */
  workerPath?: string;
  backend?: BackendChoice;
  /** How long cancel waits for the worker to stop before killing it. */
  cancelGraceMs?: number;
  /**
   * A worker forked ahead of time with `forkWorker` (TensorFlow.js already loaded), so the first
   * epoch comes sooner. Used only if still connected and forked with at least the plan's memory limit.
   */
  warmWorker?: WarmWorker;
  /** A folder holding an installed `@tensorflow/tfjs-node` for the native backend (default: `NANGUARD_TFJS_NODE`, else beside nanguard). */
  nativeFolder?: string;
  /** Where the bundled worker keeps its V8 code cache (default: a private folder under the OS temporary folder); false: none. */
  codeCacheDir?: string | false;
  /** Train several seeds (plan.seed, plan.seed + 1, ...) in the one worker; `done` then gives the combined summary (seeds.ts). */
  seeds?: SeedsRequest;
}

/** A worker process forked before it has a plan, idle until `startReproduction` sends one. */
export interface WarmWorker {
  child: ChildProcess;
  workerPath: string;
  maxWorkerMemoryMb: number;
}

/**
 * The worker's environment: the host's, less what only slows its start. Node reads and parses
 * every certificate of NODE_EXTRA_CA_CERTS (often the system's whole bundle, set for a proxy) as
 * it starts, 70 ms of a 300 ms reproduction on a machine measured; the worker opens no connection.
 */
export function workerEnvironment(host: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...host, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

function forkChild(workerPath: string, maxWorkerMemoryMb: number, codeCacheDir: string | false | undefined): ChildProcess {
  const memory = `--max-old-space-size=${Math.max(64, Math.round(maxWorkerMemoryMb))}`;
  if (workerPath.endsWith('.ts')) return fork(workerPath, [], { execArgv: [...tsxImport(), memory], env: workerEnvironment(process.env), stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  // The bundle through the code-cache loader (`node -e LOADER worker.js`): it starts several times faster once cached.
  const cacheDir = codeCacheDir === false ? null : codeCacheFolder(codeCacheDir);
  const execArgv = cacheDir ? [memory, '-e', WORKER_LOADER] : [memory];
  const env = workerEnvironment(process.env, cacheDir ? { [CODE_CACHE_ENV]: cacheDir } : {});
  return fork(workerPath, [], { execArgv, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
}

/** Forks a worker now, to be handed to `startReproduction` later (it loads TensorFlow.js meanwhile). */
export function forkWorker(maxWorkerMemoryMb: number, workerPath: string = defaultWorkerPath(), codeCacheDir?: string | false): WarmWorker {
  const child = forkChild(workerPath, maxWorkerMemoryMb, codeCacheDir);
  // Until a run adopts it, its stderr is not read: drain it so a chatty worker cannot block.
  child.stderr?.resume();
  return { child, workerPath, maxWorkerMemoryMb };
}

function usable(warm: WarmWorker | undefined, workerPath: string, plan: ReproPlan): warm is WarmWorker {
  const c = warm?.child;
  return !!warm && !!c && c.connected && c.exitCode === null && c.signalCode === null && warm.workerPath === workerPath && warm.maxWorkerMemoryMb >= plan.caps.maxWorkerMemoryMb;
}

export interface Reproduction {
  /** Stops the run: the worker is asked, then killed if it has not exited within the grace period. */
  cancel(): void;
  /** The summary; rejects with a clear message when the worker fails, crashes or runs out of memory, and with `ReproductionCancelled` on cancel. */
  done: Promise<ReproSummary>;
  /** The worker's process id. */
  pid: number | undefined;
}

export class ReproductionCancelled extends Error {
  constructor() {
    super('the reproduction was cancelled');
    this.name = 'ReproductionCancelled';
  }
}

export function defaultWorkerPath(): string {
  for (const candidate of [join(__dirname, 'worker.js'), join(__dirname, 'worker.ts'), join(__dirname, '..', '..', 'dist', 'worker.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  return join(__dirname, 'worker.js');
}

function tsxImport(): string[] {
  try {
    return ['--import', pathToFileURL(require.resolve('tsx')).href];
  } catch {
    return ['--import', 'tsx'];
  }
}

/** Lines of the worker's stderr worth showing (the WebAssembly glue dumps its whole source on a crash). */
function readableTail(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && l.length < 400 && !/^=+$/.test(l.trim()) && !l.includes('tfjs-node for more details') && !l.startsWith('Hi, looks like'))
    .slice(-6)
    .join('\n');
}

export function startReproduction(plan: ReproPlan, options: StartOptions = {}): Reproduction {
  const workerPath = options.workerPath ?? defaultWorkerPath();
  const warm = usable(options.warmWorker, workerPath, plan);
  const child: ChildProcess = warm ? options.warmWorker!.child : forkChild(workerPath, plan.caps.maxWorkerMemoryMb, options.codeCacheDir);
  if (!warm && options.warmWorker && options.warmWorker.child.exitCode === null) options.warmWorker.child.kill();
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-65536);
  });

  let settled = false;
  let cancelRequested = false;
  let resolveDone!: (s: ReproSummary) => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<ReproSummary>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // A caller that only cancels should not see an unhandled rejection.
  done.catch(() => undefined);

  const finish = (result: ReproSummary | Error): void => {
    if (settled) return;
    settled = true;
    clearTimeout(wallTimer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (result instanceof Error) rejectDone(result);
    else resolveDone(result);
  };

  // The worker stops itself at the wall-time cap; this is the backstop when it cannot.
  const wallTimer = setTimeout(() => finish(new Error(`the reproduction exceeded the wall-time limit of ${Math.round(plan.caps.maxWallMs / 1000)} s (maxWallMs) and was stopped`)), plan.caps.maxWallMs + 15_000);

  child.on('message', (envelope: WorkerEnvelope) => {
    for (const message of unpackEnvelope(envelope)) {
      options.onEvent?.(message);
      if (message.type === 'done') finish(cancelRequested ? new ReproductionCancelled() : message.summary);
      else if (message.type === 'error') finish(new Error(`the reproduction failed: ${message.message}`, message.detail ? { cause: message.detail } : undefined));
    }
  });
  child.on('error', (error) => finish(new Error(`the reproduction worker could not start: ${error.message}`)));
  // 'close', not 'exit': 'exit' can come before the last of stderr (V8's out-of-memory line) is read.
  child.on('close', (code, signal) => {
    if (settled) return;
    if (cancelRequested) return finish(new ReproductionCancelled());
    const tail = readableTail(stderr);
    if (/heap out of memory|Allocation failed|Out of memory|OOM/i.test(stderr)) {
      return finish(new Error(`the reproduction ran out of memory (worker limit ${plan.caps.maxWorkerMemoryMb} MB, maxWorkerMemoryMb)`));
    }
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    finish(new Error(`the reproduction worker ${how} before finishing${tail ? `:\n${tail}` : ''}`));
  });

  const start: HostMessage = { type: 'start', plan: planToWire(plan), backend: options.backend ?? 'auto', ...(warm ? { warm: true } : {}), ...(options.nativeFolder ? { nativeFolder: options.nativeFolder } : {}), ...(options.seeds ? { seeds: options.seeds } : {}) };
  child.send(start);

  return {
    pid: child.pid,
    done,
    cancel() {
      if (settled || cancelRequested) return;
      cancelRequested = true;
      if (child.connected) child.send({ type: 'cancel' });
      setTimeout(() => finish(new ReproductionCancelled()), options.cancelGraceMs ?? 200).unref();
    },
  };
}
