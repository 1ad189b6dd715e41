/** What travels from the worker to the runner: one message of `protocol.ts`, or several in order. */
import type { WorkerMessage } from './protocol';

export type WorkerEnvelope = WorkerMessage | { type: 'messages'; messages: WorkerMessage[] };

/** Progress messages wait at most this long to go out together. */
export const WORKER_MESSAGES_FLUSH_MS = 100;

/** The messages an envelope carries, in order. */
export function unpackEnvelope(envelope: WorkerEnvelope): WorkerMessage[] {
  return envelope.type === 'messages' ? envelope.messages : [envelope];
}
