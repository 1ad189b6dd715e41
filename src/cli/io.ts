/**
 * The CLI's view of its surroundings, passed in rather than read from globals so that the
 * commands run in-process in tests exactly as they do from a terminal.
 */
export interface CliIO {
  /** Paths on the command line, and the paths printed, are relative to this folder. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard output is a terminal (colours allowed). */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The bundled analysis worker (`dist/analysis-worker.js`), when there is one: `check` then
   * analyses each file in a worker thread that it can stop at a deadline. Without it (the
   * sources run in-process, as in tests), files are analysed on this thread, with no deadline.
   */
  analysisWorkerPath?: string;
}

/** A usage error: printed with a hint, exit code 2. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
/** `check`: a finding at or above the fail level. */
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** `reproduce`: a problem verdict (nan, diverging, exploded, stalled). */
export const EXIT_PROBLEM = 1;
/** `reproduce`: nothing could be reproduced (no model, a refused plan, a failed worker); distinct from a usage error. */
export const EXIT_NOT_REPRODUCED = 3;
