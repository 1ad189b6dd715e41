/**
 * Questions the data, numerics and validation rules (NAN104-NAN106, NAN207, NAN208, NAN4xx,
 * NAN5xx) ask of the IR: the arrays that reach a model with their role, the raw statistics of
 * their source (a workspace file, a literal), whether NaN handling happens on the way, which
 * loss is binary cross-entropy, and how to count and quote numbers in messages.
 */
import { groupThousands } from '../../numberFormat';
import type { DataSpec, FeatureStats, ModelSpec, NumericOp, SourceLocation } from '../../ir';
import { dataFacts, fmt } from './facts';
import { lossName } from '../../keras/names';
import { lineIndexOf } from '../../text';

export type DataRole = 'training input' | 'targets' | 'validation input' | 'validation targets';

export interface RoledData {
  role: DataRole;
  data: DataSpec;
}

/** Every array that reaches the model, each once (an autoencoder's x and y are often the same array). */
export function arraysOf(model: ModelSpec): RoledData[] {
  const out: RoledData[] = [];
  const seen = new Set<string>();
  const add = (role: DataRole, data: DataSpec | undefined) => {
    if (!data) return;
    const key = `${data.name}@${data.location ? `${data.location.range.start.line}:${data.location.range.start.character}` : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ role, data });
  };
  add('training input', model.data.train);
  add('targets', model.data.target);
  const v = model.fit?.validation;
  if (v && v.kind === 'data') {
    add('validation input', v.x);
    add('validation targets', v.y);
  }
  return out;
}

/** Statistics of literal rows, NaN and infinities counted. */
function statsOfRows(rows: number[][]): FeatureStats[] {
  const width = rows.reduce((w, r) => Math.max(w, Array.isArray(r) ? r.length : 0), 0);
  const out: FeatureStats[] = [];
  for (let c = 0; c < width; c++) {
    let count = 0;
    let nanCount = 0;
    let infCount = 0;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let squares = 0;
    for (const row of rows) {
      const v = row[c];
      // JSON turns NaN into null: a literal's null cell is a NaN written in the code.
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) nanCount++;
      else if (typeof v !== 'number') continue;
      else if (!Number.isFinite(v)) infCount++;
      else {
        count++;
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
        squares += v * v;
      }
    }
    const mean = count ? sum / count : NaN;
    out.push({ count, min: count ? min : NaN, max: count ? max : NaN, mean, std: count ? Math.sqrt(Math.max(0, squares / count - mean * mean)) : NaN, nanCount, infCount });
  }
  return out;
}

/** Statistics of the data as it was before any transform: a data file's columns or a literal's values. */
export function sourceStatsOf(data: DataSpec): FeatureStats[] | undefined {
  // Observed at fit: what training receives, after every transform; a NaN there reaches the loss whatever the code did on the way.
  if (data.statsKind === 'observed' && data.stats) return data.stats;
  if (data.sourceStats && data.sourceStats.length > 0) return data.sourceStats;
  if (data.source.kind === 'literal' && data.source.values.length > 0) return statsOfRows(data.source.values);
  if (data.transforms.length === 0 && data.stats && data.statsKind !== 'bounds') return data.stats;
  return undefined;
}

/** Statistics of the values as they reach the network, where known. */
export function reachingStats(data: DataSpec): FeatureStats[] | undefined {
  return dataFacts(data)?.stats;
}

const NAN_HANDLING = new Set(['dropna', 'fillna', 'nan_to_num', 'impute']);

export function handlesNaN(data: DataSpec): boolean {
  return data.transforms.some((t) => NAN_HANDLING.has(t.kind));
}

/** 2000 -> "2,000". */
export function count(n: number): string {
  return groupThousands(Math.round(n));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** "column `pressure`", "feature 2". */
export function columnName(s: FeatureStats, index: number): string {
  return s.name ? `column \`${s.name}\`` : `feature ${index}`;
}

/** " of data/sensors.csv" or " of X_train". */
export function ofWhat(data: DataSpec): string {
  return data.dataFile ? ` of ${data.dataFile.path}` : ` of ${data.name}`;
}

/** "(statistics from 40,000 sampled rows)" when the file was sampled, else "". */
export function sampledNote(data: DataSpec): string {
  return data.dataFile?.sampled ? ` (${data.dataFile.note})` : '';
}

/** Rows of an array: its shape's first dimension, a literal's rows, or its statistics' count. */
export function sampleCount(data: DataSpec | undefined): number | undefined {
  if (!data) return undefined;
  const first = data.shape?.[0];
  if (typeof first === 'number' && Number.isFinite(first)) return first;
  if (data.source.kind === 'literal' && data.source.values.length > 0) return data.source.values.length;
  if (data.dataFile && !data.dataFile.sampled) return data.dataFile.rows;
  return undefined;
}

/**
 * Binary cross-entropy on the targets: the loss itself, or a custom loss built on it
 * (`original_dim * binary_crossentropy(y_true, y_pred)`, as the classic VAE example writes it).
 */
export function isBinaryCrossentropy(model: ModelSpec): boolean {
  const loss = model.compile?.loss;
  if (lossName(loss?.name ?? '') === 'binary_crossentropy') return true;
  return loss?.expression !== undefined && appliesBceToTargets(loss.expression);
}

/** A `bce` node anywhere in a loss expression whose first operand is y_true (argument 0). */
function appliesBceToTargets(expr: unknown, depth = 0): boolean {
  if (depth > 64 || expr === null || typeof expr !== 'object') return false;
  const node = expr as Record<string, unknown>;
  if (node['op'] === 'bce') {
    const a = node['a'] as Record<string, unknown> | undefined;
    if (a && a['op'] === 'arg' && a['index'] === 0) return true;
  }
  return Object.values(node).some((child) => appliesBceToTargets(child, depth + 1));
}

/** `from_logits=True` on the compiled loss. */
export function lossFromLogits(model: ModelSpec): boolean {
  return model.compile?.loss.fromLogits ?? false;
}

export function numericsOf(model: ModelSpec, fns: readonly NumericOp['fn'][], contexts: readonly NumericOp['context'][]): NumericOp[] {
  return model.numerics.filter((n) => fns.includes(n.fn) && contexts.includes(n.context));
}

export function sameStart(a: SourceLocation | undefined, b: SourceLocation | undefined): boolean {
  return !!a && !!b && a.path === b.path && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

/** The line of text at a location's start, trimmed, for messages. */
export function lineAt(text: string | undefined, location: SourceLocation): string | undefined {
  if (text === undefined) return undefined;
  return lineIndexOf(text).lineText(location.range.start.line)?.trim();
}

export { fmt };
