/**
 * Arrays as the analysis follows them: sources (literals, `np.random.*`, files), derivations
 * (slices, splits) and transforms, with per-feature statistics carried along.
 */
import type { DataDistribution, DataSpec, DataTransform, FeatureStats, NoiseDraw, SourceLocation } from '../../ir';
import type { NumericLiteral } from './literals';
import { applyToRows, matrixProduct } from '../../arrays';
import { affineStats, clipStats, statsOfRunningSums, statsOfRows, uniformStats } from '../../statistics';
import type { ArrayObj, ColumnVector, IntegerDtype, ScalerObj } from './values';
import { thresholdStats } from '../../data/transforms';

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

/**
 * How many standard deviations from the mean bound `n` normal draws: the least z (at least 4) for
 * which all n fall within mean +- z std but with probability under 1e-6 (n 2 Q(z) <= 1e-6). A
 * normal has no bounds; 4 std alone is passed by one draw in 16,000, so by a few of any array of
 * 10,000 values.
 */
export function normalBound(n: number): number {
  const target = 1e-6 / (2 * Math.max(1, n));
  let z = 4;
  while (z < 40 && upperTail(z) > target) z += 0.05;
  return Math.round(z * 100) / 100;
}

/** Q(z) = P(Z > z) for a standard normal, from the continued-fraction bound (relative error under 1% for z >= 4). */
function upperTail(z: number): number {
  const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  return (density / z) * (1 - 1 / (z * z) + 3 / z ** 4);
}

/** `np.random.*`: statistics from the distribution's support (normal: mean +- z std, z from `normalBound` of the number of values). */
export function randomArray(distribution: DataDistribution, shape: number[], p: RandomParameters, location: SourceLocation): ArrayObj {
  const count = shape.length > 0 ? shape[0] : 1;
  const width = featureCount(shape) ?? 1;
  const features = width > MAX_IDENTICAL_FEATURES ? 1 : width;
  let stats: FeatureStats[];
  if (distribution === 'normal' || distribution === 'randn' || distribution === 'standard_normal') {
    const mean = p.mean ?? 0;
    const std = Math.abs(p.std ?? 1);
    const z = normalBound(count * width);
    stats = uniformStats(features, count, mean - z * std, mean + z * std, mean, std);
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
    distributional: true,
  };
}

export function fileArray(loader: string, path: string, location: SourceLocation, columns?: string[]): ArrayObj {
  const array: ArrayObj = { source: { kind: 'file', loader, path, location, columns }, transforms: [], columnNames: columns };
  if (loader.startsWith('pd.')) array.frame = true;
  return array;
}

export function unknownArray(note: string, location?: SourceLocation): ArrayObj {
  return { source: { kind: 'unknown', note, location }, transforms: [] };
}

export function currentStats(a: ArrayObj): FeatureStats[] | undefined {
  if (a.rows) {
    if (a.rows.length > 0) return statsOfRows(a.rows);
    // No rows left (`x[:0]`, a split that takes none): each feature still has its (empty) statistics.
    const width = a.shape && a.shape.length > 1 ? featureCount(a.shape) : 1;
    return width === undefined ? [] : Array.from({ length: width }, () => ({ count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount: 0, infCount: 0 }));
  }
  return a.stats;
}

/** Applies a transform, moving values or statistics where the transform is understood. */
export function transformed(
  a: ArrayObj,
  transform: DataTransform,
  onRows?: (rows: number[][]) => number[][] | undefined,
  onStats?: (stats: FeatureStats[]) => FeatureStats[] | undefined,
): ArrayObj {
  const next: ArrayObj = { ...a, name: undefined, location: undefined, transforms: [...a.transforms, transform], cells: undefined, resetIndexOf: undefined, permutation: undefined, index: undefined, mask: undefined, nanMaskOf: undefined, shiftedByMinOf: undefined, distributional: undefined };
  // Labels stay labels through a cast or a reshape, not through arithmetic.
  if (a.labels && transform.kind !== 'astype' && transform.kind !== 'reshape') next.labels = undefined;
  // The rows held are the array's: its first dimension, should they be dropped below.
  if (a.rows && a.shape) next.shape = [a.rows.length, ...a.shape.slice(1)];
  if (a.rows) {
    const rows = onRows?.(a.rows);
    // numpy rounds each float32 result to float32 (and past 3.4e38 to inf).
    next.rows = rows && a.dtype === 'float32' ? float32Rows(rows) : rows;
    next.stats = rows ? undefined : onStats && a.rows ? onStats(statsOfRows(a.rows)) : undefined;
    if (!rows && !next.stats) next.statsKind = undefined;
  } else if (a.stats) {
    next.stats = onStats?.(a.stats);
    if (next.stats && a.dtype === 'float32' && !fitsFloat32(next.stats)) next.stats = undefined;
    if (!next.stats) next.statsKind = undefined;
  }
  checkedInteger(a, next);
  return next;
}

const FLOAT32_MAX = 3.4028234663852886e38;

/** Transforms that move or replace values without computing new ones (a value written stays exactly as written). */
const COPYING_TRANSFORMS = new Set<DataTransform['kind']>(['astype', 'reshape', 'dropna', 'fillna', 'nan_to_num', 'clip']);

/** Whether every value is one written in the code (or a constant the code wrote in), not the result of arithmetic. */
function asWritten(a: ArrayObj): boolean {
  return a.transforms.every((t) => COPYING_TRANSFORMS.has(t.kind));
}

function float32Rows(rows: number[][]): number[][] {
  return rows.map((r) => r.map(Math.fround));
}

/** Whether values within these statistics stay finite in float32 (else which overflow to inf is not known). */
function fitsFloat32(stats: FeatureStats[]): boolean {
  return stats.every((s) => s.count === 0 || (Math.abs(s.min) <= FLOAT32_MAX && Math.abs(s.max) <= FLOAT32_MAX));
}

/**
 * `x.astype(dtype)`: floats keep their values (float32 rounds within the statistics' tolerance);
 * integers truncate toward zero, known while every value fits the type and none is NaN or inf;
 * any other type (float16, bool, strings) leaves the values unknown.
 */
export function castTo(a: ArrayObj, transform: DataTransform, dtype: string): ArrayObj {
  const name = dtype.toLowerCase();
  if (/^(float32|single|f4)$/.test(name)) {
    const next = transformed({ ...a, dtype: undefined }, transform, float32Rows, (s) => (fitsFloat32(s) ? s : undefined));
    return { ...next, dtype: 'float32', distributional: a.distributional };
  }
  if (/^(float|float64|double|float_|longdouble|f8)$/.test(name)) return { ...transformed(a, transform, (r) => r, (s) => s), distributional: a.distributional, dtype: undefined };
  const int = /^(u?)int(8|16|32|64)?$|^(int_|intc|intp|long|longlong)$/.exec(name);
  if (!int) return { ...transformed(a, transform), dtype: undefined };
  const bits = int[2] ? Number(int[2]) : name === 'intc' ? 32 : 64;
  const integer = `${int[1]}int${bits}` as IntegerDtype;
  const [lo, hi] = integerRange(integer);
  const fits = (v: number): boolean => Number.isFinite(v) && Math.trunc(v) >= lo && Math.trunc(v) <= hi;
  // Values computed on the way may sit a rounding away from an integer, where numpy's rounding
  // decides the truncation: only values as written (no arithmetic since) are truncated exactly.
  const written = asWritten(a);
  const edge = (v: number): boolean => Math.round(v) !== 0 && Math.abs(v - Math.round(v)) <= 1e-9 * Math.max(1, Math.abs(v));
  const next = transformed(
    { ...a, dtype: undefined },
    transform,
    (rows) => (rows.every((r) => r.every(fits)) && (written || !rows.some((r) => r.some(edge))) ? rows.map((r) => r.map((v) => Math.trunc(v) + 0)) : undefined),
    (stats) => {
      if (!stats.every((s) => s.nanCount === 0 && s.infCount === 0 && (s.count === 0 || (fits(s.min) && fits(s.max))))) return undefined;
      const tolerance = (v: number): number => 1e-9 * Math.max(1, Math.abs(v));
      return stats.map((s) => ({ ...s, min: Math.trunc(s.min - tolerance(s.min)) + 0, max: Math.trunc(s.max + tolerance(s.max)) + 0, medianAbs: undefined }));
    },
  );
  // Truncated values keep their bounds, not their mean and spread.
  if (!next.rows && next.stats) next.statsKind = 'bounds';
  next.dtype = integer;
  return next;
}

/** The values an integer type holds (64-bit ones as far as float64 holds integers exactly). */
function integerRange(dtype: IntegerDtype): [number, number] {
  const bits = Number(dtype.replace(/^u?int/, ''));
  const unsigned = dtype.startsWith('u');
  if (bits === 64) return unsigned ? [0, Number.MAX_SAFE_INTEGER] : [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  return unsigned ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
}

/**
 * After an operation on an integer array: values past the type's range may have wrapped (integer
 * arithmetic) or not (a float result): unknown; fractions, NaN or inf mean the result is float.
 */
function checkedInteger(a: ArrayObj, next: ArrayObj): void {
  const dtype = a.dtype;
  if (dtype === undefined || dtype === 'float32') return;
  const [lo, hi] = integerRange(dtype);
  const outside = (v: number): boolean => Number.isFinite(v) && (v < lo || v > hi);
  let fractional = false;
  if (next.rows) {
    for (const r of next.rows) {
      for (const v of r) {
        if (outside(v)) {
          next.rows = undefined;
          next.stats = undefined;
          next.statsKind = undefined;
          return;
        }
        if (!Number.isInteger(v)) fractional = true;
      }
    }
  } else if (next.stats) {
    if (next.stats.some((s) => s.count > 0 && (outside(s.min) || outside(s.max)))) {
      next.stats = undefined;
      next.statsKind = undefined;
      return;
    }
    fractional = next.stats.some((s) => s.nanCount > 0 || s.infCount > 0 || (s.count > 0 && (!Number.isInteger(s.min) || !Number.isInteger(s.max))));
  }
  if (fractional) next.dtype = undefined;
}

/**
 * `df.fillna(v)` (a number, or one per column as `df.mean()` gives): NaN cells take the value.
 * Exact statistics are updated exactly (the filled cells join the count, the mean and the
 * spread); bounds widen to hold the value.
 */
export function filledNaN(a: ArrayObj, transform: DataTransform, fill: number | number[] | undefined): ArrayObj {
  if (fill === undefined) return transformed(a, transform);
  const at = (c: number): number | undefined => (Array.isArray(fill) ? fill[c] : fill);
  return transformed(
    a,
    transform,
    (rows) => (rows.every((r) => r.every((_, c) => at(c) !== undefined)) ? rows.map((r) => r.map((x, c) => (Number.isNaN(x) ? (at(c) as number) : x))) : undefined),
    (stats) => filledStats(stats, at),
  );
}

/**
 * `np.nan_to_num(x, nan=0.0)`: NaN cells take the value. Infinite ones take the largest finite
 * number of the array's float type, which the analysis does not track: with any, the values and
 * statistics are unknown.
 */
export function nanToNum(a: ArrayObj, transform: DataTransform, fill: number): ArrayObj {
  return transformed(
    a,
    transform,
    (rows) => (rows.some((r) => r.some((v) => v === Infinity || v === -Infinity)) ? undefined : rows.map((r) => r.map((v) => (Number.isNaN(v) ? fill : v)))),
    (stats) => (stats.some((s) => s.infCount > 0) ? undefined : filledStats(stats, () => fill)),
  );
}

/** Statistics after NaN cells of each column take a value: exact for exact statistics, widened bounds otherwise. */
function filledStats(stats: FeatureStats[], at: (column: number) => number | undefined): FeatureStats[] | undefined {
  const out: FeatureStats[] = [];
  for (let c = 0; c < stats.length; c++) {
    const s = stats[c];
    const v = at(c);
    if (s.nanCount === 0) out.push(s);
    else if (v === undefined || !Number.isFinite(v)) return undefined;
    else if (s.count === 0) out.push({ ...s, count: s.nanCount, nanCount: 0, min: v, max: v, mean: v, std: 0, medianAbs: undefined });
    else {
      const count = s.count + s.nanCount;
      const mean = (s.mean * s.count + v * s.nanCount) / count;
      const second = (s.std * s.std + s.mean * s.mean) * s.count + v * v * s.nanCount;
      const std = Math.sqrt(Math.max(0, second / count - mean * mean));
      out.push({ ...s, count, nanCount: 0, min: Math.min(s.min, v), max: Math.max(s.max, v), mean, std, medianAbs: undefined });
    }
  }
  return out;
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
  const next: ArrayObj = { ...a, name: undefined, location: undefined, rows: undefined, stats: undefined, statsKind: undefined, transforms: [...a.transforms, transform], dtype: undefined };
  next.shape = a.shape && a.shape.length === 2 ? [a.shape[0], columns] : undefined;
  const inner = b.rows?.length ?? 0;
  if (a.rows && b.rows && columns !== null && a.rows.every((r) => r.length === inner) && a.rows.length * inner * columns <= EXACT_MATMUL_WORK) {
    next.rows = matrixProduct(a.rows, b.rows);
    next.statsKind = 'exact';
  }
  return next;
}

/** `x * scale + shift` (per column when arrays). Draws stay draws (of another distribution); a slack scales with them. */
export function affine(a: ArrayObj, transform: DataTransform, scale: number | number[], shift: number | number[]): ArrayObj {
  const at = (v: number | number[], c: number): number => (Array.isArray(v) ? (v[c] ?? NaN) : v);
  const next = transformed(
    a,
    transform,
    (rows) => applyToRows(rows, (x, c) => x * at(scale, c) + at(shift, c)),
    (stats) => affineStats(stats, scale, shift),
  );
  return scaledFacts(a, next, scale);
}

/** What an affine map keeps: independent draws, and a slack times the largest factor. */
function scaledFacts(a: ArrayObj, next: ArrayObj, scale: number | number[]): ArrayObj {
  if (!next.stats || next.rows) return { ...next, statsSlack: undefined };
  const factors = Array.isArray(scale) ? scale : [scale];
  const widest = Math.max(...factors.map(Math.abs));
  if (a.distributional && factors.every((f) => Number.isFinite(f) && f !== 0)) next.distributional = true;
  if (a.statsSlack !== undefined) next.statsSlack = Number.isFinite(widest) ? a.statsSlack * widest : undefined;
  if (next.statsSlack === undefined && a.statsSlack !== undefined) return { ...next, stats: undefined, statsKind: undefined };
  return next;
}

/** `x / divisor` per column, with IEEE semantics on exact values (0/0 is NaN, as numpy gives). */
export function divide(a: ArrayObj, transform: DataTransform, divisor: number | number[]): ArrayObj {
  const at = (c: number): number => (Array.isArray(divisor) ? (divisor[c] ?? NaN) : divisor);
  const zero = Array.isArray(divisor) ? divisor.some((d) => d === 0) : divisor === 0;
  const next = transformed(
    a,
    transform,
    (rows) => applyToRows(rows, (x, c) => x / at(c)),
    (stats) => (zero ? undefined : affineStats(stats, Array.isArray(divisor) ? divisor.map((d) => 1 / d) : 1 / divisor, 0)),
  );
  return zero ? next : scaledFacts(a, next, Array.isArray(divisor) ? divisor.map((d) => 1 / d) : 1 / divisor);
}

/**
 * A non-linear element-wise map: exact on known values. Statistics without values follow the
 * monotone functions numpy applies (`log`, `log1p`, `sqrt`, `exp`, `tanh`, `arcsinh`, `abs`) as
 * bounds, where the whole range is inside the function's domain and no value overflows; else
 * they are dropped.
 */
export function elementwise(a: ArrayObj, transform: DataTransform, f: (x: number) => number, fn?: string): ArrayObj {
  const onRows = (rows: number[][]): number[][] | undefined => (fn && nearDomainEdge(a, rows, fn) ? undefined : applyToRows(rows, (x) => f(x)));
  const next = transformed(a, transform, onRows, (stats) => (fn && a.statsSlack === undefined ? mappedBounds(stats, fn, f, a.dtype === 'float32') : undefined));
  if (!next.rows && next.stats) next.statsKind = 'bounds';
  return next;
}

/**
 * Whether a computed value sits a rounding away from the edge of `fn`'s domain (0 for sqrt and
 * log, -1 for log1p), where numpy's rounding decides between a number and NaN or -inf: a mean
 * subtracted from the value equal to it leaves 0 here and -1e-17 there. Values as written
 * (no arithmetic since) are what they are.
 */
function nearDomainEdge(a: ArrayObj, rows: number[][], fn: string): boolean {
  const edge = fn === 'sqrt' || fn.startsWith('log') ? (fn === 'log1p' ? -1 : 0) : undefined;
  if (edge === undefined || asWritten(a)) return false;
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  for (let c = 0; c < width; c++) {
    let scale = 0;
    for (const r of rows) if (Number.isFinite(r[c])) scale = Math.max(scale, Math.abs(r[c]));
    const near = 1e-12 * Math.max(scale, Math.abs(edge));
    if (rows.some((r) => Math.abs(r[c] - edge) <= near)) return true;
  }
  return false;
}

/** Functions that give whole numbers, exactly: their bounds need no slack for rounding. */
const WHOLE_NUMBER_FUNCTIONS = new Set(['round', 'around', 'rint', 'floor', 'ceil', 'sign']);

/** Functions that never decrease, defined everywhere: the image of [min, max] is [f(min), f(max)]. */
const MONOTONE_FUNCTIONS = new Set(['exp', 'expm1', 'tanh', 'arcsinh', ...WHOLE_NUMBER_FUNCTIONS]);

/** Bounds of f over each column's range, for an increasing f (or abs), where the range is inside its domain. */
function mappedBounds(stats: FeatureStats[], fn: string, f: (x: number) => number, float32: boolean): FeatureStats[] | undefined {
  const out: FeatureStats[] = [];
  for (const s of stats) {
    if (s.infCount > 0) return undefined;
    if (s.count === 0) {
      out.push(s);
      continue;
    }
    let lo: number;
    let hi: number;
    if (fn === 'abs' || fn === 'square') {
      lo = s.min >= 0 ? s.min : s.max <= 0 ? -s.max : 0;
      hi = Math.max(Math.abs(s.min), Math.abs(s.max));
      if (fn === 'square') [lo, hi] = [lo * lo, hi * hi];
    } else {
      const domain = fn === 'log' || fn === 'log2' || fn === 'log10' ? s.min > 0 : fn === 'log1p' ? s.min > -1 : fn === 'sqrt' ? s.min >= 0 : MONOTONE_FUNCTIONS.has(fn);
      if (!domain) return undefined;
      lo = f(s.min);
      hi = f(s.max);
    }
    const round = float32 ? Math.fround : (x: number) => x;
    if (!Number.isFinite(round(lo)) || !Number.isFinite(round(hi))) return undefined;
    // Within a rounding of f's own (numpy's float32 functions may round the other way).
    const slack = (x: number): number => (WHOLE_NUMBER_FUNCTIONS.has(fn) ? 0 : 4e-7 * Math.max(1, Math.abs(x)));
    const min = lo - slack(lo);
    const max = hi + slack(hi);
    const mid = Math.min(max, Math.max(min, fn === 'abs' ? Math.abs(s.mean) : fn === 'square' ? s.mean * s.mean : f(s.mean)));
    out.push({ ...s, min, max, mean: mid, std: Math.min((max - min) / 2, s.std * ((max - min) / Math.max(s.max - s.min, Number.MIN_VALUE))), medianAbs: undefined });
  }
  return out;
}

export function clipped(a: ArrayObj, transform: DataTransform, lo: number | undefined, hi: number | undefined): ArrayObj {
  const clamp = (x: number): number => (Number.isNaN(x) ? x : Math.min(hi ?? Infinity, Math.max(lo ?? -Infinity, x)));
  const next = transformed(a, transform, (rows) => applyToRows(rows, clamp), (stats) => clipStats(stats, lo, hi));
  // Without values, a clip that cuts into a column leaves its mean and spread approximate: bounds.
  const before = a.rows ? undefined : a.stats;
  const cuts = before?.some((s) => s.infCount > 0 || (s.count > 0 && ((lo !== undefined && s.min < lo) || (hi !== undefined && s.max > hi))));
  if (!next.rows && next.stats && cuts) next.statsKind = 'bounds';
  return next;
}

/** `np.where(x > t, high, low)`: the values, and what the statistics say of them (each side of the threshold, where it is crossed). */
export function thresholded(a: ArrayObj, transform: Extract<DataTransform, { kind: 'threshold' }>): ArrayObj {
  const { above, high, low } = transform;
  const next = transformed(a, transform, (rows) => applyToRows(rows, (x) => (x > above ? high : low)), (stats) => thresholdStats(stats, transform));
  if (!next.rows && next.stats) next.statsKind = 'bounds';
  return next;
}

/** The draw of noise made by `np.random.*` (times numbers): what the reproduction adds again; undefined when it is not one. */
function noiseDraw(noise: ArrayObj, sign: number): NoiseDraw | undefined {
  const source = noise.source;
  if (source.kind !== 'random') return undefined;
  let factor = sign;
  for (const t of noise.transforms) {
    if (t.kind === 'multiply' && typeof t.by === 'number') factor *= t.by;
    else if (t.kind !== 'astype') return undefined;
  }
  if (source.distribution === 'normal' || source.distribution === 'randn' || source.distribution === 'standard_normal') {
    return { distribution: 'normal', mean: (source.mean ?? 0) * factor, std: Math.abs((source.std ?? 1) * factor) };
  }
  if (source.distribution === 'randint') return undefined;
  const [low, high] = [(source.low ?? 0) * factor, (source.high ?? 1) * factor];
  return { distribution: 'uniform', low: Math.min(low, high), high: Math.max(low, high) };
}

/** Adding noise from a random array: bounds widen, statistics become bound-based. */
export function withNoise(a: ArrayObj, noise: ArrayObj, scale: number, location: SourceLocation): ArrayObj {
  const base = currentStats(a);
  const n = noise.stats?.[0];
  const draw = noiseDraw(noise, scale);
  const next: ArrayObj = { ...a, name: undefined, location: undefined, rows: undefined, transforms: [...a.transforms, { kind: 'noise', ...(draw ? { draw } : {}), location }], dtype: undefined };
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

/** How a reduction treats missing values: numpy's `mean` gives NaN where a NaN is, pandas's (and `np.nanmean`) skip them; `std`'s delta degrees of freedom (pandas: 1). */
export interface ReductionOptions {
  skipNaN?: boolean;
  ddof?: number;
}

/**
 * Whether numpy's std of `values` is the `std` computed here: clearly above rounding, or exactly 0
 * for a column of one value whose running sum never rounds (numpy sums in another order; a sum
 * that rounds leaves its mean a rounding away from the value, and the std tiny instead of 0).
 */
function steadyStd(values: number[], std: number, float32: boolean): boolean {
  if (Number.isNaN(std)) return true;
  const finite = values.filter((v) => Number.isFinite(v));
  const scale = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (scale === 0 || std > (float32 ? 1e-5 : 1e-10) * scale) return true;
  const v = finite[0];
  if (!finite.every((x) => x === v)) return false;
  let sum = 0;
  for (let k = 0; k < finite.length; k++) {
    const next = sum + v;
    // Exact in float64 (TwoSum's error is 0), and in float32 when the array is.
    const back = next - sum;
    if (sum - (next - back) + (v - back) !== 0 || (float32 && Math.fround(next) !== next)) return false;
    sum = next;
  }
  return true;
}

/**
 * How numpy and pandas add up a reduction, which decides its last bits: numpy adds a column of a
 * many-column array row after row ('sequential'), and a whole array, a single column or a 1-D
 * array pairwise (8 running sums per block of up to 128 values, blocks halved beyond); pandas adds
 * each column pairwise. float32 arrays add in float32.
 */
export interface Summation {
  order: 'pairwise' | 'sequential';
  float32?: boolean;
}

const identity = (x: number): number => x;

/** numpy's pairwise_sum (loops_utils.h) over values[lo, lo + n). */
function pairwiseSum(values: number[], lo: number, n: number, round: (x: number) => number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = round(res + values[lo + i]);
    return res;
  }
  if (n <= 128) {
    const r = values.slice(lo, lo + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = round(r[j] + values[lo + i + j]);
    let res = round(round(round(r[0] + r[1]) + round(r[2] + r[3])) + round(round(r[4] + r[5]) + round(r[6] + r[7])));
    for (; i < n; i++) res = round(res + values[lo + i]);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return round(pairwiseSum(values, lo, half, round) + pairwiseSum(values, lo + half, n - half, round));
}

function sumOf(values: number[], how: Summation): number {
  const round = how.float32 ? Math.fround : identity;
  if (how.order === 'pairwise') return pairwiseSum(values, 0, values.length, round);
  let res = 0;
  for (const v of values) res = round(res + v);
  return res;
}

/**
 * One reduction of a list of values as numpy (or pandas, with `skipNaN`) computes it, to the last
 * bit where the order of summation is numpy's: NaN and inf take part unless NaN is skipped
 * (skipped cells count as 0 in the sums and not in the count, as both libraries do).
 */
function reduce(values: number[], label: 'mean' | 'std' | 'min' | 'max', options: ReductionOptions, how: Summation = { order: 'sequential' }): number {
  const round = how.float32 ? Math.fround : identity;
  const n = options.skipNaN ? values.filter((v) => !Number.isNaN(v)).length : values.length;
  if (n === 0) return NaN;
  if (label === 'min' || label === 'max') {
    let out = NaN;
    for (const v of values) {
      if (Number.isNaN(v)) {
        if (options.skipNaN) continue;
        return NaN;
      }
      if (Number.isNaN(out) || (label === 'min' ? v < out : v > out)) out = v;
    }
    return out;
  }
  const filled = options.skipNaN ? values.map((v) => (Number.isNaN(v) ? 0 : v)) : values;
  const mean = round(sumOf(filled, how) / n);
  if (label === 'mean') return mean;
  const squares = values.map((v) => {
    if (options.skipNaN && Number.isNaN(v)) return 0;
    const d = round(v - mean);
    return round(d * d);
  });
  const dof = n - (options.ddof ?? 0);
  return dof > 0 ? round(Math.sqrt(round(sumOf(squares, how) / dof))) : NaN;
}

/**
 * A per-column statistic of an array (`X.mean(axis=0)`); one of the whole array when not per
 * column. Exact values where the array's values or exact statistics are known; for bound-based
 * statistics only the range the statistic lies in (the sample's mean is not the distribution's).
 */
export function columnVector(a: ArrayObj, label: 'mean' | 'std' | 'min' | 'max', perColumn: boolean, options: ReductionOptions = {}): ColumnVector {
  const stats = currentStats(a);
  const vector: ColumnVector = { label, epsilon: false, perColumn, of: a };
  if (!stats || stats.length === 0) return vector;
  const float32 = a.dtype === 'float32';
  if (a.rows && a.rows.length > 0) {
    const width = stats.length;
    const columns = perColumn ? Array.from({ length: width }, (_, c) => a.rows!.map((r) => r[c] ?? NaN)) : [a.rows.flat()];
    // pandas adds each column pairwise; numpy a column of several row after row, anything else pairwise.
    const how: Summation = { order: a.frame || !perColumn || width === 1 ? 'pairwise' : 'sequential', float32 };
    const values = columns.map((column) => reduce(column, label, options, how));
    if (label === 'std' && !columns.every((column, c) => steadyStd(column, values[c], float32))) vector.unsteady = true;
    vector.values = perColumn ? values : stats.map(() => values[0]);
    return vector;
  }
  // Statistics without values: NaN and inf cells make a numpy statistic NaN or inf, pandas skips NaN only.
  const clean = (s: FeatureStats): boolean => s.infCount === 0 && (options.skipNaN === true || s.nanCount === 0);
  if (!stats.every(clean)) return vector;
  const ddof = options.ddof ?? 0;
  const exact = (a.statsKind ?? 'exact') === 'exact';
  // Bounds: the distribution's mean and std stand for those of enough independent draws; its min
  // and max do not (a normal's bounds are far beyond a sample's extremes), so those stay unknown.
  if (!exact && (label === 'min' || label === 'max' || !drawsEnough(a))) return vector;
  if (!exact) vector.approximate = true;
  const corrected = (std: number, n: number): number => (ddof === 0 ? std : n - ddof > 0 ? std * Math.sqrt(n / (n - ddof)) : NaN);
  if (exact && label === 'std' && !stats.every((s) => steadyStd(s.min === s.max ? new Array<number>(s.count).fill(s.min) : [s.min, s.max], s.min === s.max ? 0 : s.std, float32))) vector.unsteady = true;
  if (perColumn) {
    vector.values = stats.map((s) => (label === 'std' ? corrected(s.std, s.count) : s[label]));
    return vector;
  }
  const n = stats.reduce((sum, f) => sum + f.count, 0);
  const mean = stats.reduce((sum, f) => sum + f.mean * f.count, 0) / (n || 1);
  let value: number;
  if (label === 'min') value = Math.min(...stats.map((s) => s.min));
  else if (label === 'max') value = Math.max(...stats.map((s) => s.max));
  else if (label === 'mean') value = mean;
  else value = corrected(Math.sqrt(Math.max(0, stats.reduce((sum, f) => sum + (f.std * f.std + f.mean * f.mean) * f.count, 0) / (n || 1) - mean * mean)), n);
  vector.values = stats.map(() => value);
  return vector;
}

/**
 * Draws a distribution's mean and std stand for: a sample of 100 keeps its mean within a quarter
 * of the range of the distribution's (5 standard errors), its std within a third, and a
 * two-valued `randint` column from coming out constant or lopsided enough to pass the slack.
 */
const MIN_DRAWS_FOR_MOMENTS = 100;
/** The slack of statistics computed with a distribution's moments: this share of the claimed range. */
export const MOMENTS_SLACK = 0.5;

function drawsEnough(a: ArrayObj): boolean {
  return a.distributional === true && (a.stats ?? []).every((s) => s.count >= MIN_DRAWS_FOR_MOMENTS && s.std > 0 && s.nanCount === 0 && s.infCount === 0);
}

/** `x - v` for a column statistic `v` (exact, or approximate: see ColumnVector). */
export function subtractVector(a: ArrayObj, transform: DataTransform, vec: ColumnVector): ArrayObj {
  if (!vec.values && vec.label === 'min' && vec.of === a) return shiftedByOwnMin(a, transform, vec.perColumn);
  if (!vec.values) return transformed(a, transform);
  if (vec.approximate && a !== vec.of) return transformed(a, transform);
  return approximated(affine(a, transform, 1, vec.values.map((v) => -v)), vec);
}

/** `x / v` for a column statistic `v` (exact, or approximate: see ColumnVector). */
export function divideVector(a: ArrayObj, transform: DataTransform, vec: ColumnVector): ArrayObj {
  if (!vec.values && vec.label === 'range' && a.shiftedByMinOf && a.shiftedByMinOf.of === vec.of && a.shiftedByMinOf.perColumn === vec.perColumn) return rangeScaled(a, transform, vec);
  if (!vec.values || vec.unsteady) return transformed(a, transform);
  if (vec.approximate && !drawsEnough(vec.of ?? a)) return transformed(a, transform);
  return approximated(divide(a, transform, vec.values), vec);
}

/**
 * `x - x.min(axis=0)` of data known by bounds: each value lies between 0 and its column's range
 * (or, against the whole array's min, between 0 and its column's max less the lowest min), whatever
 * the sample.
 */
function shiftedByOwnMin(a: ArrayObj, transform: DataTransform, perColumn: boolean): ArrayObj {
  const next = transformed(a, transform, undefined, (stats) => {
    if (stats.some((s) => s.infCount > 0 || s.nanCount > 0)) return undefined;
    const lowest = Math.min(...stats.map((s) => s.min));
    return stats.map((s) => {
      const hi = s.max - (perColumn ? s.min : lowest);
      return { ...s, min: 0, max: hi, mean: Math.min(hi, Math.max(0, s.mean - (perColumn ? s.min : lowest))), std: Math.min(s.std, hi / 2), medianAbs: undefined };
    });
  });
  if (next.stats) {
    next.statsKind = 'bounds';
    next.statsSlack = undefined;
    next.shiftedByMinOf = { of: a, perColumn };
  }
  return next;
}

/**
 * `(x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))` of data known by bounds: within [0, 1]
 * (exactly 0 and 1 at the extremes), while the data are draws enough that no column comes out
 * constant (0 / 0); otherwise unknown.
 */
function rangeScaled(a: ArrayObj, transform: DataTransform, vec: ColumnVector): ArrayObj {
  if (!vec.of || !drawsEnough(vec.of)) return transformed(a, transform);
  const next = transformed(a, transform, undefined, (stats) => stats.map((s) => ({ ...s, min: 0, max: 1, mean: Math.min(1, Math.max(0, s.mean / Math.max(s.max, Number.MIN_VALUE))), std: Math.min(0.5, s.std / Math.max(s.max, Number.MIN_VALUE)), medianAbs: undefined })));
  if (next.stats) next.statsKind = 'bounds';
  return next;
}

/** Statistics computed with a distribution's moments: no longer draws, and their sample may pass them by MOMENTS_SLACK of their range. */
function approximated(a: ArrayObj, vec: { approximate?: true }): ArrayObj {
  if (!vec.approximate) return a;
  if (!a.stats || a.rows) return a;
  const width = Math.max(...a.stats.map((s) => s.max - s.min));
  a.distributional = undefined;
  a.statsSlack = (a.statsSlack ?? 0) + MOMENTS_SLACK * width;
  return a;
}

/** Fits a scikit-learn scaler on an array: the per-column affine map it learns. */
export function fitScaler(scaler: ScalerObj, a: ArrayObj): ScalerObj {
  const stats = currentStats(a);
  if (!stats) return { ...scaler, scale: undefined, shift: undefined, fittedOn: undefined };
  // Fitted on data known by bounds: the distribution's statistics stand for the sample's, given draws enough.
  const bounds = !a.rows && (a.statsKind ?? 'exact') !== 'exact';
  if (bounds && !(scaler.className === 'MinMaxScaler' || drawsEnough(a))) return { ...scaler, scale: undefined, shift: undefined, fittedOn: undefined };
  scaler = { ...scaler, fittedOn: bounds ? a : undefined };
  const name = scaler.className;
  if (name === 'MinMaxScaler') {
    const [lo, hi] = scaler.featureRange ?? [0, 1];
    // scikit-learn divides the feature range by the data range, a range under 10 eps counting as 1
    // (_handle_zeros_in_scale): a constant column lands on the range's low end.
    const scale = stats.map((s) => (hi - lo) / (s.max - s.min < 10 * Number.EPSILON ? 1 : s.max - s.min));
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
    // sklearn leaves columns it cannot tell from constant unscaled (its _is_constant_feature:
    // var <= n eps var + (n mean eps)^2) rather than dividing by a rounding.
    const eps = Number.EPSILON;
    const constant = (s: FeatureStats): boolean => s.std * s.std <= s.count * eps * s.std * s.std + (s.count * s.mean * eps) ** 2;
    const scale = stats.map((s) => (s.std === 0 || constant(s) ? 1 : 1 / s.std));
    return { ...scaler, scale, shift: stats.map((s, c) => -s.mean * scale[c]) };
  }
  return { ...scaler, scale: undefined, shift: undefined };
}

export function applyScaler(scaler: ScalerObj, a: ArrayObj, location: SourceLocation): ArrayObj {
  // scikit-learn gives a numpy array, even for a DataFrame.
  const out = scaledBy(scaler, a, location);
  return { ...out, frame: undefined };
}

function scaledBy(scaler: ScalerObj, a: ArrayObj, location: SourceLocation): ArrayObj {
  const transform: DataTransform =
    scaler.className === 'SimpleImputer' || scaler.className === 'KNNImputer' || scaler.className === 'IterativeImputer'
      ? { kind: 'impute', location }
      : { kind: 'scaler', scaler: scaler.className, location };
  if (transform.kind === 'impute') {
    return transformed(a, transform, (rows) => imputeRows(rows), (stats) => stats.map((s) => ({ ...s, nanCount: 0, infCount: 0 })));
  }
  if (scaler.scale && scaler.shift) {
    if (!scaler.fittedOn) return affine(a, transform, scaler.scale, scaler.shift);
    // Fitted on bounds: a MinMaxScaler maps the data it was fitted on into its range exactly;
    // a StandardScaler approximately (given draws enough); other data, unknown.
    if (scaler.fittedOn !== a) return transformed(a, transform);
    const out = affine(a, transform, scaler.scale, scaler.shift);
    out.distributional = undefined;
    if (scaler.className === 'MinMaxScaler') return { ...out, statsSlack: undefined };
    return approximated(out, { approximate: true });
  }
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
  if (a.filled) spec.filled = a.filled;
  if (a.valuesFrom) spec.valuesFrom = a.valuesFrom;
  if (spec.stats && !a.rows && a.statsSlack !== undefined) spec.statsSlack = a.statsSlack;
  if (a.labels) spec.labels = { ...a.labels };
  // Exact values computed through arithmetic on written-out numbers: what the network sees, whatever the transforms were.
  if (a.rows && a.source.kind === 'literal' && a.transforms.length > 0 && !a.assignments?.length) spec.values = a.rows;
  return spec;
}

/**
 * `to_categorical(y)` / `to_categorical(y, num_classes)`: integer labels as one-hot rows. The
 * classes are the ones given, else those of known labels, else one more than the largest value
 * held; unknown without any of these.
 */
export function oneHot(a: ArrayObj, given: number | undefined, location: SourceLocation): ArrayObj | undefined {
  const values = a.rows?.map((r) => r[0]);
  const largest = values && values.length > 0 && a.rows!.every((r) => r.length === 1) && values.every((v) => Number.isInteger(v) && v >= 0) ? Math.max(...values) : undefined;
  const classes = given ?? a.labels?.classes ?? (largest !== undefined ? largest + 1 : undefined);
  if (classes === undefined || !Number.isInteger(classes) || classes < 1) return undefined;
  const transform: DataTransform = { kind: 'one_hot', classes, location };
  const rows = values && largest !== undefined && largest < classes ? values.map((v) => Array.from({ length: classes }, (_, j) => (j === v ? 1 : 0))) : undefined;
  const n = a.rows?.length ?? a.shape?.[0] ?? null;
  const p = 1 / classes;
  const count = typeof n === 'number' ? n : 0;
  const next = transformed({ ...a, rows: undefined, stats: undefined }, transform);
  // Labels in rows of several (a sequence of tokens, `(n, 100)`) each become a one-hot row: `(n, 100, classes)`; Keras drops a last axis of 1.
  const inner = a.shape && a.shape.length >= 2 && !(a.shape.length === 2 && a.shape[1] === 1) ? a.shape.slice(1) : [];
  const labelsPerSample = inner.every((d): d is number => typeof d === 'number') ? inner.reduce((x, y) => x * y, 1) : undefined;
  return {
    ...next,
    shape: [n, ...inner, classes],
    rows,
    stats: rows || labelsPerSample === undefined ? undefined : uniformStats(classes * labelsPerSample, count, 0, 1, p, Math.sqrt(p * (1 - p))),
    statsKind: rows ? undefined : 'bounds',
    dtype: undefined,
    labels: { classes, oneHot: true },
  };
}

/** `np.max(y)`, `y.min()` of integer class labels (no axis): the largest or smallest class. */
export function labelExtreme(a: ArrayObj, which: string): number | undefined {
  if (!a.labels || a.labels.oneHot) return undefined;
  if (which === 'max') return a.labels.classes - 1;
  if (which === 'min') return 0;
  return undefined;
}

/** `np.unique(y)` of integer class labels: the classes, 0..K-1, as a 1-D array; of rows held, their distinct values in order. */
export function uniqueValues(a: ArrayObj, location: SourceLocation): ArrayObj | undefined {
  let values: number[] | undefined;
  if (a.labels && !a.labels.oneHot) values = Array.from({ length: a.labels.classes }, (_, i) => i);
  else if (a.rows && a.rows.every((r) => r.length === 1)) values = [...new Set(a.rows.map((r) => r[0]))].filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
  if (!values) return undefined;
  return { source: { kind: 'derived', of: a.name ?? 'labels', note: 'np.unique', location }, transforms: [], shape: [values.length], rows: values.map((v) => [v]) };
}
