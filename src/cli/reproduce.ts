/**
 * `nanguard reproduce FILE`: argument parsing here; the work is done by the reproduction
 * engine (`src/repro/cli.ts`, `runReproduceCommand`), loaded on demand so that `check`
 * never pays for TensorFlow.js and a build without the engine still runs.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, type BackendChoice } from '../repro/protocol';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io';

/** What `runReproduceCommand` receives. `file` is as typed on the command line (relative to `io.cwd`). */
export interface ReproduceArgs {
  file: string;
  /** Absolute path of `file`. */
  absolutePath: string;
  /** Which model of the file when it defines several: its name, or `name:LINE` where names repeat. */
  model?: string;
  epochs?: number;
  seed?: number;
  backend: BackendChoice;
  format: 'text' | 'json';
}

type ReproduceModule = { runReproduceCommand(args: ReproduceArgs, io: CliIO): Promise<number | void> | number | void };

export const REPRODUCE_HELP = `Usage: nanguard reproduce FILE [options]

Trains the model defined in FILE (.py, .ipynb or Keras .json) for real in TensorFlow.js, in a
child process, and reports what happened: nan, diverging, stalled or healthy, with the first
non-finite value pinned to an epoch, a batch and a layer.

Options:
  --model NAME               which model of the file (default: the one that is fitted); where
                             several share a name, NAME:LINE names one by its definition's line
  --epochs N                 epochs to run (default: the file's own, within the caps)
  --seed S                   random seed (default: 0)
  --backend auto|node|wasm|cpu   TensorFlow.js backend (default: auto)
  --format text|json         output form (default: text)
  -h, --help                 this help
`;

function nonNegativeInteger(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new UsageError(`${flag} expects an integer >= ${min}, got '${value}'`);
  return Number(value);
}

export function parseReproduceArgs(argv: string[], cwd: string): ReproduceArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('give one file: nanguard reproduce FILE');
  const file = positionals[0];
  const absolutePath = resolve(cwd, file);
  if (!existsSync(absolutePath) || !statSync(absolutePath).isFile()) throw new UsageError(`no such file: ${file}`);
  const backend = values.backend ?? 'auto';
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${backend}'`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got '${format}'`);
  return {
    file,
    absolutePath,
    model: values.model,
    epochs: nonNegativeInteger(values.epochs, '--epochs', 1),
    seed: nonNegativeInteger(values.seed, '--seed', 0),
    backend: backend as BackendChoice,
    format,
  };
}

function isMissingModule(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  const message = err instanceof Error ? err.message : '';
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && /repro[\\/]cli/.test(message);
}

async function loadEngine(): Promise<ReproduceModule | undefined> {
  try {
    // Loaded on demand: `check` never pays for TensorFlow.js. A build without the engine reports it instead of crashing.
    return await import('../repro/cli.js');
  } catch (err) {
    if (isMissingModule(err)) return undefined;
    throw err;
  }
}

export async function runReproduce(argv: string[], io: CliIO): Promise<number> {
  const args = parseReproduceArgs(argv, io.cwd);
  if (args === 'help') {
    io.stdout(REPRODUCE_HELP);
    return EXIT_OK;
  }
  const engine = await loadEngine();
  if (!engine || typeof engine.runReproduceCommand !== 'function') {
    io.stderr('nanguard: reproduction not available yet in this build\n');
    return EXIT_USAGE;
  }
  const code = await engine.runReproduceCommand(args, io);
  return typeof code === 'number' ? code : EXIT_OK;
}
