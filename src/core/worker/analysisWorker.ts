/**
 * Worker-thread entry: runs `checkFile` off the editor's thread, so a large document never
 * freezes the editor. File reads go back to the client's host by message.
 */
import { parentPort } from 'node:worker_threads';
import type { AnalysisHost, BytesRead } from '../host';
import { checkFile } from '../index';
import type { CheckRequest, FromWorker, HostCall, ToWorker } from './protocol';

type HostCallBody = HostCall extends infer C ? (C extends HostCall ? Omit<C, 'type' | 'callId'> : never) : never;

const port = parentPort;
if (port) {
  let nextCallId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void }>();
  const send = (message: FromWorker): void => port.postMessage(message);

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

  const check = async (request: CheckRequest): Promise<void> => {
    try {
      const result = await checkFile(request.path, request.text, hostFor(request), request.settings);
      send({ type: 'result', id: request.id, result });
    } catch (err) {
      send({ type: 'result', id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
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
      case 'crashForTest':
        process.exit(70);
    }
  });
  send({ type: 'ready' });
}
