/**
 * scikit-learn: its scalers and imputers (`StandardScaler()`, then `fit`, `fit_transform`,
 * `transform`) and `train_test_split`. Both are known by their class or function name,
 * whichever module they are imported from.
 */
import type { SourceLocation } from '../../../ir';
import { currentShape, indexArray, subsetRows } from '../arrayOps';
import { applyScaler, fitScaler, unknownArray } from '../data';
import type { PyNode } from '../syntax';
import { UNKNOWN, type Value } from '../values';
import type { Args, CallContext, CallHandler, Library } from './library';

const SCALERS = new Set(['StandardScaler', 'MinMaxScaler', 'MaxAbsScaler', 'RobustScaler', 'Normalizer', 'QuantileTransformer', 'PowerTransformer', 'SimpleImputer', 'KNNImputer', 'IterativeImputer']);

const scaler: CallHandler = ({ last, args }) => {
  const range = args.keywords.get('feature_range');
  const featureRange: [number, number] | undefined = range?.k === 'seq' && range.items[0]?.k === 'num' && range.items[1]?.k === 'num' ? [range.items[0].v, range.items[1].v] : undefined;
  return { k: 'scaler', scaler: { className: last, featureRange } };
};

/** `scaler.fit(x)`, `fit_transform(x)`, `transform(x)`: the scaler learns x's statistics, and applies them. */
export function scalerMethod(ctx: CallContext, owner: Extract<Value, { k: 'scaler' }>, method: string, args: Args, objectNode: PyNode, location: SourceLocation): Value {
  const input = args.positional[0];
  if (method === 'fit' && input?.k === 'array') {
    owner.scaler = fitScaler(owner.scaler, input.array);
    return owner;
  }
  if (method === 'fit_transform' && input?.k === 'array') {
    owner.scaler = fitScaler(owner.scaler, input.array);
    return { k: 'array', array: applyScaler(owner.scaler, input.array, location) };
  }
  if (method === 'transform' && input?.k === 'array') return { k: 'array', array: applyScaler(owner.scaler, input.array, location) };
  if ((method === 'fit_transform' || method === 'transform') && input && input.k !== 'array') {
    return { k: 'array', array: applyScaler(owner.scaler, unknownArray(ctx.src(args.positionalNodes[0] ?? objectNode), location), location) };
  }
  return UNKNOWN;
}

export const sklearn: Library = {
  patterns: [
    { matches: (_path, last) => SCALERS.has(last), call: scaler },
    { matches: (_path, last) => last === 'train_test_split', call: ({ args, node }, ctx) => trainTestSplit(ctx, args, node) },
  ],
};

/**
 * `train_test_split(X, y, test_size=0.2)`: a train and a test part of each array, as many rows as
 * scikit-learn gives them (test: ceil(test_size * n), 0.25 by default; train: the rest, or
 * floor(train_size * n)); shuffled unless `shuffle=False`, when they are the first and last rows.
 */
function trainTestSplit(ctx: CallContext, args: Args, node: PyNode): Value {
  const location = ctx.loc(node);
  const first = args.positional.find((v) => v.k === 'array');
  const n = first?.k === 'array' ? (currentShape(first.array)?.[0] ?? null) : null;
  const size = (v: Value | undefined, rows: number, round: (x: number) => number): number | null | undefined => {
    if (!v || v.k === 'none') return undefined;
    if (v.k !== 'num') return null;
    return Number.isInteger(v.v) && v.v >= 1 ? v.v : round(v.v * rows);
  };
  let train: number | null = null;
  let test: number | null = null;
  if (n !== null) {
    const t = size(args.keywords.get('test_size'), n, Math.ceil);
    const r = size(args.keywords.get('train_size'), n, Math.floor);
    if (t === null || r === null) [train, test] = [null, null];
    else if (t === undefined && r === undefined) test = Math.ceil(0.25 * n);
    else test = t ?? n - (r as number);
    if (test !== null) train = r ?? n - test;
  }
  const shuffle = args.keywords.get('shuffle');
  const ordered = shuffle?.k === 'bool' && !shuffle.v;
  const out: Value[] = [];
  for (let i = 0; i < args.positional.length; i++) {
    const v = args.positional[i];
    const text = ctx.src(args.positionalNodes[i]);
    for (const [part, count] of [['train', train], ['test', test]] as const) {
      if (v.k !== 'array') {
        out.push(UNKNOWN);
        continue;
      }
      const note = `train_test_split(${text}) ${part}`;
      const rows = count !== null && train !== null ? (part === 'train' ? { kind: 'slice' as const, stop: train } : { kind: 'slice' as const, start: train }) : undefined;
      const ordered_ = ordered && rows ? indexArray(v.array, [rows], note, location) : undefined;
      out.push({ k: 'array', array: ordered_ !== undefined && typeof ordered_ !== 'number' ? ordered_ : subsetRows(v.array, count, note, location) });
    }
  }
  return { k: 'seq', items: out, tuple: true };
}
