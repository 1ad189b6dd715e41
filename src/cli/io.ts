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
}

/** A usage error: printed with a hint, exit code 2. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
