/**
 * The differential oracle: a generated program's arrays as real numpy, pandas and scikit-learn
 * build them, against what nanguard infers for the same program, without running it.
 *
 * The rule: nanguard may say "unknown", never something numpy contradicts.
 *   - shape: the rank, and every dimension nanguard gives (null is unknown), exactly;
 *   - statistics per feature (the array reshaped to (rows, -1)), float tolerance 1e-6 of the
 *     feature's magnitude (1e-5 for float32 arrays):
 *       `exact`: count, NaN and inf counts equal, min/max/mean/std within float tolerance;
 *       `bounds`: count, NaN and inf counts equal, numpy's min and max inside the claimed range;
 *       `sampled`: as bounds, and mean and std within SAMPLED_TOLERANCE of the range;
 *       bounds with a `statsSlack` (a distribution's moments standing for a sample's): numpy's
 *       range inside the claimed one widened by the slack;
 *     one entry for an array of more than MAX_IDENTICAL_FEATURES features stands for each of them.
 * Every chunk of a program is checked: the program cut after the chunk and fitted on the chunk's
 * array is analysed, and compared with the facts numpy had right after that chunk; the full
 * program's validation array too.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { analyzeFile, NO_FILES } from '../../../src/core/index';
import type { DataSpec, FeatureStats } from '../../../src/core/ir';
import { MAX_IDENTICAL_FEATURES } from '../../../src/core/frontends/python/data';
import { modelCode, programText, type Program } from './programs';

export const RUNNER = join(__dirname, 'oracle_runner.py');
/** Relative float tolerance for `exact` statistics of float64 arrays. */
export const FLOAT_TOLERANCE = 1e-6;
/** The same for float32 arrays: numpy and scikit-learn round each step at 6e-8 in an order of their own, and cancellation magnifies it. */
export const FLOAT32_TOLERANCE = 1e-5;
/** `sampled` statistics: mean and std within this share of the feature's range. */
export const SAMPLED_TOLERANCE = 0.1;

type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface FeatureFacts {
  count: number;
  min: WireNumber;
  max: WireNumber;
  mean: WireNumber;
  std: WireNumber;
  nanCount: number;
  infCount: number;
  constant: boolean;
}

export interface ArrayFacts {
  kind: string;
  shape?: number[];
  dtype?: string;
  rows?: number;
  features?: FeatureFacts[];
}

export interface RunnerAnswer {
  id: number;
  steps: (ArrayFacts | null)[];
  fit: { x: ArrayFacts; y: ArrayFacts; validation: ArrayFacts | null } | null;
  error: string | null;
  trace?: string;
}

export function wire(v: WireNumber): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

/** One Python process serving many programs, one JSON line each way. */
export class PythonOracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (a: RunnerAnswer) => void>();
  private next = 0;
  private dead?: string;

  constructor(python: string) {
    this.child = spawn(python, ['-u', RUNNER], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    this.child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let answer: RunnerAnswer;
      try {
        answer = JSON.parse(line) as RunnerAnswer;
      } catch {
        return;
      }
      const resolve = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      resolve?.(answer);
    });
    this.child.on('exit', (code) => {
      this.dead = `the Python oracle exited (${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`;
      for (const [id, resolve] of this.waiting) resolve({ id, steps: [], fit: null, error: this.dead });
      this.waiting.clear();
    });
  }

  run(program: Program): Promise<RunnerAnswer> {
    const id = this.next++;
    if (this.dead) return Promise.resolve({ id, steps: [], fit: null, error: this.dead });
    // The chunks, then the model and its fit (on stand-ins for Keras), so the fit's arrays are captured too.
    const chunks = program.chunks.map((c) => ({ code: c.code, variable: c.variable ?? null }));
    const last = program.chunks[program.chunks.length - 1];
    if (last?.variable && last.shape) chunks.push({ code: modelCode(last.variable, last.shape, program.validation), variable: null });
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ id, chunks })}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

export interface Contradiction {
  /** Which array: `chunk 3 (X)` or `validation (X_test)`. */
  where: string;
  /** shape-rank, shape-dim, feature-count, count, nanCount, infCount, min, max, mean, std. */
  kind: string;
  detail: string;
}

export interface Comparison {
  contradictions: Contradiction[];
  /** Shape and statistics known at all. */
  shapeKnown: boolean;
  shapeComplete: boolean;
  statsKnown: boolean;
  statsKind?: string;
}

const fmt = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(8)).toString() : String(v));

function close(a: number, b: number, scale: number, tolerance: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 + tolerance * scale;
}

/** What nanguard says about one array against numpy's facts. */
export function compareArray(spec: DataSpec | undefined, facts: ArrayFacts, where: string): Comparison {
  const out: Contradiction[] = [];
  const add = (kind: string, detail: string) => out.push({ where, kind, detail });
  const shape = spec?.shape;
  const real = facts.shape ?? [];
  if (shape) {
    if (shape.length !== real.length) add('shape-rank', `nanguard [${shape.map((d) => d ?? '?').join(', ')}], numpy (${real.join(', ')})`);
    else
      shape.forEach((d, i) => {
        if (d !== null && d !== real[i]) add('shape-dim', `dimension ${i}: nanguard ${d}, numpy ${real[i]} (nanguard [${shape.map((q) => q ?? '?').join(', ')}], numpy (${real.join(', ')}))`);
      });
  }
  const stats = spec?.stats;
  const features = facts.features ?? [];
  const kind = spec?.statsKind ?? 'exact';
  if (stats && features.length > 0) {
    const shared = stats.length === 1 && features.length > MAX_IDENTICAL_FEATURES;
    if (stats.length !== features.length && !shared) add('feature-count', `nanguard has statistics for ${stats.length} features, numpy's array has ${features.length}`);
    else features.forEach((f, j) => compareFeature(shared ? stats[0] : stats[j], f, kind, j, add, spec?.statsSlack ?? 0, facts.dtype === 'float32' ? FLOAT32_TOLERANCE : FLOAT_TOLERANCE));
  }
  return {
    contradictions: out,
    shapeKnown: shape !== undefined,
    shapeComplete: shape !== undefined && shape.every((d) => d !== null),
    statsKnown: stats !== undefined,
    statsKind: stats ? kind : undefined,
  };
}

function compareFeature(s: FeatureStats, f: FeatureFacts, kind: string, j: number, add: (kind: string, detail: string) => void, approximate: number, tolerance: number): void {
  const label = `feature ${j} (${kind}${approximate ? `, slack ${fmt(approximate)}` : ''})`;
  if (s.nanCount !== f.nanCount) add('nanCount', `${label}: nanguard ${s.nanCount} NaN, numpy ${f.nanCount}`);
  if (s.infCount !== f.infCount) add('infCount', `${label}: nanguard ${s.infCount} inf, numpy ${f.infCount}`);
  if (s.count !== f.count) add('count', `${label}: nanguard ${s.count} finite values, numpy ${f.count}`);
  if (f.count === 0) return;
  const min = wire(f.min);
  const max = wire(f.max);
  const mean = wire(f.mean);
  const std = wire(f.std);
  const scale = Math.max(Math.abs(min), Math.abs(max));
  if (kind === 'exact' || kind === 'observed') {
    for (const [name, ours, theirs] of [
      ['min', s.min, min],
      ['max', s.max, max],
      ['mean', s.mean, mean],
      ['std', s.std, std],
    ] as const) {
      if (!close(ours, theirs, scale, tolerance)) add(name, `${label}: nanguard ${name} ${fmt(ours)}, numpy ${fmt(theirs)}`);
    }
    return;
  }
  // Bounds (and samples): numpy's range inside the claimed one.
  const slack = 1e-9 + tolerance * Math.max(scale, Math.abs(s.min), Math.abs(s.max)) + approximate;
  if (!(min >= s.min - slack)) add('min', `${label}: numpy min ${fmt(min)} below nanguard's bound ${fmt(s.min)}`);
  if (!(max <= s.max + slack)) add('max', `${label}: numpy max ${fmt(max)} above nanguard's bound ${fmt(s.max)}`);
  if (kind === 'sampled') {
    const range = Math.max(max - min, scale * FLOAT_TOLERANCE);
    if (!(Math.abs(s.mean - mean) <= SAMPLED_TOLERANCE * range)) add('mean', `${label}: nanguard mean ${fmt(s.mean)}, numpy ${fmt(mean)}`);
    if (!(Math.abs(s.std - std) <= SAMPLED_TOLERANCE * range)) add('std', `${label}: nanguard std ${fmt(s.std)}, numpy ${fmt(std)}`);
  }
}

/** nanguard's view of the array each chunk leaves, and of the full program's validation data. */
export interface Inferred {
  steps: (DataSpec | undefined)[];
  validation?: DataSpec;
  /** Chunks after which nanguard found no model with a fit (an analysis problem in itself). */
  noModel: number[];
  /** Analyses that failed (with NANGUARD_STRICT_EVALUATOR=1, an exception inside the evaluator). */
  failures: string[];
}

export async function inferProgram(program: Program): Promise<Inferred> {
  const steps: (DataSpec | undefined)[] = [];
  const noModel: number[] = [];
  const failures: string[] = [];
  let validation: DataSpec | undefined;
  for (let i = 0; i < program.chunks.length; i++) {
    const text = programText(program, i);
    if (text === undefined) {
      steps.push(undefined);
      continue;
    }
    const analysis = await analyzeFile('oracle_program.py', text, NO_FILES);
    for (const p of analysis.problems) if (/could not be analysed/.test(p.message)) failures.push(`after chunk ${i}: ${p.message}`);
    const model = analysis.models.find((m) => m.fit);
    if (!model) noModel.push(i);
    steps.push(model?.data.train);
    if (i === program.chunks.length - 1 && model?.fit?.validation.kind === 'data') validation = model.fit.validation.x;
  }
  return { steps, validation, noModel, failures };
}

export interface ProgramVerdict {
  /** The program raised in Python: not a valid case (the generator should not make these). */
  pythonError?: string;
  contradictions: Contradiction[];
  /** Per chunk with an array: idiom and what nanguard knew. */
  arrays: Array<{ chunk: number; idiom?: string; comparison: Comparison; before?: Comparison }>;
  validation?: Comparison;
  noModel: number[];
}

/** Runs one program in Python and in nanguard and compares every array. */
export async function checkProgram(oracle: PythonOracle, program: Program): Promise<ProgramVerdict> {
  const [answer, inferred] = await Promise.all([oracle.run(program), inferProgram(program)]);
  if (answer.error) return { pythonError: answer.error, contradictions: [], arrays: [], noModel: inferred.noModel };
  const contradictions: Contradiction[] = inferred.failures.map((f) => ({ where: f.replace(/:.*$/, ''), kind: 'exception', detail: f }));
  const arrays: ProgramVerdict['arrays'] = [];
  let previous: Comparison | undefined;
  program.chunks.forEach((chunk, i) => {
    const facts = answer.steps[i];
    if (!chunk.variable || !facts || !facts.shape) return;
    const comparison = compareArray(inferred.steps[i], facts, `after chunk ${i} (${chunk.variable})`);
    contradictions.push(...comparison.contradictions);
    arrays.push({ chunk: i, idiom: chunk.idiom, comparison, before: previous });
    previous = comparison;
  });
  let validation: Comparison | undefined;
  const valFacts = answer.fit?.validation;
  if (valFacts && valFacts.shape && program.validation) {
    validation = compareArray(inferred.validation, valFacts, `validation (${program.validation})`);
    contradictions.push(...validation.contradictions);
  }
  return { contradictions, arrays, validation, noModel: inferred.noModel };
}

/** A failing program as a message: the program, then each contradiction. */
export function describeFailure(program: Program, verdict: ProgramVerdict): string {
  const lines = [programText(program) ?? '', '--- contradicted by numpy:'];
  for (const c of verdict.contradictions.slice(0, 12)) lines.push(`  ${c.where}: ${c.kind}: ${c.detail}`);
  if (verdict.contradictions.length > 12) lines.push(`  ... ${verdict.contradictions.length - 12} more`);
  return lines.join('\n');
}
