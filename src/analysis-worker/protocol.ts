/**
 * Messages between the analysis client (the editor's thread) and the analysis worker thread.
 * The worker runs `checkFile`; reads of files beside the analysed one go back to the client,
 * whose host knows open documents, workspace folders and trust.
 */
import type { ByteRange, BytesRead } from '../core/host';
import type { CheckResult } from '../core/index';
import type { ObservedFit } from '../core/observed';
import type { Settings } from '../core/settings';

export interface CheckRequest {
  type: 'check';
  id: number;
  path: string;
  text: string;
  settings: Settings;
  /** Whether the client's host reads byte ranges; without it data files are read as text. */
  hasReadBytes: boolean;
  /** Facts observed at the program's first fit, for the rules (`check --observe`). */
  observed?: ObservedFit;
  /**
   * A long text comes in this many `textChunk` messages after this one (`text` is then empty):
   * copying 10 MB in one message holds the sending thread for about 100 ms.
   */
  chunkCount?: number;
}

export interface TextChunk {
  type: 'textChunk';
  id: number;
  text: string;
}

export interface HostReply {
  type: 'hostReply';
  callId: number;
  value?: { path: string; text: string } | BytesRead;
  error?: string;
}

/** The client is ready for the next part of a result sent in parts. */
export interface NextPart {
  type: 'nextPart';
  id: number;
}

/**
 * The client no longer wants this request (its document changed, or it was closed): the
 * worker drops its result and answers `cancelled` once it has let go of it.
 */
export interface CancelRequest {
  type: 'cancel';
  id: number;
}

/** Test-only: the worker exits at once, as a crash would. */
export interface CrashRequest {
  type: 'crashForTest';
}

/** Test-only: the worker's thread blocks for `ms`, as an analysis that hangs would. */
export interface StallRequest {
  type: 'stallForTest';
  ms: number;
}

export type ToWorker = CheckRequest | TextChunk | HostReply | NextPart | CancelRequest | CrashRequest | StallRequest;

export interface ReadyMessage {
  type: 'ready';
}

export interface CheckAnswer {
  type: 'result';
  id: number;
  result?: CheckResult;
  error?: string;
  /**
   * A large result comes in this many `resultPart` messages, each asked for with `nextPart`
   * (`result` then holds no models and no findings): decoding a 10 MB file's models in one
   * message would hold the receiving thread for seconds.
   */
  parts?: number;
}

export interface ResultPart {
  type: 'resultPart';
  id: number;
  models: CheckResult['analysis']['models'];
  findings: CheckResult['findings'];
}

export type HostCall =
  | { type: 'hostCall'; callId: number; requestId: number; method: 'readText'; relativePath: string; fromPath: string }
  | { type: 'hostCall'; callId: number; requestId: number; method: 'readBytes'; relativePath: string; fromPath: string; range: ByteRange };

/** A cancelled request is no longer held by the worker (no result or part of it will follow). */
export interface CancelledMessage {
  type: 'cancelled';
  id: number;
}

export type FromWorker = ReadyMessage | CheckAnswer | ResultPart | HostCall | CancelledMessage;
