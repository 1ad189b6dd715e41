/**
 * Runs the analysis in one long-lived worker thread (`analysisWorker.ts`, bundled as
 * `dist/analysis-worker.js`) and answers its file reads with a host on this thread.
 *
 * Nothing the worker does can wedge the caller:
 * - a request has a deadline; past it the worker is terminated, the request resolves with a
 *   problem saying so, the other requests it held are sent again to a fresh worker;
 * - a request whose signal aborts (its document changed) is dropped at once, and a worker
 *   still busy with it after a short grace is restarted the same way;
 * - a worker that dies rejects the requests in flight with a clear error; the next request
 *   starts a fresh worker.
 * Pure Node: no editor API.
 */
import type { ObservedFit } from '../core/observed';
import { Worker } from 'node:worker_threads';
import type { AnalysisHost } from '../core/host';
import type { CheckResult } from '../core/index';
import type { FileAnalysis } from '../core/ir';
import { formatSeconds } from '../core/numberFormat';
import type { Settings } from '../core/settings';
import type { FromWorker, HostCall, ToWorker } from './protocol';

const TEXT_CHUNK_CHARS = 256 * 1024;

/** Deadline of one analysis when neither the client nor the request sets one. */
export const DEFAULT_ANALYSIS_TIMEOUT_MS = 30_000;
/** How long a cancelled request may keep the worker busy before the worker is restarted. */
export const DEFAULT_CANCEL_GRACE_MS = 1000;

export interface CheckOptions {
  /** This request's deadline (default: the client's). */
  timeoutMs?: number;
  /** Aborting drops the request: it rejects with an `AbortError`, and its result is never used. */
  signal?: AbortSignal;
  /** Facts observed at the program's first fit (`check --observe`), for the rules to use. */
  observed?: ObservedFit;
}

export interface AnalysisClient {
  /** Resolves once a worker has loaded; rejects if it cannot start. */
  ready(): Promise<void>;
  /**
   * `checkFile` in the worker; `host` (default: the client's) answers the reads for this request.
   * Past its deadline it resolves with no findings and a problem naming the deadline.
   */
  check(path: string, text: string, settings: Settings, host?: AnalysisHost, options?: CheckOptions): Promise<CheckResult>;
  dispose(): void;
}

export interface AnalysisClientOptions {
  /** Passed to the Worker (e.g. a loader for running the entry from TypeScript sources). */
  execArgv?: string[];
  /** Deadline of each request, counted from when the worker is ready for it. */
  timeoutMs?: number;
  /** How long a cancelled request may keep the worker busy before the worker is restarted. */
  cancelGraceMs?: number;
}

export interface AnalysisClientTestHooks {
  /** The worker exits at once, as a crash would. */
  crashForTest(): void;
  /** The worker's thread blocks for `ms`, as a runaway analysis would. */
  stallForTest(ms: number): void;
  /** Workers started so far (restarts included). */
  workersStarted(): number;
}

interface Request {
  id: number;
  path: string;
  text: string;
  settings: Settings;
  host: AnalysisHost;
  observed?: ObservedFit;
  timeoutMs: number;
  resolve: (result: CheckResult) => void;
  reject: (error: Error) => void;
  /** The deadline of the current attempt. */
  timer?: ReturnType<typeof setTimeout>;
  /** A result arriving in parts. */
  assembling?: { result: CheckResult; remaining: number };
  /** Stops listening to the caller's signal. */
  detach: () => void;
}

interface Running {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Request>;
  /** Cancelled requests the worker may still be busy with -> the grace timer. */
  cancelled: Map<number, ReturnType<typeof setTimeout>>;
  /** Terminated on purpose: its exit reports nothing. */
  retired: boolean;
}

function languageOf(path: string): FileAnalysis['language'] {
  const lower = path.toLowerCase();
  if (lower.endsWith('.ipynb')) return 'notebook';
  if (lower.endsWith('.py') || lower.endsWith('.pyw')) return 'python';
  return 'unknown';
}

const stoppedResults = new WeakSet<CheckResult>();

/** Whether a result is the one of a request stopped at its deadline (a caller may keep its last good result). */
export function wasStopped(result: CheckResult): boolean {
  return stoppedResults.has(result);
}

/** What a request past its deadline resolves with: nothing found, and why. */
export function stoppedResult(path: string, timeoutMs: number): CheckResult {
  const result: CheckResult = {
    analysis: {
      path,
      language: languageOf(path),
      models: [],
      problems: [{ severity: 'warning', message: `analysis of ${path} took longer than ${formatSeconds(timeoutMs)} and was stopped` }],
      suppressions: [],
    },
    findings: [],
  };
  stoppedResults.add(result);
  return result;
}

function abortError(path: string): Error {
  const error = new Error(`the analysis of ${path} was cancelled`);
  error.name = 'AbortError';
  return error;
}

export function createAnalysisClient(workerPath: string, host: AnalysisHost, options: AnalysisClientOptions = {}): AnalysisClient & AnalysisClientTestHooks {
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS;
  const cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  let running: Running | undefined;
  let nextId = 1;
  let disposed = false;
  let started = 0;

  const post = (run: Running, message: ToWorker): void => {
    try {
      run.worker.postMessage(message);
    } catch {
      // The worker has gone; its exit handler reports the requests.
    }
  };

  const finish = (run: Running, request: Request): void => {
    run.pending.delete(request.id);
    clearTimeout(request.timer);
    request.detach();
  };

  /** Leaves a worker that will not answer in time: it is terminated, the requests it held go to a fresh one. */
  const restart = (run: Running): void => {
    if (run.retired) return;
    run.retired = true;
    if (running === run) running = undefined;
    for (const timer of run.cancelled.values()) clearTimeout(timer);
    run.cancelled.clear();
    const others = [...run.pending.values()];
    run.pending.clear();
    void run.worker.terminate();
    for (const request of others) {
      clearTimeout(request.timer);
      request.assembling = undefined;
      if (!disposed) dispatch(request);
      else request.reject(new Error(`the analysis client was disposed while analysing ${request.path}`));
    }
  };

  const start = (): Running => {
    started++;
    const worker = new Worker(workerPath, { execArgv: options.execArgv });
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // Nobody may be waiting on `ready`; a start failure is reported through the requests too.
    ready.catch(() => undefined);
    const self: Running = { worker, ready, pending: new Map(), cancelled: new Map(), retired: false };
    let loaded = false;
    let lastError: Error | undefined;

    const released = (id: number): void => {
      const grace = self.cancelled.get(id);
      if (grace === undefined) return;
      clearTimeout(grace);
      self.cancelled.delete(id);
    };

    worker.on('message', (message: FromWorker) => {
      if (self.retired) return;
      switch (message.type) {
        case 'ready':
          loaded = true;
          markReady();
          break;
        case 'cancelled':
          released(message.id);
          break;
        case 'result': {
          const request = self.pending.get(message.id);
          // A cancelled request's result that crossed the cancel: the worker answers the cancel too.
          if (!request) break;
          if (message.result && message.parts) {
            request.assembling = { result: message.result, remaining: message.parts };
            askNextPart(self, message.id);
            break;
          }
          finish(self, request);
          if (message.result) request.resolve(message.result);
          else request.reject(new Error(`analysis of ${request.path} failed in the analysis worker: ${message.error ?? 'no result'}`));
          break;
        }
        case 'resultPart': {
          const request = self.pending.get(message.id);
          const assembling = request?.assembling;
          if (!request || !assembling) break;
          for (const model of message.models) assembling.result.analysis.models.push(model);
          for (const finding of message.findings) assembling.result.findings.push(finding);
          if (--assembling.remaining > 0) {
            askNextPart(self, message.id);
            break;
          }
          finish(self, request);
          request.resolve(assembling.result);
          break;
        }
        case 'hostCall':
          void answerHostCall(worker, self.pending.get(message.requestId)?.host ?? host, message);
          break;
      }
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      if (running === self) running = undefined;
      if (self.retired) return;
      self.retired = true;
      for (const timer of self.cancelled.values()) clearTimeout(timer);
      self.cancelled.clear();
      const cause = lastError ? `: ${lastError.message}` : '';
      const reason = loaded
        ? `the analysis worker stopped (exit code ${code}${cause})`
        : `the analysis worker could not start (${workerPath}, exit code ${code}${cause})`;
      failStart(new Error(reason));
      const requests = [...self.pending.values()];
      self.pending.clear();
      for (const request of requests) {
        clearTimeout(request.timer);
        request.detach();
        request.reject(new Error(`${reason} while analysing ${request.path}; the next analysis starts a new worker`));
      }
    });
    return self;
  };

  const current = (): Running => {
    if (disposed) throw new Error('the analysis client is disposed');
    running ??= start();
    return running;
  };

  /** Sends a request to the current worker; its deadline runs from when the worker is ready. */
  const dispatch = (request: Request): void => {
    let run: Running;
    try {
      run = current();
    } catch (err) {
      request.detach();
      request.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    run.pending.set(request.id, request);
    void run.ready.then(
      () => {
        if (run.pending.get(request.id) !== request) return;
        request.timer = setTimeout(() => {
          if (run.pending.get(request.id) !== request) return;
          finish(run, request);
          request.resolve(stoppedResult(request.path, request.timeoutMs));
          restart(run);
        }, request.timeoutMs);
      },
      () => undefined,
    );
    const { id, path, text, settings, observed } = request;
    const hasReadBytes = typeof request.host.readBytes === 'function';
    if (text.length <= TEXT_CHUNK_CHARS) {
      post(run, { type: 'check', id, path, text, settings, hasReadBytes, ...(observed ? { observed } : {}) });
      return;
    }
    const chunkCount = Math.ceil(text.length / TEXT_CHUNK_CHARS);
    post(run, { type: 'check', id, path, text: '', settings, hasReadBytes, chunkCount, ...(observed ? { observed } : {}) });
    void sendChunks(run, id, text);
  };

  /** The caller no longer wants the request: drop it now, restart the worker if it stays busy with it. */
  const cancel = (request: Request): void => {
    const run = running?.pending.get(request.id) === request ? running : undefined;
    if (!run) return;
    finish(run, request);
    request.reject(abortError(request.path));
    post(run, { type: 'cancel', id: request.id });
    run.cancelled.set(
      request.id,
      setTimeout(() => {
        if (run.cancelled.has(request.id)) restart(run);
      }, cancelGraceMs),
    );
  };

  return {
    ready: () => {
      try {
        return current().ready;
      } catch (err) {
        return Promise.reject(err);
      }
    },
    check(path, text, settings, requestHost = host, checkOptions = {}) {
      return new Promise<CheckResult>((resolve, reject) => {
        const { signal } = checkOptions;
        if (signal?.aborted) {
          reject(abortError(path));
          return;
        }
        const request: Request = {
          id: nextId++,
          path,
          text,
          settings,
          host: requestHost,
          ...(checkOptions.observed ? { observed: checkOptions.observed } : {}),
          timeoutMs: Math.max(1, checkOptions.timeoutMs ?? defaultTimeoutMs),
          resolve,
          reject,
          detach: () => undefined,
        };
        if (signal) {
          const onAbort = (): void => cancel(request);
          signal.addEventListener('abort', onAbort, { once: true });
          request.detach = () => signal.removeEventListener('abort', onAbort);
        }
        dispatch(request);
      });
    },
    crashForTest() {
      if (running) post(running, { type: 'crashForTest' });
    },
    stallForTest(ms) {
      post(current(), { type: 'stallForTest', ms });
    },
    workersStarted: () => started,
    dispose() {
      disposed = true;
      const run = running;
      running = undefined;
      if (!run) return;
      run.retired = true;
      for (const timer of run.cancelled.values()) clearTimeout(timer);
      run.cancelled.clear();
      for (const request of run.pending.values()) {
        clearTimeout(request.timer);
        request.detach();
        request.reject(new Error(`the analysis client was disposed while analysing ${request.path}`));
      }
      run.pending.clear();
      void run.worker.terminate();
    },
  };
}

/**
 * Sends a long text in slices, letting the event loop run between them: one 10 MB message
 * holds this thread for about 100 ms, a 256 K-character slice for a few.
 */
async function sendChunks(run: Running, id: number, text: string): Promise<void> {
  for (let start = 0; start < text.length; start += TEXT_CHUNK_CHARS) {
    if (!run.pending.has(id) || run.retired) return;
    try {
      run.worker.postMessage({ type: 'textChunk', id, text: text.slice(start, start + TEXT_CHUNK_CHARS) } satisfies ToWorker);
    } catch {
      return; // The worker has gone; its exit handler reports the request.
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Asks for the next part of a result once the event loop has run (other work goes first). */
function askNextPart(run: Running, id: number): void {
  setImmediate(() => {
    if (!run.pending.has(id) || run.retired) return;
    try {
      run.worker.postMessage({ type: 'nextPart', id } satisfies ToWorker);
    } catch {
      // The worker has gone; its exit handler reports the request.
    }
  });
}

/** Answers one read the worker asked for; a host that throws answers "unavailable". */
async function answerHostCall(worker: Worker, host: AnalysisHost, call: HostCall): Promise<void> {
  let reply: ToWorker;
  try {
    const value =
      call.method === 'readText'
        ? await host.readText(call.relativePath, call.fromPath)
        : await host.readBytes?.(call.relativePath, call.fromPath, call.range);
    reply = { type: 'hostReply', callId: call.callId, value };
  } catch (err) {
    reply = { type: 'hostReply', callId: call.callId, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    worker.postMessage(reply);
  } catch {
    // The worker has gone; its exit handler reports the request.
  }
}
