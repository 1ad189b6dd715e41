/**
 * Methods of numpy arrays and pandas frames (`x.astype('float32')`, `df.fillna(0)`, `x.mean(0)`),
 * and the argument readings numpy's functions share with them (axes, reshape dimensions).
 */
import type { SourceLocation } from '../../../ir';
import { castTo, clipped, columnVector, filledNaN, labelExtreme, thresholded, transformed } from '../data';
import { droppedNaN, flattened, indexArray, opaqueDerived, reshapedTo, selectColumns, squeezed, subsetRows } from '../arrayOps';
import { lastSegment } from '../keras';
import type { PyNode } from '../syntax';
import { UNKNOWN, type ArrayObj, type Value } from '../values';
import type { Args, CallContext } from './library';
import { keepsColumns, sampledRows } from '../../../data/transforms';

/** A reduction along an axis other than the rows (`x.mean(axis=1)`) or all of them (`axis=None`, no axis): one value per row. */
export function reducesAlongOtherAxis(args: Args, index: number, frame: boolean): boolean {
  const axis = args.keywords.get('axis') ?? args.positional[index];
  if (axis === undefined || axis.k === 'none') return false;
  if (axis.k === 'num') return axis.v !== 0 && !(frame && axis.v === -2);
  if (axis.k === 'str') return axis.v !== 'index' && axis.v !== 'rows';
  return true;
}

/** `axis=0` (or the positional axis at `index`) means per column. */
export function axisZero(args: Args, index: number): boolean {
  return axisIs(args, index, 0, 'index');
}

/** The `axis` argument (keyword, or positional at `index`) is `n` or its pandas name. */
export function axisIs(args: Args, index: number, n: number, name: string): boolean {
  const axis = args.keywords.get('axis') ?? args.positional[index];
  return (axis?.k === 'num' && axis.v === n) || (axis?.k === 'str' && axis.v === name);
}

/** A method called on an array or frame (`x.astype('float32')`, `df.fillna(0)`, `x.mean(0)`); unknown for others. */
export function arrayMethod(ctx: CallContext, a: ArrayObj, method: string, args: Args, node: PyNode): Value {
  const location = ctx.loc(node);
  const wrap = (array: ArrayObj): Value => ({ k: 'array', array });
  switch (method) {
    case 'astype': {
      const t = args.positional[0];
      const dtype = t?.k === 'str' ? t.v : t?.k === 'ref' ? lastSegment(t.path) : 'unknown';
      // `(x > 0.5).astype('float32')`: the mask as ones and zeros, x thresholded.
      if (a.aboveMaskOf && /^(float|int|uint)\d*$/.test(dtype)) return wrap(thresholded(a.aboveMaskOf.array, { kind: 'threshold', above: a.aboveMaskOf.above, high: 1, low: 0, location }));
      return wrap(castTo(a, { kind: 'astype', dtype, location }, dtype));
    }
    case 'reset_index': {
      if (!a.frame) return UNKNOWN;
      const drop = args.keywords.get('drop');
      const dropped = drop?.k === 'bool' && drop.v;
      if (args.positional.length > 0 || args.keywords.size > (drop ? 1 : 0)) return wrap(opaqueDerived(a, ctx.src(node), location));
      // The index dropped: the same values. Kept: a first column 'index' before the frame's own.
      if (dropped) return wrap({ ...a, name: undefined, location: undefined });
      const out = opaqueDerived(a, ctx.src(node), location);
      out.resetIndexOf = a.resetIndexOf ?? a;
      return wrap(out);
    }
    case 'to_numpy':
      return wrap({ ...a, name: undefined, location: undefined, frame: undefined });
    case 'copy':
      return wrap({ ...a, name: undefined, location: undefined });
    case 'squeeze':
      return wrap(squeezed(a, { ...a, name: undefined, location: undefined }, args.keywords.get('axis') ?? args.positional[0]));
    case 'flatten':
    case 'ravel':
      return wrap(flattened(a, { ...a, name: undefined, location: undefined }));
    case 'reshape':
      return wrap(reshaped(a, args.positional, args.keywords.get('shape'), location));
    case 'dropna': {
      // Rows with a NaN go (pandas's default); other arguments drop other things.
      const others = args.positional.length > 0 || [...args.keywords.keys()].some((k) => k !== 'inplace');
      const next = others ? transformed(a, { kind: 'dropna', location }) : droppedNaN(a, transformed(a, { kind: 'dropna', location }, (rows) => rows.filter((r) => r.every((v) => !Number.isNaN(v)))));
      return inPlaceOrNew(a, next, args, a.frame === true);
    }
    case 'fillna': {
      const v = args.positional[0] ?? args.keywords.get('value');
      const fill = v?.k === 'num' ? v.v : v?.k === 'colvec' && v.vec.perColumn ? v.vec.values : undefined;
      return inPlaceOrNew(a, filledNaN(a, { kind: 'fillna', location }, fill), args, a.frame === true);
    }
    case 'interpolate':
    case 'ffill':
    case 'bfill':
      // Leading or trailing NaN cells stay: what is left is not known.
      return wrap(transformed(a, { kind: 'fillna', location }));
    case 'mean':
    case 'std':
    case 'min':
    case 'max': {
      const extreme = args.positional.length > 0 || args.keywords.has('axis') ? undefined : labelExtreme(a, method);
      if (extreme !== undefined) return { k: 'num', v: extreme, origin: { kind: 'inferred', note: `${ctx.src(node)}: the ${method === 'max' ? 'largest' : 'smallest'} class of the labels`, location } };
      // pandas reduces per column unless told `axis=1`; numpy reduces the whole array unless told `axis=0`.
      const perColumn = a.frame ? !axisIs(args, 0, 1, 'columns') : axisZero(args, 0);
      // pandas skips NaN, and its std divides by n - 1.
      const ddof = args.keywords.get('ddof');
      const vec = columnVector(a, method, perColumn, { skipNaN: a.frame === true, ddof: ddof?.k === 'num' ? ddof.v : a.frame && method === 'std' ? 1 : 0 });
      return { k: 'colvec', vec: reducesAlongOtherAxis(args, 0, a.frame === true) ? { ...vec, values: undefined } : vec };
    }
    case 'var': {
      // The square of the std, with the same axis and ddof rules.
      const perColumn = a.frame ? !axisIs(args, 0, 1, 'columns') : axisZero(args, 0);
      const ddof = args.keywords.get('ddof');
      const std = columnVector(a, 'std', perColumn, { skipNaN: a.frame === true, ddof: ddof?.k === 'num' ? ddof.v : a.frame ? 1 : 0 });
      return { k: 'colvec', vec: { ...std, label: 'var', values: reducesAlongOtherAxis(args, 0, a.frame === true) ? undefined : std.values?.map((v) => v * v) } };
    }
    case 'clip': {
      const lo = args.positional[0] ?? args.keywords.get('lower') ?? args.keywords.get('min');
      const hi = args.positional[1] ?? args.keywords.get('upper') ?? args.keywords.get('max');
      const min = lo?.k === 'num' ? lo.v : undefined;
      const max = hi?.k === 'num' ? hi.v : undefined;
      return wrap(clipped(a, { kind: 'clip', min, max, location }, min, max));
    }
    case 'pct_change':
    case 'diff':
      return wrap(transformed(a, { kind: 'other', note: method, location }));
    case 'asfreq': {
      // `df.asfreq("D")`: a row for every date of the frequency (NaN where the frame had none), the same columns.
      if (!a.frame) return UNKNOWN;
      const next = transformed(a, { kind: 'other', note: ctx.src(node), location });
      return wrap({ ...next, rows: undefined, stats: undefined, statsKind: undefined, shape: a.shape ? [null, ...a.shape.slice(1)] : undefined });
    }
    case 'head':
    case 'tail': {
      const n = args.positional[0] ?? args.keywords.get('n');
      const count = n === undefined ? 5 : n.k === 'num' && Number.isInteger(n.v) ? n.v : undefined;
      const rows = count === undefined ? undefined : indexArray(a, [method === 'head' ? { kind: 'slice', stop: count } : count === 0 ? { kind: 'slice', start: Number.MAX_SAFE_INTEGER } : { kind: 'slice', start: -count }], ctx.src(node), location);
      return wrap(rows !== undefined && typeof rows !== 'number' ? rows : opaqueDerived(a, ctx.src(node), location));
    }
    case 'sample': {
      const n = args.positional[0] ?? args.keywords.get('n');
      const frac = args.keywords.get('frac');
      const seed = args.keywords.get('random_state');
      const replace = args.keywords.get('replace');
      // `df.sample(frac=0.8, random_state=0)` of a frame read from a file: the rows drawn, replayed with nanguard's own draw.
      if (n === undefined && frac?.k === 'num' && frac.v > 0 && frac.v <= 1 && !(replace?.k === 'bool' && replace.v) && (seed === undefined || seed.k === 'num' || seed.k === 'none')) {
        const transform = { kind: 'sample' as const, frac: frac.v, seed: seed?.k === 'num' ? seed.v : 0, location };
        const rows = a.shape?.[0];
        const next = transformed(a, transform, (r) => sampledRows(r, transform.frac, transform.seed), (st) => st);
        // Statistics of the rows kept are bounded by the rows'; a shuffle (frac=1) keeps them all.
        return wrap({ ...next, shape: a.shape ? [typeof rows === 'number' ? Math.round(frac.v * rows) : null, ...a.shape.slice(1)] : undefined, statsKind: frac.v < 1 && next.stats ? 'bounds' : next.statsKind });
      }
      return wrap(n?.k === 'num' && Number.isInteger(n.v) && !args.keywords.has('replace') ? subsetRows(a, n.v, ctx.src(node), location) : opaqueDerived(a, ctx.src(node), location));
    }
    case 'get': {
      // `df.get(["Close", "Volume"])`, `df.get("label")`: columns by name, as `df[...]` selects them.
      const key = args.positional[0] ?? args.keywords.get('key');
      if (!a.frame) return UNKNOWN;
      if (key?.k === 'str') return wrap(selectColumns(a, [key.v], true, ctx.src(node), location));
      if (key?.k === 'seq' && key.items.length > 0 && key.items.every((i) => i.k === 'str')) return wrap(selectColumns(a, key.items.map((i) => (i as { v: string }).v), false, ctx.src(node), location));
      return UNKNOWN;
    }
    case 'pop': {
      // `labels = df.pop("label")`: the column comes out as a Series and leaves the frame, in place.
      const column = args.positional[0];
      if (!a.frame) return UNKNOWN;
      if (column?.k !== 'str') {
        // Some column left the frame: which one is not known, nor what is left.
        replaceInPlace(a, opaqueDerived(a, ctx.src(node), location));
        return UNKNOWN;
      }
      const named = withColumnNames(ctx, a);
      const popped = named.columnNames?.includes(column.v) ? selectColumns(named, [column.v], true, ctx.src(node), location) : opaqueDerived(a, ctx.src(node), location);
      replaceInPlace(a, withoutColumns(named, [column.v], ctx.src(node), location));
      return wrap(popped);
    }
    case 'drop': {
      // `df.drop("label", axis=1)`, `df.drop(columns=[...])`: the other columns, by name.
      const without = a.frame ? droppedColumns(args) : undefined;
      const rest = without ? withoutColumns(withColumnNames(ctx, a), without, ctx.src(node), location) : opaqueDerived(a, ctx.src(node), location);
      return inPlaceOrNew(a, rest, args, true);
    }
    case 'select_dtypes':
    case 'iloc':
    case 'loc':
      return wrap(opaqueDerived(a, ctx.src(node), location));
    default:
      return UNKNOWN;
  }
}

/** The column names `df.drop(...)` removes (`columns=`, or labels with `axis=1`); undefined when it drops rows or is not known. */
function droppedColumns(args: Args): string[] | undefined {
  const names = (v: Value | undefined): string[] | undefined =>
    v?.k === 'str' ? [v.v] : v?.k === 'seq' && v.items.length > 0 && v.items.every((i) => i.k === 'str') ? v.items.map((i) => (i as { v: string }).v) : undefined;
  const columns = args.keywords.get('columns');
  if (columns) return names(columns);
  return axisIs(args, 1, 1, 'columns') ? names(args.positional[0] ?? args.keywords.get('labels')) : undefined;
}

/**
 * A frame as read from a workspace CSV file, with the file's header names; the names are asked
 * for (the file is read and the code run again) when the host has not given them yet.
 */
function withColumnNames(ctx: CallContext, a: ArrayObj): ArrayObj {
  // Rows dropped or selected keep the file's columns (`df.dropna()` before `pop`, the TensorFlow regression tutorial's order).
  if (a.columnNames || !a.filePath || a.source.kind !== 'file' || a.source.columns || !keepsColumns(a.transforms) || a.assignments) return a;
  const names = ctx.dataColumns(a.filePath);
  if (!names) ctx.wantDataShape(a.filePath);
  const width = a.shape?.length === 2 ? a.shape[1] : null;
  return names && (width === null || width === names.length) ? { ...a, columnNames: [...names] } : a;
}

/** A frame without some columns: the others by name when its columns are known, else a frame of unknown width. */
function withoutColumns(a: ArrayObj, dropped: string[], note: string, location: SourceLocation): ArrayObj {
  if (a.columnNames && dropped.every((n) => a.columnNames!.includes(n))) {
    return selectColumns(a, a.columnNames.filter((n) => !dropped.includes(n)), false, note, location);
  }
  return opaqueDerived(a, note, location);
}

/** A method's result: with `inplace=True` the array itself becomes it (`df.dropna(inplace=True)`) and the call gives None; otherwise the new array. */
function inPlaceOrNew(a: ArrayObj, next: ArrayObj, args: Args, frame: boolean): Value {
  const inplace = args.keywords.get('inplace');
  if (!(inplace?.k === 'bool' && inplace.v)) return { k: 'array', array: next };
  replaceInPlace(a, next, frame);
  return { k: 'none' };
}

/** A frame changed in place (`df.pop(...)`, `drop(..., inplace=True)`): every name bound to it sees the new one. */
function replaceInPlace(a: ArrayObj, next: ArrayObj, frame = true): void {
  const { name, location } = a;
  for (const key of Object.keys(a) as (keyof ArrayObj)[]) delete a[key];
  Object.assign(a, next, { name, location, frame });
}

/**
 * `X.reshape(-1, 28, 28, 1)`, `np.reshape(X, (len(X), 784))`: the rows stay the same samples
 * (the reproduction keeps each sample flat), the shape becomes the one asked for, with -1
 * worked out when the sizes are known.
 */
export function reshaped(a: ArrayObj, positional: Value[], keyword: Value | undefined, location: SourceLocation): ArrayObj {
  const given = keyword ?? (positional.length === 1 ? positional[0] : { k: 'seq' as const, items: positional, tuple: true });
  const dims = given.k === 'seq' ? given.items.map((d) => (d.k === 'num' && Number.isInteger(d.v) ? d.v : null)) : given.k === 'num' ? [given.v] : undefined;
  if (!dims || dims.length === 0) return { ...transformed(a, { kind: 'reshape', location }, (r) => r, (s) => s), shape: undefined, rows: undefined, stats: undefined, statsKind: undefined };
  // One element of a dataset's map function: each sample takes the shape.
  return reshapedAs(a, a.perElement ? [-1, ...dims] : dims, location);
}

/** The array given the shape `dims` (-1 and null where the sizes decide), its values in the same order. */
export function reshapedAs(a: ArrayObj, dims: (number | null)[], location: SourceLocation): ArrayObj {
  return reshapedTo(a, transformed(a, { kind: 'reshape', location }, (r) => r, (s) => s), dims);
}
