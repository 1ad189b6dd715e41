/**
 * Runs the analysis in one long-lived worker thread (`analysisWorker.ts`, bundled as
 * `dist/analysis-worker.js`) and answers its file reads with a host on this thread.
 * A worker that dies rejects the requests in flight with a clear error; the next request
 * starts a fresh worker. Pure Node: no editor API.
 */
import { Worker } from 'node:worker_threads';
import type { AnalysisHost } from '../host';
import type { CheckResult } from '../index';
import type { Settings } from '../settings';
import type { FromWorker, HostCall, ToWorker } from './protocol';

const TEXT_CHUNK_CHARS = 256 * 1024;

export interface AnalysisClient {
  /** Resolves once a worker has loaded; rejects if it cannot start. */
  ready(): Promise<void>;
  /** `checkFile` in the worker; `host` (default: the client's) answers the reads for this request. */
  check(path: string, text: string, settings: Settings, host?: AnalysisHost): Promise<CheckResult>;
  dispose(): void;
}

export interface AnalysisClientOptions {
  /** Passed to the Worker (e.g. a loader for running the entry from TypeScript sources). */
  execArgv?: string[];
}

interface Pending {
  path: string;
  host: AnalysisHost;
  resolve: (result: CheckResult) => void;
  reject: (error: Error) => void;
  /** A result arriving in parts. */
  assembling?: { result: CheckResult; remaining: number };
}

interface Running {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
}

export function createAnalysisClient(workerPath: string, host: AnalysisHost, options: AnalysisClientOptions = {}): AnalysisClient & { crashForTest(): void } {
  let running: Running | undefined;
  let nextId = 1;
  let disposed = false;

  const start = (): Running => {
    const worker = new Worker(workerPath, { execArgv: options.execArgv });
    const pending = new Map<number, Pending>();
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // Nobody may be waiting on `ready`; a start failure is reported through the requests too.
    ready.catch(() => undefined);
    const self: Running = { worker, ready, pending };
    let started = false;
    let lastError: Error | undefined;

    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          started = true;
          markReady();
          break;
        case 'result': {
          const request = pending.get(message.id);
          if (!request) break;
          if (message.result && message.parts) {
            request.assembling = { result: message.result, remaining: message.parts };
            askNextPart(self, message.id);
            break;
          }
          pending.delete(message.id);
          if (message.result) request.resolve(message.result);
          else request.reject(new Error(`analysis of ${request.path} failed in the analysis worker: ${message.error ?? 'no result'}`));
          break;
        }
        case 'resultPart': {
          const request = pending.get(message.id);
          const assembling = request?.assembling;
          if (!request || !assembling) break;
          for (const model of message.models) assembling.result.analysis.models.push(model);
          for (const finding of message.findings) assembling.result.findings.push(finding);
          if (--assembling.remaining > 0) {
            askNextPart(self, message.id);
            break;
          }
          pending.delete(message.id);
          request.resolve(assembling.result);
          break;
        }
        case 'hostCall':
          void answerHostCall(worker, pending.get(message.requestId)?.host ?? host, message);
          break;
      }
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      if (running === self) running = undefined;
      const cause = lastError ? `: ${lastError.message}` : '';
      const reason = started
        ? `the analysis worker stopped (exit code ${code}${cause})`
        : `the analysis worker could not start (${workerPath}, exit code ${code}${cause})`;
      failStart(new Error(reason));
      for (const request of pending.values()) {
        request.reject(new Error(`${reason} while analysing ${request.path}; the next analysis starts a new worker`));
      }
      pending.clear();
    });
    return self;
  };

  const current = (): Running => {
    if (disposed) throw new Error('the analysis client is disposed');
    running ??= start();
    return running;
  };

  return {
    ready: () => {
      try {
        return current().ready;
      } catch (err) {
        return Promise.reject(err);
      }
    },
    check(path, text, settings, requestHost = host) {
      return new Promise<CheckResult>((resolve, reject) => {
        let run: Running;
        try {
          run = current();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        const id = nextId++;
        run.pending.set(id, { path, host: requestHost, resolve, reject });
        const hasReadBytes = typeof requestHost.readBytes === 'function';
        if (text.length <= TEXT_CHUNK_CHARS) {
          run.worker.postMessage({ type: 'check', id, path, text, settings, hasReadBytes } satisfies ToWorker);
          return;
        }
        const chunkCount = Math.ceil(text.length / TEXT_CHUNK_CHARS);
        run.worker.postMessage({ type: 'check', id, path, text: '', settings, hasReadBytes, chunkCount } satisfies ToWorker);
        void sendChunks(run, id, text);
      });
    },
    crashForTest() {
      running?.worker.postMessage({ type: 'crashForTest' } satisfies ToWorker);
    },
    dispose() {
      disposed = true;
      const run = running;
      running = undefined;
      if (!run) return;
      for (const request of run.pending.values()) request.reject(new Error(`the analysis client was disposed while analysing ${request.path}`));
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
    if (!run.pending.has(id)) return;
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
    if (!run.pending.has(id)) return;
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
