/**
 * Arrays as the analysis follows them: sources (literals, `np.random.*`, files), derivations
 * (slices, splits) and transforms, with per-feature statistics carried along.
 */
import type { DataDistribution, DataSpec, DataTransform, FeatureStats, SourceLocation } from '../../ir';
import type { NumericLiteral } from './literals';
import { applyToRows, matrixProduct } from '../../arrays';
import { affineStats, clipStats, statsOfRunningSums, statsOfRows, uniformStats } from '../../statistics';
import type { ArrayObj, ColumnVector, ScalerObj } from './values';

/** Width of one sample: all dimensions after the first, multiplied. */
function featureCount(shape: (number | null)[]): number | undefined {
  if (shape.length === 0) return undefined;
  if (shape.length === 1) return 1;
  let width = 1;
  for (const d of shape.slice(1)) {
    if (d === null) return undefined;
    width *= d;
  }
  return width;
}

/**
 * Beyond this many features that share one distribution (`np.random.*` images, Keras datasets),
 * bound-based statistics are one entry standing for every feature: per-pixel copies of the same
 * numbers cost time and say nothing more.
 */
export const MAX_IDENTICAL_FEATURES = 64;

export function literalArray(literal: NumericLiteral, location: SourceLocation): ArrayObj {
  if (literal.rows) {
    return { source: { kind: 'literal', values: literal.rows, location }, transforms: [], shape: literal.shape, rows: literal.rows, statsKind: 'exact' };
  }
  return {
    source: { kind: 'literal', values: [], location },
    transforms: [],
    shape: literal.shape,
    stats: literal.columns ? statsOfRunningSums(literal.columns) : undefined,
    statsKind: literal.columns ? 'exact' : undefined,
  };
}

export function rowsArray(rows: number[][], shape: number[], location: SourceLocation): ArrayObj {
  return literalArray({ shape, rows }, location);
}

export interface RandomParameters {
  low?: number;
  high?: number;
  mean?: number;
  std?: number;
}

/** `np.random.*`: statistics from the distribution's support (normal: mean +- 4 std). */
export function randomArray(distribution: DataDistribution, shape: number[], p: RandomParameters, location: SourceLocation): ArrayObj {
  const count = shape.length > 0 ? shape[0] : 1;
  const width = featureCount(shape) ?? 1;
  const features = width > MAX_IDENTICAL_FEATURES ? 1 : width;
  let stats: FeatureStats[];
  if (distribution === 'normal' || distribution === 'randn' || distribution === 'standard_normal') {
    const mean = p.mean ?? 0;
    const std = p.std ?? 1;
    stats = uniformStats(features, count, mean - 4 * std, mean + 4 * std, mean, std);
  } else {
    const low = p.low ?? 0;
    const high = p.high ?? 1;
    const hi = distribution === 'randint' ? high - 1 : high;
    const levels = distribution === 'randint' ? high - low : 0;
    const std = distribution === 'randint' ? Math.sqrt((levels * levels - 1) / 12) : (high - low) / Math.sqrt(12);
    stats = uniformStats(features, count, low, hi, (low + hi) / 2, std);
  }
  return {
    source: { kind: 'random', distribution, shape, low: p.low, high: p.high, mean: p.mean, std: p.std, location },
    transforms: [],
    shape,
    stats,
    statsKind: 'bounds',
  };
}

export function fileArray(loader: string, path: string, location: SourceLocation, columns?: string[]): ArrayObj {
  const array: ArrayObj = { source: { kind: 'file', loader, path, location, columns }, transforms: [], columnNames: columns };
  if (loader.startsWith('pd.')) array.frame = true;
  return array;
}

/** A slice or split of `parent`: same statistics (exact when the slice can be taken on known values). */
export function derivedArray(parent: ArrayObj, note: string, location: SourceLocation, rows?: number[][]): ArrayObj {
  const of = parent.name ?? 'array';
  const shape = parent.shape ? [rows ? rows.length : null, ...parent.shape.slice(1)] : undefined;
  return {
    source: { kind: 'derived', of, note, location },
    transforms: [...parent.transforms],
    shape,
    rows: rows ?? parent.rows,
    stats: parent.stats,
    statsKind: parent.statsKind,
    columnNames: parent.columnNames,
    frame: parent.frame,
    filePath: parent.filePath,
  };
}

export function unknownArray(note: string, location?: SourceLocation): ArrayObj {
  return { source: { kind: 'unknown', note, location }, transforms: [] };
}

export function currentStats(a: ArrayObj): FeatureStats[] | undefined {
  if (a.rows) return statsOfRows(a.rows);
  return a.stats;
}

/** Applies a transform, moving values or statistics where the transform is understood. */
export function transformed(
  a: ArrayObj,
  transform: DataTransform,
  onRows?: (rows: number[][]) => number[][] | undefined,
  onStats?: (stats: FeatureStats[]) => FeatureStats[] | undefined,
): ArrayObj {
  const next: ArrayObj = { ...a, name: undefined, location: undefined, transforms: [...a.transforms, transform] };
  if (a.rows) {
    const rows = onRows?.(a.rows);
    next.rows = rows;
    next.stats = rows ? undefined : onStats && a.rows ? onStats(statsOfRows(a.rows)) : undefined;
    if (!rows && !next.stats) next.statsKind = undefined;
  } else if (a.stats) {
    next.stats = onStats?.(a.stats);
    if (!next.stats) next.statsKind = undefined;
  }
  return next;
}

/** Exact products are kept while this small (rows x inner x columns multiplications). */
const EXACT_MATMUL_WORK = 1_000_000;

/**
 * `a @ b`: the shape becomes (rows of a, columns of b). Values are kept when both are known
 * and small; otherwise the statistics are unknown (a sum of products has no cheap exact range).
 */
export function matmul(a: ArrayObj, b: ArrayObj, location: SourceLocation): ArrayObj {
  const bShape = b.shape ?? (b.rows ? [b.rows.length, b.rows[0]?.length ?? 0] : undefined);
  const columns = bShape && bShape.length === 2 ? bShape[1] : null;
  const plain = b.transforms.length === 0 && (b.source.kind === 'random' || b.source.kind === 'literal');
  const right = plain ? (b.source as Extract<ArrayObj['source'], { kind: 'random' } | { kind: 'literal' }>) : undefined;
  const transform: DataTransform = { kind: 'matmul', columns, ...(right ? { right } : {}), location };
  const next: ArrayObj = { ...a, name: undefined, location: undefined, rows: undefined, stats: undefined, statsKind: undefined, transforms: [...a.transforms, transform] };
  next.shape = a.shape && a.shape.length === 2 ? [a.shape[0], columns] : undefined;
  const inner = b.rows?.length ?? 0;
  if (a.rows && b.rows && columns !== null && a.rows.every((r) => r.length === inner) && a.rows.length * inner * columns <= EXACT_MATMUL_WORK) {
    next.rows = matrixProduct(a.rows, b.rows);
    next.statsKind = 'exact';
  }
  return next;
}

/** `x * scale + shift` (per column when arrays). */
export function affine(a: ArrayObj, transform: DataTransform, scale: number | number[], shift: number | number[]): ArrayObj {
  const at = (v: number | number[], c: number): number => (Array.isArray(v) ? (v[c] ?? NaN) : v);
  return transformed(
    a,
    transform,
    (rows) => applyToRows(rows, (x, c) => x * at(scale, c) + at(shift, c)),
    (stats) => affineStats(stats, scale, shift),
  );
}

/** `x / divisor` per column, with IEEE semantics on exact values (0/0 is NaN, as numpy gives). */
export function divide(a: ArrayObj, transform: DataTransform, divisor: number | number[]): ArrayObj {
  const at = (c: number): number => (Array.isArray(divisor) ? (divisor[c] ?? NaN) : divisor);
  const zero = Array.isArray(divisor) ? divisor.some((d) => d === 0) : divisor === 0;
  return transformed(
    a,
    transform,
    (rows) => applyToRows(rows, (x, c) => x / at(c)),
    (stats) => (zero ? undefined : affineStats(stats, Array.isArray(divisor) ? divisor.map((d) => 1 / d) : 1 / divisor, 0)),
  );
}

/** A non-linear element-wise map: exact on known values; bound-based statistics are dropped. */
export function elementwise(a: ArrayObj, transform: DataTransform, f: (x: number) => number): ArrayObj {
  return transformed(a, transform, (rows) => applyToRows(rows, (x) => f(x)));
}

export function clipped(a: ArrayObj, transform: DataTransform, lo: number | undefined, hi: number | undefined): ArrayObj {
  const clamp = (x: number): number => (Number.isNaN(x) ? x : Math.min(hi ?? Infinity, Math.max(lo ?? -Infinity, x)));
  return transformed(a, transform, (rows) => applyToRows(rows, clamp), (stats) => clipStats(stats, lo, hi));
}

/** Adding noise from a random array: bounds widen, statistics become bound-based. */
export function withNoise(a: ArrayObj, noise: ArrayObj, scale: number, location: SourceLocation): ArrayObj {
  const base = currentStats(a);
  const n = noise.stats?.[0];
  const next: ArrayObj = { ...a, name: undefined, location: undefined, rows: undefined, transforms: [...a.transforms, { kind: 'noise', location }] };
  if (base && n) {
    const lo = Math.min(n.min * scale, n.max * scale);
    const hi = Math.max(n.min * scale, n.max * scale);
    next.stats = base.map((s) => ({
      ...s,
      min: s.min + lo,
      max: s.max + hi,
      mean: s.mean + n.mean * scale,
      std: Math.sqrt(s.std * s.std + n.std * n.std * scale * scale),
      medianAbs: undefined,
    }));
    next.statsKind = 'bounds';
  } else {
    next.stats = undefined;
    next.statsKind = undefined;
  }
  return next;
}

/** A per-column statistic of an array (`X.mean(axis=0)`); `global` for no axis. */
export function columnVector(a: ArrayObj, label: 'mean' | 'std' | 'min' | 'max', perColumn: boolean): ColumnVector {
  const stats = currentStats(a);
  if (!stats || stats.length === 0) return { label, epsilon: false, perColumn };
  const pick = (s: FeatureStats): number => s[label];
  if (perColumn) return { label, values: stats.map(pick), epsilon: false, perColumn };
  let value: number;
  if (a.rows) {
    const flat = a.rows.flat().filter((x) => Number.isFinite(x));
    const single = statsOfRows(flat.map((x) => [x]))[0];
    value = single ? single[label] : NaN;
  } else {
    const n = stats.reduce((s, f) => s + f.count, 0);
    const mean = stats.reduce((s, f) => s + f.mean * f.count, 0) / (n || 1);
    if (label === 'min') value = Math.min(...stats.map((s) => s.min));
    else if (label === 'max') value = Math.max(...stats.map((s) => s.max));
    else if (label === 'mean') value = mean;
    else value = Math.sqrt(Math.max(0, stats.reduce((s, f) => s + (f.std * f.std + f.mean * f.mean) * f.count, 0) / (n || 1) - mean * mean));
  }
  return { label, values: stats.map(() => value), epsilon: false, perColumn };
}

/** Fits a scikit-learn scaler on an array: the per-column affine map it learns. */
export function fitScaler(scaler: ScalerObj, a: ArrayObj): ScalerObj {
  const stats = currentStats(a);
  if (!stats) return { ...scaler, scale: undefined, shift: undefined };
  const name = scaler.className;
  if (name === 'MinMaxScaler') {
    const [lo, hi] = scaler.featureRange ?? [0, 1];
    const scale = stats.map((s) => (s.max - s.min === 0 ? 1 : (hi - lo) / (s.max - s.min)));
    return { ...scaler, scale, shift: stats.map((s, c) => lo - s.min * scale[c]) };
  }
  if (name === 'MaxAbsScaler') {
    const scale = stats.map((s) => {
      const m = Math.max(Math.abs(s.min), Math.abs(s.max));
      return m === 0 ? 1 : 1 / m;
    });
    return { ...scaler, scale, shift: stats.map(() => 0) };
  }
  if (name === 'StandardScaler' || name === 'PowerTransformer' || name === 'RobustScaler') {
    // sklearn leaves zero-variance columns unscaled rather than dividing by zero.
    const scale = stats.map((s) => (s.std === 0 ? 1 : 1 / s.std));
    return { ...scaler, scale, shift: stats.map((s, c) => -s.mean * scale[c]) };
  }
  return { ...scaler, scale: undefined, shift: undefined };
}

export function applyScaler(scaler: ScalerObj, a: ArrayObj, location: SourceLocation): ArrayObj {
  const transform: DataTransform =
    scaler.className === 'SimpleImputer' || scaler.className === 'KNNImputer' || scaler.className === 'IterativeImputer'
      ? { kind: 'impute', location }
      : { kind: 'scaler', scaler: scaler.className, location };
  if (transform.kind === 'impute') {
    return transformed(a, transform, (rows) => imputeRows(rows), (stats) => stats.map((s) => ({ ...s, nanCount: 0, infCount: 0 })));
  }
  if (scaler.scale && scaler.shift) return affine(a, transform, scaler.scale, scaler.shift);
  if (scaler.className === 'QuantileTransformer') {
    return transformed(a, transform, undefined, (stats) => stats.map((s) => ({ ...s, min: 0, max: 1, mean: 0.5, std: 1 / Math.sqrt(12), medianAbs: undefined })));
  }
  if (scaler.className === 'Normalizer') {
    return transformed(a, transform, undefined, (stats) => stats.map((s) => ({ ...s, min: Math.max(-1, s.min), max: Math.min(1, s.max), medianAbs: undefined })));
  }
  return transformed(a, transform);
}

function imputeRows(rows: number[][]): number[][] {
  const stats = statsOfRows(rows);
  return rows.map((r) => r.map((v, c) => (Number.isFinite(v) ? v : stats[c]?.mean ?? 0)));
}

export function toDataSpec(a: ArrayObj, fallbackName: string): DataSpec {
  const stats = currentStats(a);
  const spec: DataSpec = { name: a.name ?? fallbackName, source: a.source, transforms: a.transforms };
  const shape = a.rows ? [a.rows.length, ...(a.shape ?? []).slice(1)] : a.shape;
  if (shape) spec.shape = shape;
  if (stats) {
    spec.stats = a.columnNames ? stats.map((s, i) => ({ ...s, name: a.columnNames?.[i] })) : stats;
    spec.statsKind = a.rows ? 'exact' : (a.statsKind ?? 'exact');
  }
  if (a.location) spec.location = a.location;
  if (a.assignments) spec.assignments = a.assignments;
  return spec;
}
