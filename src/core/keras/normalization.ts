/**
 * Keras's `Normalization` layer as the tensor operation it computes once its statistics are
 * known (given as `mean=`/`variance=`, or from `adapt(data)`): `(x - mean) / max(sqrt(variance),
 * epsilon)`, per feature along the last axis (Keras 3's `Normalization.call`).
 */
import type { FeatureStats } from '../ir';
import type { TensorExpr } from '../tensorExpr';

/** Keras's backend epsilon, the floor of the divisor. */
const EPSILON = 1e-7;

/**
 * The layer's operation for a mean and variance: one number, one per feature, or terms (the
 * statistics of an array the reproduction reads, `statistic` terms).
 */
export function normalizationExpression(mean: number | number[] | TensorExpr, variance: number | number[] | TensorExpr): TensorExpr {
  const term = (v: number | number[] | TensorExpr): TensorExpr => (typeof v === 'number' ? { op: 'const', value: v } : !Array.isArray(v) ? v : v.length === 1 ? { op: 'const', value: v[0] } : { op: 'row', values: v.slice() });
  return {
    op: 'div',
    a: { op: 'sub', a: { op: 'arg', index: 0 }, b: term(mean) },
    b: { op: 'maximum', a: { op: 'sqrt', x: term(variance) }, b: { op: 'const', value: EPSILON } },
  };
}

/**
 * What `adapt(data)` sets, per column of rows of features: the mean and the variance (numpy's,
 * dividing by n), from the rows when known, else from the columns' statistics.
 */
export function adaptedStatistics(rows: number[][] | undefined, stats: FeatureStats[] | undefined, width: number): { mean: number[]; variance: number[] } | undefined {
  if (rows && rows.length > 0 && rows.every((r) => r.length === width)) {
    const mean: number[] = [];
    const variance: number[] = [];
    for (let j = 0; j < width; j++) {
      const m = rows.reduce((s, r) => s + r[j], 0) / rows.length;
      mean.push(m);
      variance.push(rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / rows.length);
    }
    return { mean, variance };
  }
  if (stats && stats.length === width && stats.every((s) => Number.isFinite(s.mean) === Number.isFinite(s.std))) {
    return { mean: stats.map((s) => s.mean), variance: stats.map((s) => s.std * s.std) };
  }
  return undefined;
}
