/**
 * numpy calls that make or combine arrays: `zeros`, `ones`, `full` (and their `_like`), `arange`,
 * `linspace`, `concatenate`, `vstack`, `hstack`, `column_stack`, `repeat`, `tile`, `isnan` and
 * `where(isnan(x), v, x)`. Each gives what numpy gives where its arguments are known, else nothing
 * (the caller then says unknown).
 */
import type { SourceLocation } from '../../ir';
import { arangeArray, concatenated, currentShape, filledRowsUnknown, filledWith, linspaceArray, opaqueDerived, repeatedRows, stackedAlong, stackedArrays } from './arrayOps';
import { castTo, elementwise, filledNaN, thresholded } from './data';
import type { ArrayObj, Value } from './values';

export interface CallArguments {
  positional: Value[];
  keywords: ReadonlyMap<string, Value>;
}

const FLOAT_DTYPES = /^(float32|float64|float|double|single|f4|f8)$/;

function num(v: Value | undefined): number | undefined {
  return v?.k === 'num' ? v.v : undefined;
}

function intShape(v: Value | undefined): number[] | undefined {
  if (!v) return undefined;
  if (v.k === 'num') return Number.isInteger(v.v) && v.v >= 0 ? [v.v] : undefined;
  if (v.k === 'seq' && v.items.every((i) => i.k === 'num' && Number.isInteger(i.v) && i.v >= 0)) return v.items.map((i) => (i as { v: number }).v);
  return undefined;
}

function dtypeName(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  if (v.k === 'str') return v.v;
  if (v.k === 'ref') return v.path.split('.').pop();
  return 'unknown';
}

/** `dtype=` on a created array: float types are followed (float32 rounds), others leave the values unknown. */
function withDtype(array: ArrayObj, dtype: string | undefined, location: SourceLocation): ArrayObj {
  if (dtype === undefined || FLOAT_DTYPES.test(dtype.toLowerCase())) return dtype === undefined ? array : castTo(array, { kind: 'astype', dtype, location }, dtype);
  return castTo(array, { kind: 'astype', dtype, location }, dtype);
}

/**
 * The array a numpy call makes, or undefined when the call is not one of these or its arguments
 * are not known. `toArray` turns a value (a list, an array) into an array.
 */
export function numpyArrayCall(name: string, args: CallArguments, note: string, location: SourceLocation, toArray: (v: Value | undefined) => ArrayObj | undefined): Value | undefined {
  const p = args.positional;
  const kw = args.keywords;
  const wrap = (array: ArrayObj | undefined): Value | undefined => (array ? { k: 'array', array } : undefined);
  switch (name) {
    case 'zeros':
    case 'ones':
    case 'full': {
      const given = kw.get('shape') ?? p[0];
      const shape = intShape(given);
      const fill = name === 'zeros' ? 0 : name === 'ones' ? 1 : num(kw.get('fill_value') ?? p[1]);
      // Rows nanguard could not count, the other axes known (an embedding matrix of a vocabulary's rows): those axes are kept.
      const rest = !shape && given?.k === 'seq' && given.items.length >= 2 && given.items[0].k === 'unknown' ? intShape({ ...given, items: given.items.slice(1) }) : undefined;
      if (rest && fill !== undefined) return wrap(withDtype(filledRowsUnknown(rest, note, location), dtypeName(kw.get('dtype') ?? (name === 'full' ? p[2] : p[1])), location));
      if (!shape || fill === undefined) return undefined;
      return wrap(withDtype(filledWith(shape, fill, note, location), dtypeName(kw.get('dtype') ?? (name === 'full' ? p[2] : p[1])), location));
    }
    case 'zeros_like':
    case 'ones_like':
    case 'full_like': {
      const like = toArray(p[0]);
      const shape = like ? currentShape(like) : undefined;
      const fill = name === 'zeros_like' ? 0 : name === 'ones_like' ? 1 : num(kw.get('fill_value') ?? p[1]);
      if (!shape || shape.some((d) => d === null) || fill === undefined) return undefined;
      return wrap(withDtype(filledWith(shape as number[], fill, note, location), dtypeName(kw.get('dtype')), location));
    }
    case 'arange': {
      const nums = p.map(num);
      if (nums.length === 0 || nums.some((n) => n === undefined)) return undefined;
      const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
      return wrap(withDtype(arangeArray(start, stop, step, note, location) as ArrayObj, dtypeName(kw.get('dtype')), location));
    }
    case 'linspace': {
      const start = num(kw.get('start') ?? p[0]);
      const stop = num(kw.get('stop') ?? p[1]);
      const count = num(kw.get('num') ?? p[2]) ?? 50;
      const endpoint = kw.get('endpoint') ?? p[3];
      if (start === undefined || stop === undefined || kw.has('retstep') || kw.has('axis')) return undefined;
      const array = linspaceArray(start, stop, count, endpoint?.k === 'bool' ? endpoint.v : true, note, location);
      return array ? wrap(withDtype(array, dtypeName(kw.get('dtype')), location)) : undefined;
    }
    case 'concatenate':
    case 'vstack':
    case 'row_stack':
    case 'hstack':
    case 'column_stack': {
      const listed = kw.get('arrays') ?? kw.get('tup') ?? p[0];
      if (listed?.k !== 'seq' || listed.partial || listed.items.length === 0) return undefined;
      const arrays = listed.items.map((i) => toArray(i));
      if (arrays.some((a) => !a)) return undefined;
      const parts = arrays as ArrayObj[];
      const ranks = parts.map((a) => currentShape(a)?.length);
      if (ranks.some((r) => r === undefined)) return wrap(opaqueDerived(parts[0], note, location));
      const oneD = ranks.every((r) => r === 1);
      // 1-D arrays are rows for vstack and columns for column_stack; hstack joins them end to end.
      const asRows = (a: ArrayObj): ArrayObj => {
        const shape = currentShape(a)!;
        return { ...a, shape: [1, shape[0]], rows: a.rows ? [a.rows.map((r) => r[0])] : undefined, stats: undefined, statsKind: a.rows ? 'exact' : undefined };
      };
      const asColumn = (a: ArrayObj): ArrayObj => ({ ...a, shape: [currentShape(a)![0], 1] });
      if (name === 'concatenate') {
        const axis = num(kw.get('axis') ?? p[1]) ?? 0;
        return wrap(concatenated(parts, axis, note, location));
      }
      if (name === 'vstack' || name === 'row_stack') return wrap(concatenated(oneD ? parts.map(asRows) : parts, 0, note, location));
      if (name === 'hstack') return wrap(concatenated(parts, oneD ? 0 : 1, note, location));
      return wrap(concatenated(parts.map((a) => (currentShape(a)!.length === 1 ? asColumn(a) : a)), 1, note, location));
    }
    case 'stack': {
      const listed = kw.get('arrays') ?? p[0];
      const axis = num(kw.get('axis') ?? p[1]) ?? 0;
      // Windows cut in a loop (see the evaluator's appendsWindows): stacked along the first axis, they are np.array of the list.
      if (listed?.k === 'seq' && listed.windows && axis === 0) return wrap(listed.windows);
      if (listed?.k !== 'seq' || listed.partial || listed.items.length === 0 || !Number.isInteger(axis)) return undefined;
      const arrays = listed.items.map((i) => toArray(i));
      if (!arrays.every((a) => a)) return undefined;
      return wrap(axis === 0 ? stackedArrays(arrays as ArrayObj[], note, location) : stackedAlong(arrays as ArrayObj[], axis, note, location));
    }
    case 'power': {
      // `np.power(x, 2)` is `np.square(x)`; other exponents are followed on known values.
      const a = toArray(p[0]);
      const exponent = num(p[1]);
      if (!a || exponent === undefined) return undefined;
      return wrap(elementwise(a, { kind: 'other', note: `** ${exponent}`, location }, (x) => x ** exponent, exponent === 2 ? 'square' : undefined));
    }
    case 'repeat':
    case 'tile': {
      const a = toArray(p[0]);
      if (!a) return undefined;
      if (name === 'repeat') {
        const k = num(kw.get('repeats') ?? p[1]);
        const axis = num(kw.get('axis') ?? p[2]);
        return axis === 0 && k !== undefined ? wrap(repeatedRows(a, k, true, note, location)) : wrap(opaqueDerived(a, note, location));
      }
      const reps = kw.get('reps') ?? p[1];
      const rank = currentShape(a)?.length;
      // `np.tile(x, (k, 1))` on a 2-D array, or `np.tile(x, k)` on a 1-D one: the whole array k times.
      const k = reps?.k === 'seq' && reps.items.length === 2 && rank === 2 && num(reps.items[1]) === 1 ? num(reps.items[0]) : reps?.k === 'num' && rank === 1 ? reps.v : undefined;
      return wrap(k !== undefined ? repeatedRows(a, k, false, note, location) : opaqueDerived(a, note, location));
    }
    case 'isnan': {
      const a = toArray(p[0]);
      if (!a) return undefined;
      return wrap({ ...opaqueDerived(a, note, location), shape: currentShape(a), mask: true, nanMaskOf: a });
    }
    case 'where': {
      // `np.where(np.isnan(x), v, x)`: NaN cells take v.
      const [condition, replacement, otherwise] = p;
      // `np.where(x > 0.5, 1.0, 0.0)`: x binarized at the threshold.
      const above = condition?.k === 'array' ? condition.array.aboveMaskOf : undefined;
      const high = num(replacement);
      const low = num(otherwise);
      if (p.length === 3 && above && high !== undefined && low !== undefined) return wrap(thresholded(above.array, { kind: 'threshold', above: above.above, high, low, location }));
      if (p.length !== 3 || condition?.k !== 'array' || otherwise?.k !== 'array' || condition.array.nanMaskOf !== otherwise.array) return undefined;
      const fill = num(replacement);
      return fill === undefined ? undefined : wrap(filledNaN(otherwise.array, { kind: 'fillna', location }, fill));
    }
    default:
      return undefined;
  }
}
