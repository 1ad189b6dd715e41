/**
 * The reproduction worker: a child process (never the extension host or the CLI's main
 * thread) that loads TensorFlow.js, trains the plan it is sent and reports through
 * `process.send` with the messages of `protocol.ts`.
 */
import { runSeeds } from './engine/multiSeed';
import { describeFailure } from './engine/errors';
import { runReproduction } from './engine/train';
import { type HostMessage, planFromWire, type WorkerMessage } from './protocol';
import { type WorkerEnvelope, WORKER_MESSAGES_FLUSH_MS } from './workerEnvelope';
import { WRITE_CODE_CACHE } from './workerLoader';

let cancelled = false;
let started = false;

/**
 * Progress (epochs, batches) goes out in groups at most every WORKER_MESSAGES_FLUSH_MS:
 * each IPC write wakes the host, and on a busy machine a write per epoch of a small model
 * costs the worker more than the epoch. Everything else goes out at once, after what waits.
 */
let waiting: WorkerMessage[] = [];
let lastFlush = 0;
let flushTimer: NodeJS.Timeout | undefined;

/** `sent`: called once the envelope has been handed to the IPC channel (or at once when nothing was sent). */
function flush(sent?: () => void): void {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  lastFlush = performance.now();
  if (waiting.length === 0 || !process.connected || !process.send) {
    waiting = [];
    sent?.();
    return;
  }
  const envelope: WorkerEnvelope = waiting.length === 1 ? waiting[0] : { type: 'messages', messages: waiting };
  waiting = [];
  process.send(envelope, undefined, {}, () => sent?.());
}

/**
 * Sends the last message and leaves once it is written: a long history makes a large summary,
 * and leaving on a fixed timer could cut it off ("exited before finishing"). The host usually
 * kills the worker first, on the message; the timer is the backstop if the channel stalls.
 */
function sendLastAndExit(message: WorkerMessage, code: number): void {
  waiting.push(message);
  const backstop = setTimeout(() => process.exit(code), 10_000);
  flush(() => {
    clearTimeout(backstop);
    process.exit(code);
  });
}

function send(message: WorkerMessage): void {
  waiting.push(message);
  const progress = message.type === 'epoch' || message.type === 'batch';
  if (!progress || performance.now() - lastFlush >= WORKER_MESSAGES_FLUSH_MS) flush();
  else flushTimer ??= setTimeout(flush, WORKER_MESSAGES_FLUSH_MS);
}

function fail(error: unknown): void {
  // A sentence for the user; TensorFlow.js's raw text only as the detail, for the log.
  const { message, detail } = describeFailure(error);
  if (detail) process.stderr.write(`nanguard worker: ${detail}\n`);
  sendLastAndExit(detail ? { type: 'error', message, detail } : { type: 'error', message }, 1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
process.on('disconnect', () => process.exit(0));

// A host killed outright (SIGKILL, a command-line timeout) leaves this process to the system: the
// 'disconnect' event waits for an event-loop turn that a training loop may not give for minutes,
// while process.ppid asks the system each time. The loop polls `cancelled` at every batch.
const parentPid = process.ppid;
const orphaned = (): boolean => process.ppid !== parentPid;

process.on('message', (message: HostMessage) => {
  if (message.type === 'cancel') {
    cancelled = true;
    return;
  }
  if (message.type !== 'start' || started) return;
  started = true;
  // performance.now() counts from process start, so timings include loading TensorFlow.js;
  // a worker forked ahead of time (warm) counts from now, as it idled until this message.
  const hooks = { emit: send, cancelled: () => cancelled || orphaned() };
  const startedAt = message.warm ? performance.now() : 0;
  const options = { nativeFolder: message.nativeFolder };
  // Several seeds: one after the other in this process, TensorFlow.js loaded once.
  const plan = planFromWire(message.plan);
  (message.seeds ? runSeeds(plan, message.backend, hooks, startedAt, message.seeds, options) : runReproduction(plan, message.backend, hooks, startedAt, options))
    .then((summary) => {
      const cpu = process.cpuUsage();
      summary.timings.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
      // First run of this bundle (or V8 rejected the cache): everything a run needs is compiled now; the host kills the worker on 'done'.
      const writeCodeCache = (globalThis as Record<string, unknown>)[WRITE_CODE_CACHE];
      if (typeof writeCodeCache === 'function') writeCodeCache();
      sendLastAndExit({ type: 'done', summary }, 0);
    })
    .catch(fail);
});
