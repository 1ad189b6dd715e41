/**
 * Moves per-column statistics of a source file through the transforms the code applies, as far
 * as they are understood exactly: affine maps, column statistics (`(x - mean) / std`), known
 * scalers, clipping and NaN handling. Anything else (a log, a custom function) stops the walk:
 * the statistics of what reaches the network are then unknown, and undefined is returned.
 */
import { seededRandom } from '../arrays';
import type { DataTransform, FeatureStats } from '../ir';

function affine(s: FeatureStats, scale: number, shift: number): FeatureStats {
  const lo = s.min * scale + shift;
  const hi = s.max * scale + shift;
  return { ...s, min: Math.min(lo, hi), max: Math.max(lo, hi), mean: s.mean * scale + shift, std: s.std * Math.abs(scale), medianAbs: shift === 0 && s.medianAbs !== undefined ? s.medianAbs * Math.abs(scale) : undefined };
}

/** A column divided by zero: 0/0 is NaN for every value (a constant column minus its mean is all zeros). */
function dividedByZero(s: FeatureStats): FeatureStats {
  return { ...s, count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount: s.nanCount + s.count, medianAbs: undefined, constant: undefined };
}

/** The divisor a column-statistic division uses for one column, from the column's statistics as they are at that point. */
function divisorOf(by: 'std' | 'range' | 'max' | 'norm', s: FeatureStats): number | undefined {
  if (by === 'std') return s.std;
  if (by === 'range') return s.max - s.min;
  if (by === 'max') return s.max;
  return undefined;
}

/** A selection of a data file's rows or columns (`rows`, `columns`, `windows`), which moves no value: the analysis and the reproduction read them alike. */
export function isSelection(t: { kind: string }): boolean {
  return t.kind === 'rows' || t.kind === 'columns' || t.kind === 'windows' || t.kind === 'sample' || t.kind === 'split';
}

/** Transforms that drop, cut or draw rows alone: a frame after them still has its file's columns, by name and position. */
export function keepsColumns(transforms: readonly { kind: string }[]): boolean {
  return transforms.every((t) => t.kind === 'dropna' || t.kind === 'rows' || t.kind === 'sample' || t.kind === 'split');
}

/** The stream of nanguard's generator that `df.sample` draws from (the recipes' streams are their own). */
const SAMPLE_STREAM = 2_546_317;

/** The stream of nanguard's generator that `train_test_split` draws from. */
const SPLIT_STREAM = 3_141_593;

/**
 * The train or test part `train_test_split` gives of `rows`, as nanguard draws it (a seeded
 * shuffle; the train part first, then the test part), in scikit-learn's sizes: test ceil(test x n)
 * (0.25 when neither size is given), train floor(train x n) or the rest. The same for every array
 * split together; not scikit-learn's rows.
 */
export function splitRows<T>(rows: readonly T[], split: { part: 'train' | 'test'; test: number | null; train: number | null; seed: number }): T[] {
  const n = rows.length;
  const size = (v: number | null, round: (x: number) => number): number | null => (v === null ? null : Number.isInteger(v) && v >= 1 ? v : round(v * n));
  const given = { test: size(split.test, Math.ceil), train: size(split.train, Math.floor) };
  const test = given.test ?? (given.train === null ? Math.ceil(0.25 * n) : n - given.train);
  const train = given.train ?? n - test;
  const order = shuffledOrder(n, split.seed, SPLIT_STREAM);
  const kept = split.part === 'train' ? order.slice(0, Math.max(0, train)) : order.slice(Math.max(0, train), Math.max(0, train) + Math.max(0, test));
  return kept.map((i) => rows[i]);
}

/**
 * The rows `df.sample(frac, random_state=seed)` keeps, as nanguard draws them (a seeded shuffle,
 * the first round(frac x n)): the same for every array cut from the sample, not pandas's draw.
 */
export function sampledRows<T>(rows: readonly T[], frac: number, seed: number): T[] {
  return shuffledOrder(rows.length, seed, SAMPLE_STREAM)
    .slice(0, Math.round(frac * rows.length))
    .map((i) => rows[i]);
}

/** The positions 0..n-1 in the order of a Fisher-Yates shuffle drawn from nanguard's seeded generator. */
function shuffledOrder(n: number, seed: number, stream: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const next = seededRandom(seed, stream);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Whether the transforms select some of the rows (`data[0:6500]`, windows cut in a loop): the file's statistics then only bound the values. */
export function selectsRows(transforms: readonly DataTransform[]): boolean {
  return transforms.some((t) => t.kind === 'rows' || t.kind === 'windows');
}

/**
 * The NaN, empty and infinite cells of the rows the transforms keep (`data[0:6500]`, windows cut
 * in a loop), from the rows a column read whole lists (FeatureStats.nonFiniteRows), and the kept
 * rows of the file (first, and one past the last), each column of the file, and the columns picked by
 * position on the way (`x[:, 0]`). Undefined when there is no selection, or it
 * cannot be told (rows regrouped, dropped or counted otherwise than the file's, too many listed).
 */
export function keptNonFinite(columns: readonly FeatureStats[], transforms: readonly DataTransform[], fileRows: number): { stats: FeatureStats[]; picked: number[]; first: number; end: number } | undefined {
  if (!selectsRows(transforms) || columns.some((c) => c.nanCount + c.infCount > 0 && !c.nonFiniteRows)) return undefined;
  let first = 0;
  let end = fileRows;
  let picked = columns.map((_, i) => i);
  for (const t of transforms) {
    if (t.kind === 'rows' || t.kind === 'windows') {
      if (end - first !== t.of) return undefined;
      [first, end] = t.kind === 'rows' ? [first + t.start, first + t.stop] : [first + t.first, first + t.first + t.count - 1 + t.width];
    } else if (t.kind === 'columns') {
      if (picked.length !== t.of) return undefined;
      picked = t.indices.map((i) => picked[i]);
    } else if ((t.kind === 'reshape' && t.sampleWidth !== undefined) || t.kind === 'dropna' || t.kind === 'other' || t.kind === 'pad') return undefined;
  }
  const within = (rows: number[]): number => rows.reduce((n, r) => n + (r >= first && r < end ? 1 : 0), 0);
  const stats = columns.map((c) => {
    const listed = c.nonFiniteRows;
    if (!listed) return { ...c };
    const [nan, empty, inf] = [within(listed.nan), within(listed.empty), within(listed.inf)];
    return { ...c, nanCount: nan + empty, infCount: inf, emptyCount: empty };
  });
  return { stats, picked, first, end };
}

export function statsAfterTransforms(source: readonly FeatureStats[], transforms: readonly DataTransform[]): FeatureStats[] | undefined {
  let stats: FeatureStats[] = source.map((s) => ({ ...s }));
  // Column statistics refer to the array they are taken of: `X.std(axis=0)` after `X - X.mean(axis=0)` is the same std.
  let before: FeatureStats[] = stats;
  // After a selection of rows the file's statistics only bound the values, and a statistic taken of the kept rows is not the file's.
  let selected = false;
  for (const t of transforms) {
    if (selected && (t.kind === 'scaler' || (t.kind === 'subtract' && typeof t.what !== 'number') || (t.kind === 'divide' && typeof t.by !== 'number'))) return undefined;
    switch (t.kind) {
      case 'astype':
      case 'reshape':
        break;
      case 'rows':
      case 'windows':
      case 'sample':
      case 'split':
        selected = true;
        break;
      case 'columns':
        if (stats.length !== t.of) return undefined;
        stats = t.indices.map((i) => stats[i]);
        before = t.indices.map((i) => before[i]);
        break;
      case 'dropna':
      case 'fillna':
      case 'impute':
        stats = stats.map((s) => ({ ...s, nanCount: 0, emptyCount: 0 }));
        break;
      case 'nan_to_num':
        stats = stats.map((s) => ({ ...s, nanCount: 0, infCount: 0, emptyCount: 0 }));
        break;
      case 'multiply':
        if (typeof t.by !== 'number') return undefined;
        stats = stats.map((s) => affine(s, t.by as number, 0));
        break;
      case 'subtract':
        if (typeof t.what === 'number') stats = stats.map((s) => affine(s, 1, -(t.what as number)));
        else if (t.what === 'mean') stats = stats.map((s, i) => affine(s, 1, -before[i].mean));
        else if (t.what === 'min') stats = stats.map((s, i) => affine(s, 1, -before[i].min));
        else return undefined;
        break;
      case 'divide': {
        if (typeof t.by === 'number') {
          if (t.by === 0) return undefined;
          stats = stats.map((s) => affine(s, 1 / (t.by as number), 0));
          break;
        }
        if (t.by === 'unknown' || t.by === 'norm') return undefined;
        const by = t.by;
        const next: FeatureStats[] = [];
        for (let i = 0; i < stats.length; i++) {
          const d = divisorOf(by, before[i]);
          if (d === undefined || !Number.isFinite(d)) return undefined;
          // With an epsilon the divisor is d + eps; a zero divisor then leaves the (zero) numerator at zero.
          if (d === 0) next.push(t.epsilon ? { ...stats[i], min: 0, max: 0, mean: 0, std: 0, medianAbs: 0 } : dividedByZero(stats[i]));
          else next.push(affine(stats[i], 1 / d, 0));
        }
        stats = next;
        break;
      }
      case 'threshold':
        stats = thresholdStats(stats, t);
        break;
      case 'clip':
        stats = stats.map((s) => {
          const clamp = (v: number) => Math.min(t.max ?? Infinity, Math.max(t.min ?? -Infinity, v));
          const min = clamp(s.min);
          const max = clamp(s.max);
          return { ...s, min, max, mean: clamp(s.mean), std: Math.min(s.std, (max - min) / 2), infCount: 0, medianAbs: undefined };
        });
        break;
      case 'scaler':
        if (t.scaler === 'StandardScaler') {
          // scikit-learn leaves zero-variance columns unscaled (scale 1) instead of dividing by zero.
          stats = stats.map((s) => affine(s, s.std === 0 ? 1 : 1 / s.std, s.std === 0 ? -s.mean : -s.mean / s.std));
        } else if (t.scaler === 'MinMaxScaler') {
          stats = stats.map((s) => {
            const r = s.max - s.min;
            return affine(s, r === 0 ? 1 : 1 / r, r === 0 ? -s.min : -s.min / r);
          });
        } else if (t.scaler === 'MaxAbsScaler') {
          stats = stats.map((s) => {
            const m = Math.max(Math.abs(s.min), Math.abs(s.max));
            return affine(s, m === 0 ? 1 : 1 / m, 0);
          });
        } else return undefined;
        break;
      default:
        return undefined;
    }
    if (t.kind === 'columns') continue;
    // A transform that is not a column statistic itself moves what later statistics are taken of,
    // except the subtract of a mean or min (the std and range of X - mean are those of X).
    if (!(t.kind === 'subtract' && (t.what === 'mean' || t.what === 'min'))) before = stats;
  }
  return stats;
}

/**
 * Statistics after `np.where(x > above, high, low)`: a column wholly on one side takes that value;
 * one the threshold crosses holds both, its mean and spread only bounded (the midpoint, half the gap).
 */
export function thresholdStats(stats: FeatureStats[], t: Extract<DataTransform, { kind: 'threshold' }>): FeatureStats[] {
  return stats.map((s) => {
    const constant = s.max <= t.above ? t.low : s.min > t.above ? t.high : undefined;
    if (constant !== undefined) return { ...s, min: constant, max: constant, mean: constant, std: 0, nanCount: 0, infCount: 0, medianAbs: Math.abs(constant) };
    const min = Math.min(t.low, t.high);
    const max = Math.max(t.low, t.high);
    return { ...s, min, max, mean: (min + max) / 2, std: (max - min) / 2, nanCount: 0, infCount: 0, medianAbs: undefined };
  });
}
