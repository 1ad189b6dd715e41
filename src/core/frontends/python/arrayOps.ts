/**
 * numpy's indexing and shape operations on the arrays the analysis follows: `x[:n]`, `x[:, a:b]`,
 * `x[..., np.newaxis]`, `x[:, j]`, index arrays and masks, `.T`, `reshape`, `ravel`,
 * `expand_dims`, splits and shuffles, and assignments into an array (`x[i, j] = np.nan`).
 *
 * Each gives what numpy would give, or says it does not know: exact values are indexed exactly;
 * statistics without values (bounds of `np.random.*` data, or exact statistics whose rows are not
 * kept) follow the features they belong to, count the rows that remain, and become bounds when
 * only some of the rows remain (a subset's extremes lie inside the whole's). Where a feature's
 * statistics cannot follow (its NaN cells may or may not be among the rows kept), the statistics
 * are dropped rather than guessed.
 */
import type { DataTransform, FeatureStats, SourceLocation } from '../../ir';
import { datasetPartOf } from '../../keras/datasets';
import { statsOfRows } from '../../statistics';
import { keepsColumns } from '../../data/transforms';
import { MAX_IDENTICAL_FEATURES, transformed } from './data';
import type { ArrayObj, Value } from './values';

/** One entry of a numpy index. `take`: an index array or a boolean mask over `axes` axes (1 unless a mask of several). */
export type IndexPart =
  | { kind: 'slice'; start?: number; stop?: number; step?: number }
  | { kind: 'int'; value: number }
  | { kind: 'newaxis' }
  | { kind: 'ellipsis' }
  | { kind: 'take'; count: number | null; axes?: number; permutation?: boolean; positions?: number[] };

/** Exact values are indexed while the array has at most this many. */
const MAX_INDEXED_VALUES = 2_000_000;

/** The array's shape as numpy has it (rows first), when known. */
export function currentShape(a: ArrayObj): (number | null)[] | undefined {
  if (a.rows) return [a.rows.length, ...(a.shape ?? [a.rows.length, a.rows[0]?.length ?? 1]).slice(1)];
  return a.shape;
}

function product(dims: number[]): number {
  return dims.reduce((x, y) => x * y, 1);
}

function known(dims: (number | null)[]): dims is number[] {
  return dims.every((d) => d !== null);
}

/** The values of one sample's features, for a shape: the product of the dimensions after the first (1 for a vector). */
export function widthOf(shape: (number | null)[]): number | null {
  if (shape.length <= 1) return 1;
  const rest = shape.slice(1);
  return known(rest) ? product(rest) : null;
}

/** Slices are listed index by index up to this length; a longer one (a dimension of 2**64 rows, say) is known by its length only. */
const MAX_SLICE_INDICES = 1_000_000;

/** Where Python's `range(start, stop, step)` of a slice on a dimension of `n` begins and ends. */
function sliceBounds(n: number, start: number | undefined, stop: number | undefined, step: number): [number, number] {
  if (step > 0) {
    const s = start === undefined ? 0 : start < 0 ? Math.max(0, start + n) : Math.min(start, n);
    const e = stop === undefined ? n : stop < 0 ? Math.max(0, stop + n) : Math.min(stop, n);
    return [s, e];
  }
  const s = start === undefined ? n - 1 : start < 0 ? start + n : Math.min(start, n - 1);
  const e = stop === undefined ? -1 : stop < 0 ? Math.max(-1, stop + n) : Math.min(stop, n - 1);
  return [s, e];
}

/** How many indices a slice on a dimension of `n` selects, without listing them. */
export function sliceLength(n: number, start: number | undefined, stop: number | undefined, step = 1): number {
  if (step === 0) return 0;
  const [s, e] = sliceBounds(n, start, stop, step);
  return step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
}

/** Python's `range(start, stop, step)` of a slice on a dimension of `n`; null when it is longer than MAX_SLICE_INDICES. */
export function sliceIndices(n: number, start: number | undefined, stop: number | undefined, step = 1): number[] | null {
  if (sliceLength(n, start, stop, step) > MAX_SLICE_INDICES) return null;
  const out: number[] = [];
  if (step === 0) return out;
  const [s, e] = sliceBounds(n, start, stop, step);
  if (step > 0) for (let i = s; i < e; i += step) out.push(i);
  else for (let i = s; i > e; i += step) out.push(i);
  return out;
}

/** Statistics that stand for every element alike (one distribution for the whole array, as `np.random.*` gives). */
function homogeneous(stats: FeatureStats[]): boolean {
  return stats.length > 0 && stats.every((s) => s === stats[0]);
}

/** The same statistics for `width` features: one shared entry beyond MAX_IDENTICAL_FEATURES, as `randomArray` keeps them. */
function spread(s: FeatureStats, width: number): FeatureStats[] {
  return Array.from({ length: width > MAX_IDENTICAL_FEATURES ? 1 : width }, () => s);
}

/** Statistics of `count` rows of a feature that had `s` over more rows (or the same rows in another order when `all`). */
function ofRows(s: FeatureStats, count: number, all: boolean): FeatureStats | undefined {
  if (all) return s;
  // Which rows hold the NaN or inf values is not known: the subset's counts are not either.
  if (s.nanCount > 0 || s.infCount > 0) return undefined;
  return { ...s, count, medianAbs: undefined };
}

function statsOf(a: ArrayObj): { stats?: FeatureStats[]; kind?: ArrayObj['statsKind'] } {
  if (a.rows) return { stats: currentStatsWithShape(a), kind: 'exact' };
  return { stats: a.stats, kind: a.statsKind };
}

/** Exact statistics of the rows, one per feature even when there are no rows. */
export function currentStatsWithShape(a: ArrayObj): FeatureStats[] | undefined {
  if (!a.rows) return a.stats;
  if (a.rows.length > 0) return statsOfRows(a.rows);
  const width = a.shape ? widthOf(a.shape) : null;
  if (width === null) return [];
  return Array.from({ length: width }, () => ({ count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount: 0, infCount: 0 }));
}

/** A new array derived from `parent` (a slice, a selection), the parent's history kept. */
function derived(parent: ArrayObj, note: string, location: SourceLocation): ArrayObj {
  // A part of a dataset nanguard does not read (`keras.datasets.mnist train: ...`): its selections are still images of that dataset.
  const dataset = parent.source.kind === 'unknown' && datasetPartOf(parent.source.note) !== undefined;
  return {
    source: dataset ? parent.source : { kind: 'derived', of: parent.name ?? 'array', note, location },
    transforms: [...parent.transforms],
    columnNames: parent.columnNames,
    fileColumnNames: parent.fileColumnNames,
    frame: parent.frame,
    filePath: parent.filePath,
    valuesFrom: parent.valuesFrom,
    statsSlack: parent.statsSlack,
    distributional: parent.distributional,
    dtype: parent.dtype,
    labels: parent.labels,
  };
}

/** The data file all of `arrays` are rows of, when they share one and the same columns (stacked or joined rows). */
function sharedValuesFrom(arrays: ArrayObj[]): ArrayObj['valuesFrom'] {
  const first = arrays[0]?.valuesFrom;
  if (!first) return undefined;
  const same = arrays.every((a) => a.valuesFrom?.path === first.path && (a.valuesFrom.columns ?? []).join('\u0000') === (first.columns ?? []).join('\u0000'));
  return same ? first : undefined;
}

/** A derived array about which nothing is known but its history. */
export function opaqueDerived(parent: ArrayObj, note: string, location: SourceLocation): ArrayObj {
  const out = derived(parent, note, location);
  out.columnNames = undefined;
  return out;
}

/** Rows of `width` values from a flat list. */
function regroup(flat: number[], width: number): number[][] {
  const rows: number[][] = [];
  if (width <= 0) return rows;
  for (let i = 0; i < flat.length; i += width) rows.push(flat.slice(i, i + width));
  return rows;
}

/**
 * The same elements in another arrangement (`.T`, `reshape` that moves values between rows,
 * `x[0]`): statistics follow only when they stand for every element alike, and then only as
 * bounds (which feature holds which values is not known); NaN positions are not known either.
 */
function rearrangedStats(stats: FeatureStats[] | undefined, shape: (number | null)[]): FeatureStats[] | undefined {
  if (!stats || !homogeneous(stats)) return undefined;
  const s = stats[0];
  const rows = shape.length === 0 ? null : shape[0];
  const width = widthOf(shape);
  if (rows === null || width === null || s.nanCount > 0 || s.infCount > 0) return undefined;
  return spread({ ...s, count: rows, medianAbs: undefined }, width);
}

/**
 * When `parts` only add axes of 1 after the samples' (`[..., np.newaxis]`, `[:, :, None]`: new
 * axes, an ellipsis and whole slices), the shape they give; undefined otherwise.
 */
function newAxesOnly(parts: IndexPart[], rank: number): ((shape: (number | null)[]) => (number | null)[]) | undefined {
  const whole = (p: IndexPart) => p.kind === 'slice' && p.start === undefined && p.stop === undefined && (p.step === undefined || p.step === 1);
  if (!parts.some((p) => p.kind === 'newaxis') || !parts.every((p) => p.kind === 'newaxis' || p.kind === 'ellipsis' || whole(p))) return undefined;
  const ellipses = parts.filter((p) => p.kind === 'ellipsis').length;
  const slices = parts.filter(whole).length;
  if (ellipses > 1 || slices > rank) return undefined;
  const expanded: IndexPart[] = [];
  for (const p of parts) {
    if (p.kind === 'ellipsis') for (let k = 0; k < rank - slices; k++) expanded.push({ kind: 'slice' });
    else expanded.push(p);
  }
  if (ellipses === 0) for (let k = slices; k < rank; k++) expanded.push({ kind: 'slice' });
  // A new first axis makes the whole array one sample: that is a reshape of the samples, not followed here.
  if (expanded[0]?.kind === 'newaxis') return undefined;
  return (shape) => {
    let axis = 0;
    return expanded.map((p) => (p.kind === 'newaxis' ? 1 : shape[axis++]));
  };
}

/**
 * `a[parts]`, as numpy indexes: the result array, a number for a single element of known values,
 * or undefined when the index is not one numpy accepts on this shape or cannot be followed.
 */
export function indexArray(a: ArrayObj, parts: IndexPart[], note: string, location: SourceLocation): ArrayObj | number | undefined {
  const shape = currentShape(a);
  if (!shape) return undefined;
  const added = newAxesOnly(parts, shape.length);
  // `x[..., np.newaxis]`, `x[:, :, None]`: each sample gains an axis of 1, its values and their order unchanged (np.expand_dims).
  if (added) return { ...transformed(a, { kind: 'reshape', location }, (r) => r, (st) => st), shape: added(shape) };
  const consumes = (p: IndexPart): number => (p.kind === 'newaxis' || p.kind === 'ellipsis' ? 0 : p.kind === 'take' ? (p.axes ?? 1) : 1);
  const consumed = parts.reduce((n, p) => n + consumes(p), 0);
  const ellipses = parts.filter((p) => p.kind === 'ellipsis').length;
  if (ellipses > 1 || consumed > shape.length) return undefined;
  const expanded: IndexPart[] = [];
  for (const p of parts) {
    if (p.kind === 'ellipsis') for (let k = 0; k < shape.length - consumed; k++) expanded.push({ kind: 'slice' });
    else expanded.push(p);
  }
  if (ellipses === 0) for (let k = consumed; k < shape.length; k++) expanded.push({ kind: 'slice' });
  // A mask over several axes, or an index array after another, rearranges the axes in ways not followed here.
  const takes = expanded.filter((p) => p.kind === 'take');
  if (takes.length > 1 || takes.some((p) => p.kind === 'take' && (p.axes ?? 1) > 1 && expanded[0] !== p)) return undefined;

  type Axis = IndexedAxis;
  const axes: Axis[] = [];
  const outShape: (number | null)[] = [];
  /** The input axis the result's first dimension comes from (-1: a new axis). */
  let firstFrom: number | undefined;
  let axis = 0;
  for (const p of expanded) {
    if (p.kind === 'newaxis') {
      outShape.push(1);
      firstFrom ??= -1;
      continue;
    }
    if (p.kind === 'ellipsis') continue;
    const n = shape[axis];
    if (p.kind === 'int') {
      if (n !== null && (p.value >= n || p.value < -n)) return undefined;
      if (p.value < 0 && n === null) return undefined;
      axes.push({ kind: 'int', index: p.value < 0 ? p.value + (n as number) : p.value });
      axis++;
    } else if (p.kind === 'slice') {
      if (p.step === 0) return undefined;
      const all = p.start === undefined && p.stop === undefined && (p.step === undefined || p.step === 1);
      const indices = n === null ? null : sliceIndices(n, p.start, p.stop, p.step ?? 1);
      const length = all ? n : n === null ? null : sliceLength(n, p.start, p.stop, p.step ?? 1);
      axes.push({ kind: 'keep', indices, length, all });
      outShape.push(length);
      firstFrom ??= axis;
      axis++;
    } else {
      const spanned = p.axes ?? 1;
      const total = shape.slice(axis, axis + spanned);
      if (spanned > 1) {
        // A boolean mask over several axes: one dimension of unknown length.
        for (let k = 0; k < spanned; k++) axes.push({ kind: 'keep', indices: null, length: null, all: false });
      } else if (p.positions) {
        // A list of row numbers: each must exist (numpy raises otherwise).
        if (n === null && p.positions.some((i) => i < 0)) return undefined;
        if (n !== null && p.positions.some((i) => i >= n || i < -n)) return undefined;
        const indices = n === null ? null : p.positions.map((i) => (i < 0 ? i + n : i));
        axes.push({ kind: 'keep', indices, length: p.positions.length, all: false });
      } else axes.push({ kind: 'keep', indices: null, length: p.count, all: p.permutation === true && p.count !== null && p.count === total[0] });
      outShape.push(spanned > 1 ? null : p.count);
      firstFrom ??= axis;
      axis += spanned;
    }
  }

  const out = derived(a, note, location);
  if (firstFrom === 0 && axes[0]?.kind === 'keep' && axes.slice(1).every((x) => x.kind === 'keep' && x.all)) out.rowsOf = a.rowsOf ?? a;
  // Some of the samples are still labels; a pick among the columns of one-hot rows is not.
  if (firstFrom !== 0 || axes.slice(1).some((x) => x.kind !== 'keep' || !x.all)) out.labels = undefined;
  out.valuesFrom = valuesFromAfterIndex(a, axes[axes.length - 1], shape[shape.length - 1]);
  const read = fileReadAfterIndex(a, shape, axes, location);
  if (read) {
    out.source = read.source;
    out.transforms = read.transforms;
  }
  // Exact values, indexed exactly.
  if (a.rows && known(shape) && product(shape) <= MAX_INDEXED_VALUES && axes.every((x) => x.kind === 'int' || x.indices !== null)) {
    const width = product(shape.slice(1));
    if (a.rows.every((r) => r.length === width)) {
      const strides = shape.map((_, k) => product(shape.slice(k + 1)));
      const lists = axes.map((x) => (x.kind === 'int' ? [x.index] : (x.indices as number[])));
      const flat: number[] = [];
      const rowsOf = a.rows;
      const walk = (k: number, offset: number): void => {
        if (k === lists.length) {
          const row = Math.floor(offset / width);
          flat.push(rowsOf[row][offset - row * width]);
          return;
        }
        for (const i of lists[k]) walk(k + 1, offset + i * strides[k]);
      };
      walk(0, 0);
      if (outShape.length === 0) return flat[0];
      const dims = outShape as number[];
      out.rows = regroup(flat, product(dims.slice(1)));
      out.shape = dims;
      out.statsKind = 'exact';
      if (firstFrom !== 0) out.columnNames = undefined;
      return out;
    }
  }

  out.shape = outShape;
  const { stats, kind } = statsOf(a);
  if (!stats || outShape.length === 0) {
    out.columnNames = undefined;
    return out;
  }
  const first = axes[0];
  if (firstFrom === 0 && first.kind === 'keep') {
    // Rows selected on the first axis; the features kept are the sample positions the other axes select.
    const sample = shape.slice(1);
    const rest = axes.slice(1);
    const count = first.length;
    const width = widthOf(shape);
    const shared = stats.length === 1 && width !== null && width > MAX_IDENTICAL_FEATURES;
    const outWidth = widthOf(outShape);
    if (count === null || outWidth === null) {
      out.columnNames = undefined;
      return out;
    }
    let picked: FeatureStats[] | undefined;
    if (homogeneous(stats) && (shared || stats.length === width)) {
      const s = ofRows(stats[0], count, first.all);
      picked = s ? spread(s, outWidth) : undefined;
    } else if (known(sample) && product(sample) <= MAX_SLICE_INDICES && stats.length === width && rest.every((x) => x.kind === 'int' || x.all || x.indices !== null)) {
      const strides = sample.map((_, k) => product(sample.slice(k + 1)));
      const lists = rest.map((x, k) => (x.kind === 'int' ? [x.index] : x.all ? (sliceIndices(sample[k], undefined, undefined) as number[]) : (x.indices as number[])));
      const positions: number[] = [];
      const walk = (k: number, offset: number): void => {
        if (k === lists.length) {
          positions.push(offset);
          return;
        }
        for (const i of lists[k]) walk(k + 1, offset + i * strides[k]);
      };
      walk(0, 0);
      const mapped = positions.map((f) => ofRows(stats[f], count, first.all));
      picked = mapped.every((s) => s !== undefined) ? (mapped as FeatureStats[]) : undefined;
      if (a.columnNames && sample.length === 1 && rest.length === 1) out.columnNames = positions.map((f) => a.columnNames![f]);
      else out.columnNames = undefined;
    }
    if (picked) {
      out.stats = picked;
      out.statsKind = first.all ? kind : 'bounds';
    } else out.columnNames = undefined;
    return out;
  }
  // `x[0]`, `x[None]`: the rows are rearranged.
  out.columnNames = undefined;
  const moved = rearrangedStats(stats, outShape);
  if (moved) {
    out.stats = moved;
    out.statsKind = 'bounds';
  }
  return out;
}

/**
 * The file's columns behind an indexed array: they lie along the last axis, so an index there
 * (`x[:, 0]`, `x[:, [1, 3]]`) keeps only those it picks; an index that cannot be followed loses them.
 */
function valuesFromAfterIndex(a: ArrayObj, last: { kind: 'int'; index: number } | { kind: 'keep'; indices: number[] | null; all: boolean } | undefined, width: number | null): ArrayObj['valuesFrom'] {
  const from = a.valuesFrom;
  if (!from || !last || (last.kind === 'keep' && last.all)) return from;
  const picked = last.kind === 'int' ? [last.index] : last.indices;
  if (!picked || !from.columns || from.columns.length !== width) return undefined;
  const columns = picked.map((i) => from.columns![i]);
  if (!columns.every((c) => c !== undefined)) return undefined;
  return from.positions ? { path: from.path, columns, positions: picked.map((i) => from.positions![i]) } : { path: from.path, columns };
}

/** Some of the rows, in an unknown selection (`train_test_split`, a shuffle): `count` of them, or all of them in another order. */
export function subsetRows(a: ArrayObj, count: number | null, note: string, location: SourceLocation, allRows = false): ArrayObj {
  const shape = currentShape(a);
  const out = derived(a, note, location);
  out.rowsOf = a.rowsOf ?? a;
  const { stats, kind } = statsOf(a);
  const rows = shape?.[0] ?? null;
  const all = allRows && count !== null && count === rows;
  out.shape = shape ? [count, ...shape.slice(1)] : undefined;
  if (stats && count !== null) {
    const mapped = stats.map((s) => ofRows(s, count, all));
    if (mapped.every((s) => s !== undefined)) {
      // Shared statistics stay shared.
      out.stats = homogeneous(stats) ? spread(mapped[0] as FeatureStats, stats.length) : (mapped as FeatureStats[]);
      out.statsKind = all ? kind : 'bounds';
    }
  }
  if (!out.stats) out.columnNames = a.columnNames;
  return out;
}

/** `x.T`: the axes reversed. */
export function transposed(a: ArrayObj, note: string, location: SourceLocation): ArrayObj {
  const shape = currentShape(a);
  const out = derived(a, note, location);
  out.valuesFrom = undefined;
  out.columnNames = undefined;
  out.frame = a.frame;
  if (!shape) return out;
  if (shape.length <= 1) return { ...a, name: undefined, location: undefined };
  const reversed = shape.slice().reverse();
  out.shape = reversed;
  if (a.rows && known(shape)) {
    const flat = a.rows.flat();
    const strides = shape.map((_, k) => product(shape.slice(k + 1)));
    const dims = reversed as number[];
    const total = product(dims);
    const values = new Array<number>(total);
    // Output index (i_r, ..., i_0) reads input (i_0, ..., i_r).
    const counter = new Array<number>(dims.length).fill(0);
    for (let n = 0; n < total; n++) {
      let offset = 0;
      for (let k = 0; k < dims.length; k++) offset += counter[k] * strides[dims.length - 1 - k];
      values[n] = flat[offset];
      for (let k = dims.length - 1; k >= 0; k--) {
        if (++counter[k] < dims[k]) break;
        counter[k] = 0;
      }
    }
    out.rows = regroup(values, product(dims.slice(1)));
    out.statsKind = 'exact';
    return out;
  }
  const moved = rearrangedStats(statsOf(a).stats, reversed);
  if (moved) {
    out.stats = moved;
    out.statsKind = 'bounds';
  }
  return out;
}

/**
 * The array given the shape `target` (`-1` and unknown entries worked out when the sizes allow):
 * the same elements in the same order. When the first dimension stays, every sample keeps its
 * features in order and the statistics stay; otherwise values are regrouped into the new rows.
 * `next` is the array after the reshape transform, with `a`'s values and statistics.
 */
export function reshapedTo(a: ArrayObj, next: ArrayObj, target: (number | null)[]): ArrayObj {
  const nothing: ArrayObj = { ...next, shape: undefined, rows: undefined, stats: undefined, statsKind: undefined, columnNames: undefined, cells: undefined };
  const before = currentShape(a);
  const total = before && known(before) ? product(before) : null;
  const fixed = target.filter((d) => d !== null && d !== -1) as number[];
  const free = target.length - fixed.length;
  if (fixed.some((d) => !Number.isInteger(d) || d < 0) || target.filter((d) => d === -1).length > 1) return nothing;
  const size = product(fixed);
  const dims = target.map((d) => (d === -1 && free === 1 && total !== null && size > 0 ? total / size : d === -1 ? null : d));
  if (dims.some((d) => d !== null && !Number.isInteger(d))) return nothing;
  if (!before) return { ...nothing, shape: dims };
  const oldWidth = widthOf(before);
  const newWidth = widthOf(dims);
  if (dims.length > 1 && before.length >= 1 && oldWidth !== null && newWidth === oldWidth && (dims[0] === null || before[0] === null || dims[0] === before[0])) {
    // The samples stay: only their shape changes, their features keep their order.
    return { ...next, shape: [dims[0] ?? before[0], ...dims.slice(1)] };
  }
  if (!known(dims)) return { ...nothing, shape: dims };
  if (total !== null && product(dims) !== total) return nothing;
  const out: ArrayObj = { ...nothing, shape: dims };
  // The samples regroup: the replay cuts the values into samples of the new width.
  const last = out.transforms[out.transforms.length - 1];
  if (last?.kind === 'reshape' && total !== null) out.transforms = [...out.transforms.slice(0, -1), { ...last, sampleWidth: dims.length <= 1 ? 1 : product(dims.slice(1)) }];
  if (a.rows && total !== null) {
    out.rows = regroup(a.rows.flat(), dims.length <= 1 ? 1 : product(dims.slice(1)));
    out.statsKind = 'exact';
    return out;
  }
  const moved = rearrangedStats(statsOf(a).stats, dims);
  if (moved) {
    out.stats = moved;
    out.statsKind = 'bounds';
  }
  return out;
}

/** `np.expand_dims(x, axis)`: a dimension of 1 inserted; before the rows, the whole array becomes one sample. */
export function expandedDims(a: ArrayObj, next: ArrayObj, axis: number): ArrayObj {
  const shape = currentShape(a);
  if (!shape) return next;
  const at = axis < 0 ? shape.length + 1 + axis : axis;
  if (at < 0 || at > shape.length) return { ...next, shape: undefined, rows: undefined, stats: undefined, statsKind: undefined };
  const dims = shape.slice();
  dims.splice(at, 0, 1);
  if (at >= 1) return { ...next, shape: dims };
  return reshapedTo(a, next, dims);
}

/** `x.ravel()`, `x.flatten()`: one dimension. */
export function flattened(a: ArrayObj, next: ArrayObj): ArrayObj {
  const shape = currentShape(a);
  const total = shape && known(shape) ? product(shape) : null;
  if (shape && shape.length === 1) return next;
  return reshapedTo(a, next, [total ?? -1]);
}

/** `x.squeeze()`: the dimensions of 1 dropped; `squeeze(axis=k)`: that one only (numpy refuses a dimension that is not 1). */
export function squeezed(a: ArrayObj, next: ArrayObj, axis?: Value): ArrayObj {
  const shape = currentShape(a);
  const nothing: ArrayObj = { ...next, shape: undefined, rows: undefined, stats: undefined, statsKind: undefined };
  if (!shape) return nothing;
  if (axis !== undefined && axis.k !== 'none') {
    const axes = axis.k === 'num' ? [axis.v] : axis.k === 'seq' && axis.items.every((i) => i.k === 'num') ? axis.items.map((i) => (i as { v: number }).v) : undefined;
    if (!axes) return nothing;
    const drop = new Set(axes.map((k) => (k < 0 ? k + shape.length : k)));
    if ([...drop].some((k) => k < 0 || k >= shape.length || shape[k] !== 1)) return nothing;
    return reshapedTo(a, next, shape.filter((_, k) => !drop.has(k)));
  }
  if (shape.some((d) => d === null)) return nothing;
  return reshapedTo(a, next, shape.filter((d) => d !== 1));
}

/**
 * The indices an assignment `a[parts] = ...` writes along each axis of an array of `shape` (rows
 * first), or undefined when the index is not made of integers and slices (fancy indexing, masks).
 */
export function indexLists(shape: number[], parts: IndexPart[]): number[][] | undefined {
  const consumed = parts.filter((p) => p.kind !== 'newaxis' && p.kind !== 'ellipsis').length;
  if (parts.some((p) => p.kind === 'take' || p.kind === 'newaxis') || parts.filter((p) => p.kind === 'ellipsis').length > 1 || consumed > shape.length) return undefined;
  const expanded: IndexPart[] = [];
  for (const p of parts) {
    if (p.kind === 'ellipsis') for (let k = 0; k < shape.length - consumed; k++) expanded.push({ kind: 'slice' });
    else expanded.push(p);
  }
  while (expanded.length < shape.length) expanded.push({ kind: 'slice' });
  const lists: number[][] = [];
  for (let k = 0; k < shape.length; k++) {
    const p = expanded[k];
    const n = shape[k];
    if (p.kind === 'int') {
      if (p.value >= n || p.value < -n) return undefined;
      lists.push([p.value < 0 ? p.value + n : p.value]);
    } else if (p.kind === 'slice') {
      if (p.step === 0) return undefined;
      const indices = sliceIndices(n, p.start, p.stop, p.step ?? 1);
      if (!indices) return undefined;
      lists.push(indices);
    } else return undefined;
  }
  return lists;
}

/**
 * `a[parts] = value`, in place: exact values are written; statistics without values take a
 * constant written to whole columns, NaN or inf written to single cells or rows (each cell counted
 * once), and a finite number written to a cell (within bounds widened to hold it). Anything else
 * leaves the array's values and statistics unknown.
 */
export function assignInto(a: ArrayObj, parts: IndexPart[] | undefined, value: number | undefined): void {
  // Written cells are not draws of the distribution.
  a.distributional = undefined;
  const forget = () => {
    a.rows = undefined;
    a.stats = undefined;
    a.statsKind = undefined;
    a.cells = undefined;
  };
  const shape = currentShape(a);
  if (!parts || value === undefined || !shape || !known(shape) || shape.length === 0) return forget();
  const lists = indexLists(shape, parts);
  if (!lists) return forget();
  const width = product(shape.slice(1));
  const cells: number[] = [];
  const strides = shape.map((_, k) => product(shape.slice(k + 1)));
  const total = lists.reduce((n, l) => n * l.length, 1);
  if (total > MAX_INDEXED_VALUES) return forget();
  const walk = (k: number, offset: number): void => {
    if (k === lists.length) {
      cells.push(offset);
      return;
    }
    for (const i of lists[k]) walk(k + 1, offset + i * strides[k]);
  };
  walk(0, 0);
  if (a.rows) {
    // Copy on write: other arrays (and the literal the source records) may share these rows.
    const rows = a.rows.map((r) => r.slice());
    for (const c of cells) {
      const r = Math.floor(c / width);
      if (rows[r] === undefined) return forget();
      rows[r][c - r * width] = value;
    }
    a.rows = rows;
    return;
  }
  const stats = a.stats;
  if (!stats) return;
  // Where the NaN and inf values already are is not known: a write over one of them cannot be counted.
  if (!a.cells && stats.some((s) => s.nanCount > 0 || s.infCount > 0)) return forget();
  const perFeature = stats.length === width ? stats.slice() : stats.length === 1 ? Array.from({ length: width }, () => stats[0]) : undefined;
  if (!perFeature || a.statsKind === 'exact' || a.statsKind === 'sampled') return forget();
  const rows = shape[0];
  const written = new Map<number, number[]>();
  for (const c of cells) {
    const r = Math.floor(c / width);
    const f = c - r * width;
    let list = written.get(f);
    if (!list) written.set(f, (list = []));
    list.push(r);
  }
  const previous = a.cells ?? new Map<number, number>();
  const next = new Map(previous);
  for (const [f, rowsWritten] of written) {
    let s: FeatureStats = perFeature[f];
    if (rowsWritten.length === rows && Number.isFinite(value)) {
      // A whole column: now exactly the constant.
      s = { count: rows, min: value, max: value, mean: value, std: 0, nanCount: 0, infCount: 0 };
      for (const r of rowsWritten) next.delete(r * width + f);
    } else {
      let { count, nanCount, infCount } = s;
      let lo = s.min;
      let hi = s.max;
      for (const r of rowsWritten) {
        const key = r * width + f;
        const old = previous.get(key);
        // The value the cell held before: NaN, inf, or one of the finite values.
        if (old === undefined) count--;
        else if (Number.isNaN(old)) nanCount--;
        else if (!Number.isFinite(old)) infCount--;
        else count--;
        if (Number.isNaN(value)) nanCount++;
        else if (!Number.isFinite(value)) infCount++;
        else {
          count++;
          lo = Math.min(lo, value);
          hi = Math.max(hi, value);
        }
        next.set(key, value);
      }
      s = { ...s, count, nanCount, infCount, min: lo, max: hi, medianAbs: undefined };
    }
    perFeature[f] = s;
  }
  a.stats = perFeature;
  a.cells = next;
}

/** `df["a"]` (a Series) or `df[["a", "b"]]`: the columns by name, with their values or statistics where the names are known. */
/**
 * The file's columns behind a selection by name. The names are the code's (a header-less file read
 * with `names=[...]` has none of its own), so the selection also keeps where each column lies in the
 * file, when the frame's full list of columns is known.
 */
function valuesFromAfterSelection(a: ArrayObj, names: string[], indices: number[] | undefined): ArrayObj['valuesFrom'] {
  const from = a.valuesFrom;
  if (!from || (from.columns && !names.every((n) => from.columns!.includes(n)))) return undefined;
  const out: NonNullable<ArrayObj['valuesFrom']> = { path: from.path, columns: names };
  const known = indices && indices.every((i) => i >= 0) && a.columnNames && (from.columns ? from.columns.length === a.columnNames.length : true);
  if (known && (!from.columns || from.positions)) out.positions = indices.map((i) => (from.positions ? from.positions[i] : i));
  return out;
}

export function selectColumns(a: ArrayObj, names: string[], series: boolean, note: string, location: SourceLocation): ArrayObj {
  const shape = currentShape(a);
  const out = derived(a, note, location);
  const rows = shape?.[0] ?? null;
  out.shape = series ? [rows] : [rows, names.length];
  out.columnNames = series ? undefined : names;
  const indices = a.columnNames ? names.map((n) => a.columnNames!.indexOf(n)) : undefined;
  out.valuesFrom = valuesFromAfterSelection(a, names, indices);
  // Columns of a file as it was read (`df[["a", "b"]]` of `df = pd.read_csv(...)`) are a read of those columns.
  const source = a.source;
  // Renamed columns (`df.columns = [...]`) are read by the file's own names.
  const fileNames = a.fileColumnNames && a.columnNames ? names.map((n) => a.fileColumnNames![a.columnNames!.indexOf(n)] ?? n) : names;
  if (source.kind === 'file' && a.transforms.length === 0 && !a.assignments && (!source.columns || fileNames.every((n) => source.columns!.includes(n)))) {
    out.source = { ...source, columns: fileNames };
  }
  if (!indices || indices.some((i) => i < 0)) return out;
  const width = a.columnNames!.length;
  // Columns of a file whose rows were dropped or cut first (`df.dropna()` then `pop('MPG')`): the file, its rows, then these columns.
  if (source.kind === 'file' && !a.assignments && a.transforms.length > 0 && keepsColumns(a.transforms)) {
    out.source = source;
    out.transforms = [...a.transforms, { kind: 'columns', indices, of: width, location }];
  }
  // Columns of those columns (`features['Horsepower']` after `features.pop('MPG')`): one selection of the file's.
  const last = a.transforms.at(-1);
  if (source.kind === 'file' && !a.assignments && last?.kind === 'columns' && last.indices.length === width && keepsColumns(a.transforms.slice(0, -1))) {
    out.source = source;
    out.transforms = [...a.transforms.slice(0, -1), { kind: 'columns', indices: indices.map((i) => last.indices[i]), of: last.of, location }];
  }
  if (a.rows && a.rows.every((r) => r.length === width)) {
    out.rows = a.rows.map((r) => indices.map((i) => r[i]));
    out.statsKind = 'exact';
  } else if (a.stats && a.stats.length === width) {
    out.stats = indices.map((i) => a.stats![i]);
    out.statsKind = a.statsKind;
  }
  return out;
}

/**
 * `df.dropna()`: rows holding a NaN go. `next` is the array after the transform (its values
 * filtered when they are known). Without values, the rows that go are known when every NaN cell
 * is one the program wrote; otherwise only that fewer rows may remain.
 */
export function droppedNaN(a: ArrayObj, next: ArrayObj): ArrayObj {
  if (a.rows) return next;
  const shape = currentShape(a);
  const stats = a.stats;
  const unknownRows: ArrayObj = { ...next, stats: undefined, statsKind: undefined, cells: undefined, shape: shape ? [null, ...shape.slice(1)] : undefined };
  if (!stats) return unknownRows;
  if (stats.every((s) => s.nanCount === 0)) return { ...next, stats, statsKind: a.statsKind, shape, cells: a.cells };
  const width = shape ? widthOf(shape) : null;
  const n = shape?.[0] ?? null;
  if (!a.cells || !shape || width === null || n === null || stats.length !== width) return unknownRows;
  const written = [...a.cells];
  const nanCells = written.filter(([, v]) => Number.isNaN(v));
  const infCells = written.filter(([, v]) => !Number.isNaN(v) && !Number.isFinite(v));
  if (nanCells.length !== stats.reduce((t, s) => t + s.nanCount, 0) || infCells.length !== stats.reduce((t, s) => t + s.infCount, 0)) return unknownRows;
  const dropped = new Set(nanCells.map(([c]) => Math.floor(c / width)));
  const rows = n - dropped.size;
  const infLeft = new Array<number>(width).fill(0);
  for (const [c] of infCells) if (!dropped.has(Math.floor(c / width))) infLeft[c % width]++;
  return {
    ...next,
    shape: [rows, ...shape.slice(1)],
    stats: stats.map((s, f) => ({ ...s, nanCount: 0, infCount: infLeft[f], count: rows - infLeft[f], medianAbs: undefined })),
    statsKind: 'bounds',
    cells: undefined,
  };
}

/** `np.random.shuffle(x)`: the rows reordered in place; their statistics stay, which row is where is no longer known. */
export function shuffledInPlace(a: ArrayObj): void {
  if (a.rows) {
    a.shape = currentShape(a);
    a.stats = currentStatsWithShape(a);
    a.statsKind = 'exact';
    a.rows = undefined;
  }
  a.cells = undefined;
}

/** Exact values are kept for created arrays of up to this many numbers; beyond, their statistics. */
const MAX_CREATED_VALUES = 100_000;

/** A new array of known values in `shape` (one row per first index), or, when large, of their per-feature statistics. */
export function createdFrom(shape: number[], value: (flatIndex: number) => number, note: string, location: SourceLocation): ArrayObj {
  const total = product(shape);
  const rows = shape.length === 0 ? 1 : shape[0];
  const width = shape.length <= 1 ? 1 : product(shape.slice(1));
  if (total <= MAX_CREATED_VALUES) {
    const values: number[][] = [];
    for (let r = 0; r < rows; r++) values.push(Array.from({ length: width }, (_, c) => value(r * width + c)));
    return { source: { kind: 'literal', values, location }, transforms: [], shape: shape.length === 0 ? [1] : shape, rows: values, statsKind: 'exact' };
  }
  return { source: { kind: 'unknown', note, location }, transforms: [], shape };
}

/** `np.zeros(shape)`, `np.ones`, `np.full(shape, v)`, `np.zeros_like(x)`: one value throughout. */
export function filledWith(shape: number[], fill: number, note: string, location: SourceLocation): ArrayObj {
  const out = createdFrom(shape, () => fill, note, location);
  if (!out.rows) {
    const rows = shape[0] ?? 1;
    const s: FeatureStats = Number.isNaN(fill)
      ? { count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount: rows, infCount: 0 }
      : Number.isFinite(fill)
        ? { count: rows, min: fill, max: fill, mean: fill, std: 0, nanCount: 0, infCount: 0 }
        : { count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount: 0, infCount: rows };
    out.stats = spread(s, shape.length <= 1 ? 1 : product(shape.slice(1)));
    out.statsKind = 'exact';
    if (Number.isFinite(fill)) out.filled = { value: fill, shape };
  }
  return out;
}

/**
 * `np.zeros((len(word_index) + 1, 300))` of a number of rows nanguard could not work out: the other
 * axes are known, so `.shape[1]` is too. No values are claimed: such an array is made to be
 * filled (`embedding_matrix[i] = vectors[word]` in a loop nanguard may not follow).
 */
export function filledRowsUnknown(rest: number[], note: string, location: SourceLocation): ArrayObj {
  return { source: { kind: 'unknown', note, location }, transforms: [], shape: [null, ...rest] };
}

/** `np.arange(start, stop, step)`, as numpy fills it: start, start + step, then start + i * (second - first). */
export function arangeArray(start: number, stop: number, step: number, note: string, location: SourceLocation): ArrayObj | undefined {
  if (step === 0 || !Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step)) return undefined;
  const length = Math.max(0, Math.ceil((stop - start) / step));
  if (length > MAX_CREATED_VALUES) return { source: { kind: 'unknown', note, location }, transforms: [], shape: [length] };
  const second = start + step;
  const delta = second - start;
  return createdFrom([length], (i) => (i === 0 ? start : i === 1 ? second : start + i * delta), note, location);
}

/** `np.linspace(start, stop, num, endpoint)`, as numpy computes it: i * step + start, the last one `stop` itself. */
export function linspaceArray(start: number, stop: number, num: number, endpoint: boolean, note: string, location: SourceLocation): ArrayObj | undefined {
  if (!Number.isInteger(num) || num < 0 || num > MAX_CREATED_VALUES) return undefined;
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = delta / div;
  const value = (i: number): number => {
    if (endpoint && num > 1 && i === num - 1) return stop;
    if (div === 0) return i * delta + start;
    return step === 0 ? (i / div) * delta + start : i * step + start;
  };
  return createdFrom([num], value, note, location);
}

/** Per-feature statistics of two sets of rows of the same features, together: exact from exact ones, else bounds. */
function pooled(a: FeatureStats, b: FeatureStats): FeatureStats {
  const count = a.count + b.count;
  const mean = count === 0 ? NaN : ((a.count ? a.mean * a.count : 0) + (b.count ? b.mean * b.count : 0)) / count;
  const second = (s: FeatureStats): number => (s.count ? (s.std * s.std + (s.mean - mean) * (s.mean - mean)) * s.count : 0);
  return {
    count,
    min: a.count === 0 ? b.min : b.count === 0 ? a.min : Math.min(a.min, b.min),
    max: a.count === 0 ? b.max : b.count === 0 ? a.max : Math.max(a.max, b.max),
    mean,
    std: count === 0 ? NaN : Math.sqrt((second(a) + second(b)) / count),
    nanCount: a.nanCount + b.nanCount,
    infCount: a.infCount + b.infCount,
  };
}

/** Statistics of an array, one entry per feature (shared entries spread out). */
function perFeature(a: ArrayObj): { stats: FeatureStats[]; kind: NonNullable<ArrayObj['statsKind']> } | undefined {
  const shape = currentShape(a);
  const { stats, kind } = statsOf(a);
  const width = shape ? widthOf(shape) : null;
  if (!stats || !kind || width === null) return undefined;
  if (stats.length === width) return { stats, kind };
  if (stats.length === 1 && width > MAX_IDENTICAL_FEATURES) return { stats: Array.from({ length: width }, () => stats[0]), kind };
  return undefined;
}

/**
 * `np.concatenate(arrays, axis)`: along the rows (axis 0), or side by side (axis 1 of 2-D arrays).
 * Values join exactly; statistics pool per feature along the rows, and line up side by side.
 */
export function concatenated(arrays: ArrayObj[], axis: number, note: string, location: SourceLocation): ArrayObj {
  const first = arrays[0];
  const out = derived(first, note, location);
  // Parts of one keras.datasets dataset joined as they were loaded (`np.concatenate([x_train, x_test])`): still that dataset's images, unseen.
  const parts = arrays.map((a) => (a.source.kind === 'unknown' && a.transforms.length === 0 ? /^(keras\.datasets\.\w+) (train|test):/.exec(a.source.note) : null));
  if (axis === 0 && arrays.length > 1 && parts.every((m) => m && m[1] === parts[0]![1])) {
    out.source = { kind: 'unknown', note: `${parts[0]![1]} ${[...new Set(parts.map((m) => m![2]))].join(' and ')}:${(first.source as { note: string }).note.split(':').slice(1).join(':')}`, location };
  }
  out.valuesFrom = axis === 0 ? sharedValuesFrom(arrays) : undefined;
  out.columnNames = undefined;
  out.frame = undefined;
  out.distributional = undefined;
  out.dtype = arrays.every((x) => x.dtype === 'float32') ? 'float32' : undefined;
  const shapes = arrays.map(currentShape);
  if (arrays.length === 0 || shapes.some((s) => !s)) return out;
  const rank = shapes[0]!.length;
  const at = axis < 0 ? axis + rank : axis;
  if (rank === 0 || at < 0 || at >= rank || shapes.some((s) => s!.length !== rank)) return out;
  const dims: (number | null)[] = [];
  for (let k = 0; k < rank; k++) {
    const ds = shapes.map((s) => s![k]);
    if (k === at) dims.push(ds.some((d) => d === null) ? null : (ds as number[]).reduce((x, y) => x + y, 0));
    else {
      const knownDims = ds.filter((d) => d !== null) as number[];
      // Dimensions that must agree and do not: numpy refuses.
      if (knownDims.some((d) => d !== knownDims[0])) return out;
      dims.push(knownDims.length === ds.length ? knownDims[0] : null);
    }
  }
  out.shape = dims;
  if (at === 0) {
    if (arrays.every((x) => x.rows) && known(dims)) {
      out.rows = arrays.flatMap((x) => x.rows!);
      out.statsKind = 'exact';
      return out;
    }
    const parts = arrays.map(perFeature);
    if (parts.some((p) => !p) || parts.some((p) => p!.stats.length !== parts[0]!.stats.length)) return out;
    out.stats = parts[0]!.stats.map((_, f) => parts.map((p) => p!.stats[f]).reduce(pooled));
    out.statsKind = parts.every((p) => p!.kind === 'exact') ? 'exact' : 'bounds';
  } else if (at === 1 && rank === 2) {
    if (arrays.every((x) => x.rows) && known(dims)) {
      out.rows = arrays[0].rows!.map((_, r) => arrays.flatMap((x) => x.rows![r]));
      out.statsKind = 'exact';
      return out;
    }
    const parts = arrays.map(perFeature);
    if (parts.some((p) => !p)) return out;
    out.stats = parts.flatMap((p) => p!.stats);
    out.statsKind = parts.every((p) => p!.kind === 'exact') ? 'exact' : 'bounds';
  } else return out;
  const slacks = arrays.map((x) => x.statsSlack ?? 0);
  out.statsSlack = slacks.some((s) => s > 0) ? Math.max(...slacks) : undefined;
  return out;
}

/** `np.repeat(x, k, axis=0)`, `np.tile(x, (k, 1))`: each row k times (together, or the whole array k times); the statistics stay, counted k times. */
export function repeatedRows(a: ArrayObj, k: number, together: boolean, note: string, location: SourceLocation): ArrayObj {
  const shape = currentShape(a);
  const out = derived(a, note, location);
  out.distributional = undefined;
  if (!shape || !Number.isInteger(k) || k < 0) return { ...out, columnNames: undefined };
  out.shape = [shape[0] === null ? null : shape[0] * k, ...shape.slice(1)];
  if (a.rows) {
    out.rows = together ? a.rows.flatMap((r) => Array.from({ length: k }, () => r)) : Array.from({ length: k }, () => a.rows!).flat();
    out.statsKind = 'exact';
    return out;
  }
  const { stats, kind } = statsOf(a);
  if (stats) {
    out.stats = homogeneous(stats)
      ? spread({ ...stats[0], count: stats[0].count * k, nanCount: stats[0].nanCount * k, infCount: stats[0].infCount * k }, stats.length)
      : stats.map((s) => ({ ...s, count: s.count * k, nanCount: s.nanCount * k, infCount: s.infCount * k }));
    out.statsKind = kind;
  }
  return out;
}

/**
 * `np.array([a, b, ...])` of arrays of one shape, `np.stack(arrays)`: each array becomes one row.
 * Values stack exactly; otherwise a feature (a place within the arrays) is bounded by the
 * statistics of the column it falls in, pooled over the arrays, while none holds a NaN or inf.
 */
export function stackedArrays(arrays: ArrayObj[], note: string, location: SourceLocation): ArrayObj | undefined {
  const shapes = arrays.map(currentShape);
  const first = shapes[0];
  if (!first || shapes.some((s) => !s || s.length !== first.length || s.some((d, k) => d === null || d !== first[k]))) return undefined;
  const item = first as number[];
  const out = derived(arrays[0], note, location);
  out.valuesFrom = sharedValuesFrom(arrays);
  out.columnNames = undefined;
  out.frame = undefined;
  out.distributional = undefined;
  out.dtype = arrays.every((x) => x.dtype === 'float32') ? 'float32' : undefined;
  out.shape = [arrays.length, ...item];
  if (arrays.every((x) => x.rows)) {
    out.rows = arrays.map((x) => x.rows!.flat());
    out.statsKind = 'exact';
    return out;
  }
  const parts = arrays.map(perFeature);
  if (parts.some((p) => !p || p.stats.some((s) => s.nanCount > 0 || s.infCount > 0))) return out;
  // A place in an array of shape `item` lies in column (place mod width) of that array.
  const width = item.length <= 1 ? 1 : product(item.slice(1));
  const places = product(item);
  const pooledColumns = Array.from({ length: width }, (_, c) => {
    const all = parts.map((p) => p!.stats[c]);
    return { ...all.reduce(pooled), count: arrays.length, medianAbs: undefined } as FeatureStats;
  });
  out.stats = places > MAX_IDENTICAL_FEATURES && pooledColumns.every((s) => s.min === pooledColumns[0].min && s.max === pooledColumns[0].max) ? [pooledColumns[0]] : Array.from({ length: places }, (_, f) => pooledColumns[f % width]);
  out.statsKind = 'bounds';
  const slacks = arrays.map((x) => x.statsSlack ?? 0);
  out.statsSlack = slacks.some((s) => s > 0) ? Math.max(...slacks) : undefined;
  return out;
}

/**
 * `np.stack(arrays, axis=k)` for k >= 1 (or -1): the rows stay, each sample's values of the k
 * arrays interleave along the new axis. Values and per-feature statistics move with their places.
 */
export function stackedAlong(arrays: ArrayObj[], axis: number, note: string, location: SourceLocation): ArrayObj | undefined {
  const shapes = arrays.map(currentShape);
  const first = shapes[0];
  if (!first || shapes.some((s) => !s || s.length !== first.length || s.some((d, k) => d === null || d !== first[k]))) return undefined;
  const shape = first as number[];
  const rank = shape.length;
  const at = axis < 0 ? axis + rank + 1 : axis;
  if (at < 1 || at > rank) return undefined;
  const k = arrays.length;
  const out = derived(arrays[0], note, location);
  out.valuesFrom = undefined;
  out.columnNames = undefined;
  out.frame = undefined;
  out.distributional = undefined;
  out.dtype = arrays.every((x) => x.dtype === 'float32') ? 'float32' : undefined;
  out.shape = [...shape.slice(0, at), k, ...shape.slice(at)];
  // A place in the new sample: (outer, j, inner), from place (outer, inner) of array j.
  const inner = product(shape.slice(at));
  const outer = product(shape.slice(1, at));
  const source = (f: number): [number, number] => {
    const o = Math.floor(f / (k * inner));
    const rest = f - o * k * inner;
    const j = Math.floor(rest / inner);
    return [j, o * inner + (rest - j * inner)];
  };
  const places = outer * k * inner;
  if (arrays.every((x) => x.rows)) {
    out.rows = arrays[0].rows!.map((_, r) => Array.from({ length: places }, (_, f) => {
      const [j, p] = source(f);
      return arrays[j].rows![r][p];
    }));
    out.statsKind = 'exact';
    return out;
  }
  const parts = arrays.map(perFeature);
  if (parts.some((p) => !p)) return out;
  out.stats = Array.from({ length: places }, (_, f) => {
    const [j, p] = source(f);
    return parts[j]!.stats[p];
  });
  out.statsKind = parts.every((p) => p!.kind === 'exact') ? 'exact' : 'bounds';
  const slacks = arrays.map((x) => x.statsSlack ?? 0);
  out.statsSlack = slacks.some((s) => s > 0) ? Math.max(...slacks) : undefined;
  return out;
}

type IndexedAxis = { kind: 'int'; index: number } | { kind: 'keep'; indices: number[] | null; length: number | null; all: boolean };

/**
 * A slice of rows and a pick of columns of a data file's values (`data[0:6500, :]`, `x[:, 0]`),
 * still the file's values: its read, with the selection as transforms the reproduction replays on
 * them (`rows`, `columns`, or the columns read by name on a frame as read). Only contiguous rows of
 * an array of known shape, and columns of one of two dimensions; undefined for anything else.
 */
function fileReadAfterIndex(a: ArrayObj, shape: (number | null)[], axes: IndexedAxis[], location: SourceLocation): Pick<ArrayObj, 'source' | 'transforms'> | undefined {
  const source = a.source;
  if (source.kind !== 'file' || a.assignments || !known(shape) || shape.length < 1 || axes.length !== shape.length) return undefined;
  // Samples of more axes (images, clips): a slice of them, each whole.
  if (shape.length > 2 && !axes.slice(1).every((x) => x.kind === 'keep' && x.all)) return undefined;
  const [rows, columns] = shape.length > 2 ? [axes[0], undefined] : axes;
  if (rows.kind !== 'keep' || rows.indices === null || rows.indices.length === 0) return undefined;
  const start = rows.indices[0];
  if (rows.indices.some((i, k) => i !== start + k)) return undefined;
  const transforms: DataTransform[] = [...a.transforms];
  if (!rows.all && !(start === 0 && rows.indices.length === shape[0])) transforms.push({ kind: 'rows', start, stop: start + rows.indices.length, of: shape[0], location });
  if (columns === undefined || (columns.kind === 'keep' && columns.all)) return { source, transforms };
  const picked = columns.kind === 'int' ? [columns.index] : columns.indices;
  if (picked === null || picked.length === 0) return undefined;
  // A frame as read, its header known: the columns read by name (a file's text columns, which the reproduction does not read, keep their places).
  const names = a.columnNames;
  if (a.transforms.length === 0 && names && names.length === shape[1] && (!source.columns || source.columns.join('\u0000') === names.join('\u0000'))) {
    return { source: { ...source, columns: picked.map((i) => names[i]) }, transforms };
  }
  if (!(picked.length === shape[1] && picked.every((i, k) => i === k))) transforms.push({ kind: 'columns', indices: picked, of: shape[1], location });
  return { source, transforms };
}

/**
 * `np.array([x[i:i + width] for i in range(start, stop)])`, the windows a sequence model trains
 * on: shape (windows, width, ...x's other axes). Each window's values are rows of x, so x's
 * per-column ranges bound every place of a window (statistics of kind `bounds`); a window's means
 * weigh x's rows unevenly, so the column's mean and std stand for them only approximately.
 * `starts` is the window count; a start past the end gives a shorter window (numpy would then
 * refuse a ragged array), so none may.
 */
export function slidingWindows(x: ArrayObj, width: number, firstStart: number, starts: number | null, note: string, location: SourceLocation): ArrayObj | undefined {
  const shape = currentShape(x);
  if (!shape || shape.length < 1 || !Number.isInteger(width) || width < 1 || (starts !== null && starts < 1) || firstStart < 0) return undefined;
  // Integer arrays wrap under later arithmetic, which bounds cannot follow.
  if (x.dtype !== undefined && x.dtype !== 'float32') return undefined;
  const rows = shape[0];
  // A count not known (the loop runs to the end of data nanguard cannot see): the windows' shape but for their number.
  if (starts === null ? rows !== null : rows === null || firstStart + starts - 1 + width > rows) return undefined;
  const rest = shape.slice(1);
  const out = derived(x, note, location);
  out.columnNames = undefined;
  out.frame = undefined;
  out.distributional = undefined;
  out.filePath = undefined;
  out.shape = [starts, width, ...rest];
  // Each window is rows of x: the file x's rows come from still bounds them.
  out.valuesFrom = x.valuesFrom;
  // Windows of a data file's values, all of them known: still its values, cut as the loop cuts them.
  if (x.source.kind === 'file' && !x.assignments && starts !== null && rows !== null && rest.length <= 1) {
    out.source = x.source;
    out.transforms = [...x.transforms, { kind: 'windows', first: firstStart, count: starts, width, of: rows, location }];
  }
  if (starts === null) {
    out.rows = undefined;
    out.stats = undefined;
    out.statsKind = undefined;
    return out;
  }
  const columns = perFeature(x);
  if (!columns || columns.stats.some((s) => s.nanCount > 0 || s.infCount > 0 || s.count === 0)) return out;
  const perPlace = (c: FeatureStats): FeatureStats => ({ count: starts, min: c.min, max: c.max, mean: c.mean, std: c.std, nanCount: 0, infCount: 0 });
  const places = width * columns.stats.length;
  const pooled = columns.stats.map(perPlace);
  out.stats = places > MAX_IDENTICAL_FEATURES && pooled.every((s) => s.min === pooled[0].min && s.max === pooled[0].max) ? [pooled[0]] : Array.from({ length: places }, (_, f) => pooled[f % pooled.length]);
  out.statsKind = 'bounds';
  out.statsSlack = x.statsSlack;
  return out;
}
