// Runs FidelityCase plans in real Keras (through keras_runner.py) from Node: the Keras side of
// the fidelity suite and of the bench.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const fidelityDir = __dirname;
export const repoRoot = join(fidelityDir, '..', '..');
export const runnerPath = join(fidelityDir, 'keras_runner.py');

/** A number as JSON carries it: non-finite values are the strings the design names. */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';
export type Verdict = 'nan' | 'diverging' | 'stalled' | 'healthy';

/** The plan both frameworks train (the same shape as `toFidelityCase(plan)` gives). */
export interface KerasFidelityCase {
  name: string;
  kerasJson: unknown;
  optimizer: string | { class_name: string; config: Record<string, unknown> };
  loss: string;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validationSplit: number | null;
  x: unknown[];
  y: unknown[];
  valX: unknown[] | null;
  valY: unknown[] | null;
  seed: number;
  earlyStopping?: Record<string, unknown> | null;
  /** Weights to start from instead of Keras's own initialisation: per layer name, in the layer's `get_weights()` order. */
  initialWeights?: Record<string, { shape: number[]; values: number[] }[]>;
}

export interface KerasResult {
  name: string | null;
  error?: string;
  history: { loss: WireNumber[]; val_loss: WireNumber[] };
  firstNonFiniteEpoch: number | null;
  firstNonFiniteBatch: number | null;
  verdict: Verdict;
  finalLoss: WireNumber | null;
  finalValLoss: WireNumber | null;
  epochsRun: number;
  baselineLoss: WireNumber | null;
  outputFloor: WireNumber | null;
  seconds: { import: number; build: number; fit: number; total: number; epochs: number[] };
  versions: { keras: string; tensorflow: string };
}

export type KerasEnv = { python: string } | { reason: string };

let cachedEnv: KerasEnv | undefined;

/**
 * The Keras environment's python, installing it once through scripts/keras-env.sh.
 * Returns the reason instead when it cannot be installed (no python3, no reachable wheels).
 */
export function kerasEnv(): KerasEnv {
  if (cachedEnv) return cachedEnv;
  const script = join(repoRoot, 'scripts', 'keras-env.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', timeout: 20 * 60_000 });
  const python = result.stdout.trim().split('\n').pop() ?? '';
  cachedEnv = result.status === 0 && python
    ? { python }
    : { reason: `the Keras environment could not be installed: ${(result.stderr || String(result.error ?? '')).trim().split('\n').slice(-3).join(' / ')}` };
  return cachedEnv;
}

export function readCase(path: string): KerasFidelityCase {
  return JSON.parse(readFileSync(path, 'utf8')) as KerasFidelityCase;
}

/** The hand-written cases in test/fidelity/cases, by name. */
export function handWrittenCases(): Map<string, KerasFidelityCase> {
  const dir = join(fidelityDir, 'cases');
  const cases = new Map<string, KerasFidelityCase>();
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.json')) {
      const c = readCase(join(dir, file));
      cases.set(c.name, c);
    }
  }
  return cases;
}

export interface KerasRun {
  results: KerasResult[];
  /** Wall time from spawning python to having parsed its answer. */
  wallSeconds: number;
}

/** Trains the cases in one Python process (TensorFlow is imported once) and returns one result per case. */
export function runKeras(python: string, cases: KerasFidelityCase[], timeoutMs = 30 * 60_000): Promise<KerasRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(python, [runnerPath, '-'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) {
        reject(new Error(`keras_runner.py exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
        return;
      }
      try {
        resolve({ results: JSON.parse(stdout) as KerasResult[], wallSeconds });
      } catch {
        reject(new Error(`keras_runner.py printed no JSON: ${stdout.slice(0, 500)}`));
      }
    });
    child.stdin.end(JSON.stringify(cases));
  });
}

export function toNumber(value: WireNumber | null | undefined): number {
  if (value === null || value === undefined) return Number.NaN;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
