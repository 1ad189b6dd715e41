/**
 * numpy's functions (`np.array`, `np.log`, `np.mean`, `np.random.rand`, ...) and jax.numpy's,
 * which mirror them: each builds the array numpy would give, with its statistics where the
 * arguments are known. Functions are looked up by their last name (`numpy.ma.mean` is `mean`).
 */
import type { DataTransform, FeatureStats, SourceLocation } from '../../../ir';
import { ELEMENTWISE_FUNCTIONS, paddedSample } from '../../../arrays';
import { castTo, clipped, columnVector, elementwise, labelExtreme, nanToNum, randomArray, transformed, uniqueValues, unknownArray } from '../data';
import { currentShape, expandedDims, flattened, shuffledInPlace, squeezed, subsetRows, transposed } from '../arrayOps';
import { numpyArrayCall } from '../numpyCalls';
import { lastSegment } from '../keras';
import type { PyNode } from '../syntax';
import { NONE, UNKNOWN, type Value } from '../values';
import { axisZero, reducesAlongOtherAxis, reshaped } from './arrays';
import { dataFileArray } from './files';
import type { Args, CallContext, Library, LibraryCall } from './library';

const RANDOM_FUNCTIONS = new Set(['rand', 'randn', 'uniform', 'normal', 'randint', 'random', 'random_sample', 'standard_normal', 'integers', 'sample', 'ranf']);

interface NumpyCall {
  last: string;
  args: Args;
  arg0: Value | undefined;
  node: PyNode;
  location: SourceLocation;
  ctx: CallContext;
}

type NumpyFunction = (call: NumpyCall) => Value;

/** `np.array(x)`, `np.float32(x)`: x as an array, cast when a dtype is given. */
const asArray: NumpyFunction = ({ last, args, arg0, node, location, ctx }) => {
  if (arg0?.k === 'num') return arg0;
  const given = ctx.toArray(arg0, args.positionalNodes[0] ?? node);
  if (!given) return UNKNOWN;
  const array = given.frame ? { ...given, frame: undefined } : given;
  const dtype = args.keywords.get('dtype');
  if (dtype) {
    const name = dtype.k === 'str' ? dtype.v : dtype.k === 'ref' ? lastSegment(dtype.path) : 'unknown';
    return { k: 'array', array: castTo(array, { kind: 'astype', dtype: name, location }, name) };
  }
  // `np.float32(x)` is a cast.
  if (last === 'float32' || last === 'float64') return { k: 'array', array: castTo(array, { kind: 'astype', dtype: last, location }, last) };
  return { k: 'array', array };
};

const loadFile: NumpyFunction = ({ last, arg0, location, ctx }) => dataFileArray(ctx, `np.${last}`, arg0, location);

/** `np.log(x)`, `np.sqrt(x)`, ...: on a number its value, on an array the array transformed. */
const elementwiseFunction: NumpyFunction = ({ last, args, arg0, node, location, ctx }) => {
  // `np.round(x, 2)`: rounding to decimals is not among the functions computed or replayed.
  const decimals = last === 'round' || last === 'around' ? args.positional[1] ?? args.keywords.get('decimals') : undefined;
  const f = decimals === undefined || (decimals.k === 'num' && decimals.v === 0) ? numericFunction(last) : undefined;
  if (arg0?.k === 'num') return f ? { k: 'num', v: f(arg0.v), origin: { kind: 'inferred', note: ctx.src(node), location } } : UNKNOWN;
  if (arg0?.k !== 'array') return UNKNOWN;
  if (!f) return { k: 'array', array: transformed(arg0.array, { kind: 'other', note: `np.${last}`, location }) };
  const argText = ctx.src(args.positionalNodes[0]);
  const transform: DataTransform = last.startsWith('log') ? { kind: 'log', fn: last, guarded: last === 'log1p' || /\+|eps|clip|maximum/.test(argText), location } : { kind: 'map', fn: last, location };
  return { k: 'array', array: elementwise(arg0.array, transform, f, last) };
};

const clip: NumpyFunction = ({ args, arg0, location }) => {
  if (arg0?.k !== 'array') return UNKNOWN;
  const lo = args.positional[1] ?? args.keywords.get('a_min');
  const hi = args.positional[2] ?? args.keywords.get('a_max');
  const min = lo?.k === 'num' ? lo.v : undefined;
  const max = hi?.k === 'num' ? hi.v : undefined;
  return { k: 'array', array: clipped(arg0.array, { kind: 'clip', min, max, location }, min, max) };
};

const nanToNumFunction: NumpyFunction = ({ args, arg0, location }) => {
  if (arg0?.k !== 'array') return UNKNOWN;
  const nan = args.keywords.get('nan') ?? args.positional[2];
  return { k: 'array', array: nanToNum(arg0.array, { kind: 'nan_to_num', location }, nan?.k === 'num' ? nan.v : 0) };
};

/** `np.mean(x, axis=0)`, `np.nanstd(x)`, ...: a statistic per column, or of the whole array. */
const reduction: NumpyFunction = ({ last, args, arg0, node, location, ctx }) => {
  if (arg0?.k !== 'array') return UNKNOWN;
  const label = last.replace(/^(nan|a)/, '') as 'mean' | 'std' | 'min' | 'max';
  const extreme = args.keywords.has('axis') || args.positional.length > 1 ? undefined : labelExtreme(arg0.array, label);
  if (extreme !== undefined) return { k: 'num', v: extreme, origin: { kind: 'inferred', note: `${ctx.src(node)}: the largest class of the labels`, location } };
  // On a DataFrame numpy calls pandas's own reduction, which skips NaN (numpy passes ddof=0).
  const ddof = args.keywords.get('ddof');
  const vec = columnVector(arg0.array, label, axisZero(args, 1), { skipNaN: last.startsWith('nan') || arg0.array.frame === true, ddof: ddof?.k === 'num' ? ddof.v : 0 });
  // Along another axis (each row's statistic), the values are not followed.
  return { k: 'colvec', vec: reducesAlongOtherAxis(args, 1, arg0.array.frame === true) ? { ...vec, values: undefined } : vec };
};

/** `np.reshape(x, shape)`; x may be a list of arrays (`np.reshape(img_data, (len(img_data), 64, 64, 3))`), stacked first. */
const reshape: NumpyFunction = ({ args, arg0, node, location, ctx }) => {
  const array = arg0?.k === 'array' ? arg0.array : arg0?.k === 'seq' ? ctx.toArray(arg0, args.positionalNodes[0] ?? node) : undefined;
  return array ? { k: 'array', array: reshaped(array, args.positional.slice(1), args.keywords.get('newshape') ?? args.keywords.get('shape'), location) } : UNKNOWN;
};

const expandDims: NumpyFunction = ({ args, arg0, location }) => {
  if (arg0?.k !== 'array') return UNKNOWN;
  const axis = args.positional[1] ?? args.keywords.get('axis');
  const array = transformed(arg0.array, { kind: 'reshape', location }, (r) => r, (s) => s);
  if (axis?.k === 'num' && Number.isInteger(axis.v)) return { k: 'array', array: expandedDims(arg0.array, array, axis.v) };
  return { k: 'array', array: { ...array, shape: undefined, rows: undefined, stats: undefined, statsKind: undefined } };
};

const ravel: NumpyFunction = ({ arg0, location }) =>
  arg0?.k === 'array' ? { k: 'array', array: flattened(arg0.array, transformed(arg0.array, { kind: 'reshape', location }, (r) => r, (s) => s)) } : UNKNOWN;

const squeeze: NumpyFunction = ({ args, arg0, location }) =>
  arg0?.k === 'array' ? { k: 'array', array: squeezed(arg0.array, transformed(arg0.array, { kind: 'reshape', location }, (r) => r, (s) => s), args.keywords.get('axis') ?? args.positional[1]) } : UNKNOWN;

const transpose: NumpyFunction = ({ args, arg0, node, location, ctx }) =>
  arg0?.k === 'array' && args.positional.length === 1 && !args.keywords.has('axes') ? { k: 'array', array: transposed(arg0.array, ctx.src(node), location) } : UNKNOWN;

const product: NumpyFunction = ({ arg0, node, location, ctx }) => (arg0?.k === 'seq' ? productOf(arg0, ctx.src(node), location) : UNKNOWN);

/**
 * `np.pad(x, ((0, 0), (2, 2), (2, 2)))`, `np.pad(x, 2)` on samples left whole: each sample grows
 * by the widths, the new cells `constant_values` (0) or, in another mode, values of the sample's
 * own (their range unchanged). Padding across samples is not followed.
 */
const pad: NumpyFunction = ({ args, arg0, location }) => {
  if (arg0?.k !== 'array') return UNKNOWN;
  const shape = currentShape(arg0.array);
  if (!shape || shape.length < 2 || shape.slice(1).some((d) => d === null)) return UNKNOWN;
  const given = args.positional[1] ?? args.keywords.get('pad_width');
  const pair = (v: Value | undefined): [number, number] | undefined => {
    if (v?.k === 'num' && Number.isInteger(v.v) && v.v >= 0) return [v.v, v.v];
    if (v?.k === 'seq' && v.items.length === 1) return pair(v.items[0]);
    if (v?.k === 'seq' && v.items.length === 2 && v.items.every((i) => i.k === 'num' && Number.isInteger(i.v) && i.v >= 0)) return [(v.items[0] as { v: number }).v, (v.items[1] as { v: number }).v];
    return undefined;
  };
  const all = pair(given);
  const perAxis = given?.k === 'seq' && given.items.length === shape.length ? given.items.map(pair) : undefined;
  const widths = perAxis && perAxis.every((w) => w !== undefined) && given?.k === 'seq' && given.items.every((i) => i.k === 'seq') ? (perAxis as Array<[number, number]>) : all ? shape.map(() => all) : undefined;
  if (!widths || widths[0][0] !== 0 || widths[0][1] !== 0) return UNKNOWN;
  const mode = args.keywords.get('mode') ?? args.positional[2];
  const constant = mode === undefined || (mode.k === 'str' && mode.v === 'constant');
  const fill = args.keywords.get('constant_values');
  if (constant && fill !== undefined && fill.k !== 'num') return UNKNOWN;
  const value = constant ? (fill?.k === 'num' ? fill.v : 0) : null;
  const sampleShape = shape.slice(1) as number[];
  const sampleWidths = widths.slice(1);
  const transform: DataTransform = { kind: 'pad', sampleShape, widths: sampleWidths, value, location };
  // The share of a padded sample's cells that are the sample's own.
  const kept = sampleShape.reduce((a, b) => a * b, 1) / sampleShape.reduce((a, n, k) => a * (n + sampleWidths[k][0] + sampleWidths[k][1]), 1);
  const padded = transformed(
    arg0.array,
    transform,
    value === null ? undefined : (rows) => rows.map((r) => paddedSample(r, sampleShape, sampleWidths, value)),
    (stats) => (stats.length === 1 ? [paddedStats(stats[0], kept, value)] : undefined),
  );
  return { k: 'array', array: { ...padded, shape: [shape[0], ...sampleShape.map((n, k) => n + sampleWidths[k][0] + sampleWidths[k][1])] } };
};

/** Statistics shared by every cell, after padding: a share `kept` of the cells keeps them, the rest is `value` (null: cells of the sample's own, within its range). */
function paddedStats(st: FeatureStats, kept: number, value: number | null): FeatureStats {
  if (value === null) return { ...st, medianAbs: undefined };
  const mean = kept * st.mean + (1 - kept) * value;
  const square = kept * (st.std * st.std + st.mean * st.mean) + (1 - kept) * value * value;
  return { ...st, min: Math.min(st.min, value), max: Math.max(st.max, value), mean, std: Math.sqrt(Math.max(0, square - mean * mean)), medianAbs: undefined };
}

/** Functions that make or combine arrays: see numpyCalls.ts. */
const arrayMaking: NumpyFunction = ({ last, args, node, location, ctx }) => numpyArrayCall(last, args, ctx.src(node), location, (v) => ctx.toArray(v, node)) ?? UNKNOWN;

/** `np.unique(y)` of class labels or of values held: the distinct values (`len(np.unique(y))` counts the classes). */
const unique: NumpyFunction = ({ arg0, location }) => {
  const values = arg0?.k === 'array' ? uniqueValues(arg0.array, location) : undefined;
  return values ? { k: 'array', array: values } : UNKNOWN;
};

const NUMPY_FUNCTIONS = new Map<string, NumpyFunction>([
  ...(['array', 'asarray', 'asfarray', 'float32', 'float64'] as const).map((name) => [name, asArray] as const),
  ...(['load', 'loadtxt', 'genfromtxt', 'fromfile', 'load_npz'] as const).map((name) => [name, loadFile] as const),
  ...(['log', 'log1p', 'log2', 'log10', ...Object.keys(ELEMENTWISE_FUNCTIONS)] as const).map((name) => [name, elementwiseFunction] as const),
  ['clip', clip],
  ['nan_to_num', nanToNumFunction],
  ...(['mean', 'std', 'min', 'max', 'amin', 'amax', 'nanmean', 'nanstd'] as const).map((name) => [name, reduction] as const),
  ['reshape', reshape],
  ['pad', pad],
  ['unique', unique],
  ['expand_dims', expandDims],
  ['ravel', ravel],
  ['squeeze', squeeze],
  ['transpose', transpose],
  ['prod', product],
  ['product', product],
  ...(
    ['zeros', 'ones', 'full', 'zeros_like', 'ones_like', 'full_like', 'arange', 'linspace', 'concatenate', 'vstack', 'row_stack', 'hstack', 'column_stack', 'repeat', 'tile', 'stack', 'power', 'isnan', 'where'] as const
  ).map((name) => [name, arrayMaking] as const),
]);

function numpyCall({ path, last, args, node }: LibraryCall, ctx: CallContext): Value {
  const location = ctx.loc(node);
  if (/\.random\.default_rng$|\.random\.RandomState$|\.random\.Generator$/.test(path)) return { k: 'rng' };
  if (path.includes('.random.')) return randomCall(ctx, last, args, node);
  const f = NUMPY_FUNCTIONS.get(last);
  return f ? f({ last, args, arg0: args.positional[0], node, location, ctx }) : UNKNOWN;
}

/**
 * TensorFlow's functions that make data as numpy's do (`x = tf.linspace(-20.0, 20.0, 1000)[:, None]`,
 * `tf.constant(values, dtype=tf.float32)`, `tf.range(100)`): the numpy function of the same
 * meaning, with TensorFlow's argument names read as numpy's. On graph tensors they are not data:
 * undefined, for the graph builder and the loss translator to take them.
 */
const TENSORFLOW_AS_NUMPY: Record<string, { numpy: string; keywords?: Record<string, string> }> = {
  linspace: { numpy: 'linspace' },
  range: { numpy: 'arange', keywords: { limit: 'stop', delta: 'step' } },
  constant: { numpy: 'array', keywords: { value: 'x' } },
  convert_to_tensor: { numpy: 'array', keywords: { value: 'x' } },
  cast: { numpy: 'array' },
  zeros: { numpy: 'zeros' },
  ones: { numpy: 'ones' },
  fill: { numpy: 'full', keywords: { dims: 'shape' } },
  concat: { numpy: 'concatenate' },
  stack: { numpy: 'stack' },
  expand_dims: { numpy: 'expand_dims' },
  reshape: { numpy: 'reshape' },
  clip_by_value: { numpy: 'clip', keywords: { clip_value_min: 'a_min', clip_value_max: 'a_max' } },
  ...Object.fromEntries(['log', 'log1p', 'sqrt', 'exp', 'abs', 'tanh', 'square'].map((name) => [name, { numpy: name }])),
};

const NUMBER_ZERO: Value = { k: 'num', v: 0, origin: { kind: 'default', note: "tf.range's default start" } };

function tensorflowAsNumpy(call: LibraryCall, ctx: CallContext): Value | undefined {
  const mirror = Object.hasOwn(TENSORFLOW_AS_NUMPY, call.last) ? TENSORFLOW_AS_NUMPY[call.last] : undefined;
  const onGraph = [...call.args.positional, ...call.args.keywords.values()].some((v) => v.k === 'tensor' || v.k === 'texpr' || (v.k === 'seq' && v.items.some((i) => i.k === 'tensor' || i.k === 'texpr')));
  if (!mirror || onGraph) return undefined;
  const keywords = new Map([...call.args.keywords].map(([name, value]) => [mirror.keywords?.[name] ?? name, value]));
  // The dtype of `tf.cast(x, tf.float32)` and `tf.constant(v, tf.float32)` comes second; numpy reads it by keyword.
  const conversion = mirror.numpy === 'array';
  if (conversion && call.args.positional[1] && !keywords.has('dtype')) keywords.set('dtype', call.args.positional[1]);
  const positional = conversion ? call.args.positional.slice(0, 1) : [...call.args.positional];
  if (keywords.has('x') && positional.length === 0) positional.push(keywords.get('x')!);
  keywords.delete('x');
  // np.arange reads its bounds in order only: `tf.range(start=0, limit=10, delta=2)` is arange(0, 10, 2).
  if (mirror.numpy === 'arange') {
    const [start, stop, step] = [keywords.get('start') ?? positional[0], keywords.get('stop') ?? positional[1], keywords.get('step') ?? positional[2]];
    positional.splice(0, positional.length, ...(stop === undefined ? [start] : step === undefined ? [start ?? NUMBER_ZERO, stop] : [start ?? NUMBER_ZERO, stop, step]).filter((v): v is Value => v !== undefined));
    for (const name of ['start', 'stop', 'step']) keywords.delete(name);
  }
  const f = NUMPY_FUNCTIONS.get(mirror.numpy);
  const args: Args = { ...call.args, positional, keywords };
  const value = f?.({ last: mirror.numpy, args, arg0: positional[0], node: call.node, location: ctx.loc(call.node), ctx });
  return value === undefined || value.k === 'unknown' ? undefined : value;
}

export const numpy: Library = {
  patterns: [
    { matches: (path) => path.startsWith('numpy.') || path.startsWith('jax.numpy.'), call: numpyCall },
    { matches: (path, last) => /^tensorflow\.(math\.)?[a-z_0-9]+$/.test(path) && Object.hasOwn(TENSORFLOW_AS_NUMPY, last), call: tensorflowAsNumpy },
  ],
};

/** `np.random.normal(...)` and the methods of a generator (`rng.normal(...)`): arrays drawn from the distribution, with its statistics. */
export function randomCall(ctx: CallContext, fnName: string, args: Args, node: PyNode): Value {
  if (fnName === 'permutation' || fnName === 'shuffle') return permutation(ctx, fnName, args, node);
  if (fnName === 'choice') {
    // `np.random.choice(n, k)`: k row numbers below n (without replacement and k = n, each once).
    const n = args.positional[0];
    const size = args.keywords.get('size') ?? args.positional[1];
    const replace = args.keywords.get('replace') ?? args.positional[2];
    if (n?.k !== 'num' || !Number.isInteger(n.v) || size?.k !== 'num' || !Number.isInteger(size.v)) return UNKNOWN;
    const every = replace?.k === 'bool' && !replace.v && size.v === n.v;
    return { k: 'array', array: { source: { kind: 'unknown', note: ctx.src(node), location: ctx.loc(node) }, transforms: [], shape: [size.v], index: true, ...(every ? { permutation: true } : {}) } };
  }
  if (!RANDOM_FUNCTIONS.has(fnName)) return fnName === 'seed' ? NONE : UNKNOWN;
  const location = ctx.loc(node);
  const num = (v: Value | undefined): number | undefined => (v?.k === 'num' ? v.v : undefined);
  const shapeOf = (v: Value | undefined): number[] | undefined => {
    if (!v) return undefined;
    if (v.k === 'num') return [v.v];
    if (v.k === 'seq' && v.items.every((i) => i.k === 'num')) return v.items.map((i) => (i as { v: number }).v);
    return undefined;
  };
  const p = args.positional;
  const kw = args.keywords;
  switch (fnName) {
    case 'rand':
    case 'randn': {
      const dims = p.map(num);
      if (dims.some((d) => d === undefined)) return { k: 'array', array: unknownArray(ctx.src(node), location) };
      return { k: 'array', array: randomArray(fnName, dims as number[], fnName === 'rand' ? { low: 0, high: 1 } : { mean: 0, std: 1 }, location) };
    }
    case 'random':
    case 'random_sample':
    case 'ranf':
    case 'sample': {
      const shape = shapeOf(kw.get('size') ?? p[0]);
      return shape ? { k: 'array', array: randomArray('random', shape, { low: 0, high: 1 }, location) } : UNKNOWN;
    }
    case 'standard_normal': {
      const shape = shapeOf(kw.get('size') ?? p[0]);
      return shape ? { k: 'array', array: randomArray('standard_normal', shape, { mean: 0, std: 1 }, location) } : UNKNOWN;
    }
    case 'uniform': {
      const low = num(kw.get('low') ?? p[0]) ?? 0;
      const high = num(kw.get('high') ?? p[1]) ?? 1;
      const shape = shapeOf(kw.get('size') ?? p[2]);
      return shape ? { k: 'array', array: randomArray('uniform', shape, { low, high }, location) } : UNKNOWN;
    }
    case 'normal': {
      const mean = num(kw.get('loc') ?? p[0]) ?? 0;
      const std = num(kw.get('scale') ?? p[1]) ?? 1;
      const shape = shapeOf(kw.get('size') ?? p[2]);
      return shape ? { k: 'array', array: randomArray('normal', shape, { mean, std }, location) } : UNKNOWN;
    }
    case 'randint':
    case 'integers': {
      const a = num(kw.get('low') ?? p[0]);
      const b = num(kw.get('high') ?? p[1]);
      const shape = shapeOf(kw.get('size') ?? p[2]);
      if (a === undefined || !shape) return UNKNOWN;
      const [low, high] = b === undefined ? [0, a] : [a, b];
      return { k: 'array', array: randomArray('randint', shape, { low, high }, location) };
    }
    default:
      return UNKNOWN;
  }
}

/**
 * `np.random.permutation(n)`: 0..n-1 in some order, an index that reorders rows;
 * `np.random.permutation(x)`: x's rows in some order; `np.random.shuffle(x)`: the same, in place.
 */
function permutation(ctx: CallContext, fnName: string, args: Args, node: PyNode): Value {
  const arg0 = args.positional[0] ?? args.keywords.get('x');
  const location = ctx.loc(node);
  if (fnName === 'shuffle') {
    if (arg0?.k === 'array') shuffledInPlace(arg0.array);
    return NONE;
  }
  if (arg0?.k === 'num' && Number.isInteger(arg0.v) && arg0.v >= 0) {
    const n = arg0.v;
    const stats = n > 0 ? [{ count: n, min: 0, max: n - 1, mean: (n - 1) / 2, std: Math.sqrt((n * n - 1) / 12), nanCount: 0, infCount: 0 }] : [];
    return { k: 'array', array: { source: { kind: 'unknown', note: ctx.src(node), location }, transforms: [], shape: [n], stats, statsKind: 'exact', permutation: true } };
  }
  if (arg0?.k === 'array') {
    const shape = currentShape(arg0.array);
    return { k: 'array', array: subsetRows(arg0.array, shape?.[0] ?? null, ctx.src(node), location, true) };
  }
  return UNKNOWN;
}

/** The product of a list of known numbers (`np.prod(shape)`), or unknown. */
export function productOf(seq: Extract<Value, { k: 'seq' }>, note: string, location: SourceLocation): Value {
  let p = 1;
  for (const item of seq.items) {
    if (item.k !== 'num') return UNKNOWN;
    p *= item.v;
  }
  return { k: 'num', v: p, origin: { kind: 'inferred', note, location } };
}

function numericFunction(name: string): ((x: number) => number) | undefined {
  switch (name) {
    case 'log':
      return Math.log;
    case 'log1p':
      return Math.log1p;
    case 'log2':
      return Math.log2;
    case 'log10':
      return Math.log10;
    default:
      return Object.hasOwn(ELEMENTWISE_FUNCTIONS, name) ? ELEMENTWISE_FUNCTIONS[name] : undefined;
  }
}

