/**
 * Per-feature statistics of arrays: exact ones from values (the front-ends' literals, the rules'
 * facts), from running sums, bound-based ones from a distribution's parameters, and how
 * element-wise transforms move them. Data files are summarised in a single pass by
 * `data/columns.ts`, which ends in the same FeatureStats.
 */
import type { FeatureStats } from './ir';

/** Running sums of one column, for literals too big to keep. */
export interface RunningSums {
  count: number;
  min: number;
  max: number;
  sum: number;
  sumSquares: number;
  nanCount: number;
  infCount: number;
}

export function newRunningSums(): RunningSums {
  return { count: 0, min: Infinity, max: -Infinity, sum: 0, sumSquares: 0, nanCount: 0, infCount: 0 };
}

export function accumulate(acc: RunningSums, v: number): void {
  if (Number.isNaN(v)) acc.nanCount++;
  else if (!Number.isFinite(v)) acc.infCount++;
  else {
    acc.count++;
    if (v < acc.min) acc.min = v;
    if (v > acc.max) acc.max = v;
    acc.sum += v;
    acc.sumSquares += v * v;
  }
}

/** Exact statistics of each column of `rows` (population standard deviation, as numpy's default). */
export function statsOfRows(rows: number[][]): FeatureStats[] {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const out: FeatureStats[] = [];
  for (let c = 0; c < width; c++) {
    const finite: number[] = [];
    let nanCount = 0;
    let infCount = 0;
    for (const row of rows) {
      const v = row[c];
      if (v === undefined || Number.isNaN(v)) nanCount++;
      else if (!Number.isFinite(v)) infCount++;
      else finite.push(v);
    }
    out.push(statsOfValues(finite, nanCount, infCount));
  }
  return out;
}

function statsOfValues(finite: number[], nanCount: number, infCount: number): FeatureStats {
  const count = finite.length;
  if (count === 0) return { count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount, infCount };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / count;
  let squares = 0;
  for (const v of finite) squares += (v - mean) * (v - mean);
  const abs = finite.map(Math.abs).sort((a, b) => a - b);
  const mid = abs.length >> 1;
  const medianAbs = abs.length % 2 === 1 ? abs[mid] : (abs[mid - 1] + abs[mid]) / 2;
  return { count, min, max, mean, std: Math.sqrt(squares / count), nanCount, infCount, medianAbs };
}

export function statsOfRunningSums(columns: RunningSums[]): FeatureStats[] {
  return columns.map((a) => {
    if (a.count === 0) return { count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount: a.nanCount, infCount: a.infCount };
    const mean = a.sum / a.count;
    const variance = Math.max(0, a.sumSquares / a.count - mean * mean);
    return { count: a.count, min: a.min, max: a.max, mean, std: Math.sqrt(variance), nanCount: a.nanCount, infCount: a.infCount };
  });
}

/** The same statistics for each of `features` columns. */
export function uniformStats(features: number, count: number, min: number, max: number, mean: number, std: number): FeatureStats[] {
  // One object for every column (an image has hundreds): statistics are never mutated, only replaced.
  const shared: FeatureStats = { count, min, max, mean, std, nanCount: 0, infCount: 0 };
  return Array.from({ length: features }, () => shared);
}

/** `x * scale + shift`, per column (a scalar applies to every column). Exact for exact stats. */
export function affineStats(stats: FeatureStats[], scale: number | number[], shift: number | number[]): FeatureStats[] | undefined {
  const pick = (v: number | number[], c: number): number | undefined => (Array.isArray(v) ? v[c] : v);
  const out: FeatureStats[] = [];
  for (let c = 0; c < stats.length; c++) {
    const s = stats[c];
    const a = pick(scale, c);
    const b = pick(shift, c);
    if (a === undefined || b === undefined) return undefined;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      // `x - NaN` (numpy's mean of a column holding a NaN): every value of the column is NaN.
      out.push({ ...s, count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount: s.count + s.nanCount + s.infCount, infCount: 0, medianAbs: undefined });
      continue;
    }
    if (!Number.isFinite(a) || !Number.isFinite(b) || (a === 0 && s.infCount > 0)) return undefined;
    // Columns that share their statistics and their transform share the result.
    if (c > 0 && s === stats[c - 1] && Object.is(a, pick(scale, c - 1)) && Object.is(b, pick(shift, c - 1))) {
      out.push(out[c - 1]);
      continue;
    }
    const lo = s.min * a + b;
    const hi = s.max * a + b;
    out.push({
      ...s,
      min: Math.min(lo, hi),
      max: Math.max(lo, hi),
      mean: s.mean * a + b,
      std: s.std * Math.abs(a),
      medianAbs: s.medianAbs === undefined || b !== 0 ? undefined : s.medianAbs * Math.abs(a),
    });
  }
  return out;
}

/**
 * Clamping each column to [lo, hi]: bounds are exact, mean and std are approximations. Infinite
 * values land on a finite limit and join the count; their sign is not recorded, so with one
 * limit open they make the result unknown (undefined).
 */
export function clipStats(stats: FeatureStats[], lo: number | undefined, hi: number | undefined): FeatureStats[] | undefined {
  const clamp = (v: number): number => Math.min(hi ?? Infinity, Math.max(lo ?? -Infinity, v));
  const closed = lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi);
  const out: FeatureStats[] = [];
  for (let c = 0; c < stats.length; c++) {
    const s = stats[c];
    // Columns that share their statistics share the result.
    if (c > 0 && s === stats[c - 1]) {
      out.push(out[c - 1]);
      continue;
    }
    if (s.infCount > 0 && !closed) return undefined;
    const count = s.count + s.infCount;
    if (count === 0) {
      out.push(s);
      continue;
    }
    // Infinite values become lo or hi: either may now be an extreme.
    const min = s.infCount > 0 ? Math.min(lo as number, s.count > 0 ? clamp(s.min) : Infinity) : clamp(s.min);
    const max = s.infCount > 0 ? Math.max(hi as number, s.count > 0 ? clamp(s.max) : -Infinity) : clamp(s.max);
    const mean = s.count > 0 ? clamp(s.mean) : (min + max) / 2;
    out.push({ ...s, count, min, max, mean, std: Math.min(s.count > 0 ? s.std : Infinity, (max - min) / 2), infCount: 0, medianAbs: undefined });
  }
  return out;
}

/** Global (all columns) statistic of an array, from its per-column stats. */
export function globalStat(stats: FeatureStats[], stat: 'mean' | 'std' | 'min' | 'max'): number | undefined {
  if (stats.length === 0) return undefined;
  switch (stat) {
    case 'min':
      return Math.min(...stats.map((s) => s.min));
    case 'max':
      return Math.max(...stats.map((s) => s.max));
    case 'mean': {
      const n = stats.reduce((a, s) => a + s.count, 0);
      return n === 0 ? undefined : stats.reduce((a, s) => a + s.mean * s.count, 0) / n;
    }
    case 'std': {
      const n = stats.reduce((a, s) => a + s.count, 0);
      if (n === 0) return undefined;
      const mean = stats.reduce((a, s) => a + s.mean * s.count, 0) / n;
      const second = stats.reduce((a, s) => a + (s.std * s.std + s.mean * s.mean) * s.count, 0) / n;
      return Math.sqrt(Math.max(0, second - mean * mean));
    }
  }
}
