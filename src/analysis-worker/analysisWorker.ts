/**
 * Worker-thread entry: runs `checkFile` off the editor's thread, so a large document never
 * freezes the editor. File reads go back to the client's host by message.
 */
import { parentPort } from 'node:worker_threads';
import type { AnalysisHost, BytesRead } from '../core/host';
import { checkFile } from '../core/index';
import type { CheckResult } from '../core/index';
import { boundedValue } from './boundedValue';
import type { CheckRequest, FromWorker, HostCall, ResultPart, ToWorker } from './protocol';

/** Levels a message keeps when its full copy fails: the IR's own nesting plus the values' 64. */
const MAX_MESSAGE_DEPTH = 96;

/** Sized so that decoding one part takes the receiving thread a few milliseconds. */
const MODELS_PER_PART = 16;
const FINDINGS_PER_PART = 200;

type HostCallBody = HostCall extends infer C ? (C extends HostCall ? Omit<C, 'type' | 'callId'> : never) : never;

const port = parentPort;
if (port) {
  let nextCallId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void }>();
  /**
   * A message whose copy fails (a value nested thousands of levels deep overflows
   * `structuredClone`) goes again with its values cut at {@link MAX_MESSAGE_DEPTH} levels.
   */
  const send = (message: FromWorker): void => {
    try {
      port.postMessage(message);
    } catch {
      port.postMessage(boundedValue(message, MAX_MESSAGE_DEPTH));
    }
  };

  /** A host read answered by the client; a failed read is an unavailable file, as for any host. */
  const callHost = (body: HostCallBody): Promise<unknown> =>
    new Promise((resolve) => {
      const callId = nextCallId++;
      waiting.set(callId, { resolve });
      send({ type: 'hostCall', callId, ...body } as HostCall);
    });

  const hostFor = (request: CheckRequest): AnalysisHost => {
    const host: AnalysisHost = {
      readText: async (relativePath, fromPath) =>
        (await callHost({ requestId: request.id, method: 'readText', relativePath, fromPath })) as { path: string; text: string } | undefined,
    };
    if (request.hasReadBytes) {
      host.readBytes = async (relativePath, fromPath, range) =>
        (await callHost({ requestId: request.id, method: 'readBytes', relativePath, fromPath, range })) as BytesRead | undefined;
    }
    return host;
  };

  /** Parts of large results not yet asked for, by request id. */
  const unsent = new Map<number, ResultPart[]>();

  const sendResult = (id: number, result: CheckResult): void => {
    const { models } = result.analysis;
    const { findings } = result;
    const parts = Math.max(Math.ceil(models.length / MODELS_PER_PART), Math.ceil(findings.length / FINDINGS_PER_PART));
    if (parts <= 1) {
      send({ type: 'result', id, result });
      return;
    }
    const queue: ResultPart[] = [];
    for (let i = 0; i < parts; i++) {
      queue.push({
        type: 'resultPart',
        id,
        models: models.slice(i * MODELS_PER_PART, (i + 1) * MODELS_PER_PART),
        findings: findings.slice(i * FINDINGS_PER_PART, (i + 1) * FINDINGS_PER_PART),
      });
    }
    unsent.set(id, queue);
    send({ type: 'result', id, result: { analysis: { ...result.analysis, models: [] }, findings: [] }, parts });
  };

  /** Requests the client cancelled while their analysis was running. */
  const cancelled = new Set<number>();
  /** Requests whose analysis is running. */
  const running = new Set<number>();

  const check = async (request: CheckRequest): Promise<void> => {
    running.add(request.id);
    try {
      const result = await checkFile(request.path, request.text, hostFor(request), request.settings, request.observed ? { observed: request.observed } : undefined);
      if (!cancelled.has(request.id)) sendResult(request.id, result);
    } catch (err) {
      if (!cancelled.has(request.id)) send({ type: 'result', id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    } finally {
      running.delete(request.id);
      if (cancelled.delete(request.id)) send({ type: 'cancelled', id: request.id });
    }
  };

  /** Requests whose text is still arriving in chunks. */
  const assembling = new Map<number, { request: CheckRequest; chunks: string[] }>();

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'check':
        if (message.chunkCount) assembling.set(message.id, { request: message, chunks: [] });
        else void check(message);
        break;
      case 'textChunk': {
        const partial = assembling.get(message.id);
        if (!partial) break;
        partial.chunks.push(message.text);
        if (partial.chunks.length === partial.request.chunkCount) {
          assembling.delete(message.id);
          void check({ ...partial.request, text: partial.chunks.join('') });
        }
        break;
      }
      case 'hostReply': {
        const call = waiting.get(message.callId);
        waiting.delete(message.callId);
        call?.resolve(message.error === undefined ? message.value : undefined);
        break;
      }
      case 'nextPart': {
        const queue = unsent.get(message.id);
        const part = queue?.shift();
        if (queue && queue.length === 0) unsent.delete(message.id);
        if (part) send(part);
        break;
      }
      case 'cancel':
        unsent.delete(message.id);
        assembling.delete(message.id);
        if (running.has(message.id)) cancelled.add(message.id);
        else send({ type: 'cancelled', id: message.id });
        break;
      case 'crashForTest':
        process.exit(70);
        break;
      case 'stallForTest':
        // Blocks this thread as a runaway analysis would: no message is handled meanwhile.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, message.ms);
        break;
    }
  });
  send({ type: 'ready' });
}
