/**
 * scikit-learn: its scalers and imputers (`StandardScaler()`, then `fit`, `fit_transform`,
 * `transform`) and `train_test_split`. Both are known by their class or function name,
 * whichever module they are imported from.
 */
import type { SourceLocation } from '../../../ir';
import { currentShape, indexArray, subsetRows } from '../arrayOps';
import { applyScaler, fitScaler, literalArray, matmul, oneHot, randomArray, transformed, unknownArray, withNoise } from '../data';
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
    { matches: (path, last) => last === 'make_regression' && (path.startsWith('sklearn') || path === 'make_regression'), call: ({ args, node }, ctx) => makeRegression(ctx, args, node) },
    { matches: (path, last) => last === 'make_classification' && (path.startsWith('sklearn') || path === 'make_classification'), call: ({ args, node }, ctx) => makeClassification(ctx, args, node) },
    { matches: (path, last) => TOY_DATASETS[last] !== undefined && (path.startsWith('sklearn') || path === last), call: ({ last, args, node }, ctx) => toyDataset(ctx, last, args, node) },
  ],
};

/**
 * scikit-learn's bundled toy datasets, as its documentation describes them: samples, and each
 * feature's minimum and maximum (with the mean and standard deviation where the documentation
 * gives them); the classes of the target, or its range for a regression. The values themselves
 * are not read: a run stands in for them within those ranges, and says so.
 */
interface ToyDataset {
  rows: number;
  min: number[];
  max: number[];
  mean?: number[];
  std?: number[];
  target: { classes: number } | { min: number; max: number };
}

const TOY_DATASETS: Record<string, ToyDataset> = {
  load_iris: { rows: 150, min: [4.3, 2.0, 1.0, 0.1], max: [7.9, 4.4, 6.9, 2.5], mean: [5.84, 3.06, 3.76, 1.2], std: [0.83, 0.43, 1.76, 0.76], target: { classes: 3 } },
  load_wine: {
    rows: 178,
    min: [11.03, 0.74, 1.36, 10.6, 70, 0.98, 0.34, 0.13, 0.41, 1.28, 0.48, 1.27, 278],
    max: [14.83, 5.8, 3.23, 30, 162, 3.88, 5.08, 0.66, 3.58, 13, 1.71, 4, 1680],
    mean: [13.0, 2.34, 2.36, 19.5, 99.7, 2.29, 2.03, 0.36, 1.59, 5.1, 0.96, 2.61, 746],
    std: [0.8, 1.12, 0.27, 3.3, 14.3, 0.63, 1.0, 0.12, 0.57, 2.3, 0.23, 0.71, 315],
    target: { classes: 3 },
  },
  load_breast_cancer: {
    rows: 569,
    min: [6.981, 9.71, 43.79, 143.5, 0.053, 0.019, 0, 0, 0.106, 0.05, 0.112, 0.36, 0.757, 6.802, 0.002, 0.002, 0, 0, 0.008, 0.001, 7.93, 12.02, 50.41, 185.2, 0.071, 0.027, 0, 0, 0.156, 0.055],
    max: [28.11, 39.28, 188.5, 2501, 0.163, 0.345, 0.427, 0.201, 0.304, 0.097, 2.873, 4.885, 21.98, 542.2, 0.031, 0.135, 0.396, 0.053, 0.079, 0.03, 36.04, 49.54, 251.2, 4254, 0.223, 1.058, 1.252, 0.291, 0.664, 0.208],
    target: { classes: 2 },
  },
  load_digits: { rows: 1797, min: Array(64).fill(0), max: Array(64).fill(16), target: { classes: 10 } },
  load_diabetes: { rows: 442, min: Array(10).fill(-0.137), max: Array(10).fill(0.199), mean: Array(10).fill(0), std: Array(10).fill(0.0476), target: { min: 25, max: 346 } },
};

/** `load_iris()` (a Bunch: `.data`, `.target`) or `load_iris(return_X_y=True)` (the pair): arrays of the dataset's shape and ranges. */
function toyDataset(ctx: CallContext, name: string, args: Args, node: PyNode): Value {
  const known = TOY_DATASETS[name];
  const location = ctx.loc(node);
  const note = `sklearn.datasets.${name}`;
  const data = unknownArray(`${note}: ${known.rows} samples x ${known.min.length} features, its values not read`, location);
  data.shape = [known.rows, known.min.length];
  data.stats = known.min.map((min, j) => {
    const max = known.max[j];
    return { count: known.rows, min, max, mean: known.mean?.[j] ?? (min + max) / 2, std: known.std?.[j] ?? (max - min) / Math.sqrt(12), nanCount: 0, infCount: 0 };
  });
  data.statsKind = 'bounds';
  const target = unknownArray(`${note} target`, location);
  target.shape = [known.rows];
  if ('classes' in known.target) {
    target.labels = { classes: known.target.classes, oneHot: false };
    target.stats = [{ count: known.rows, min: 0, max: known.target.classes - 1, mean: (known.target.classes - 1) / 2, std: 0, nanCount: 0, infCount: 0 }];
  } else target.stats = [{ count: known.rows, min: known.target.min, max: known.target.max, mean: (known.target.min + known.target.max) / 2, std: (known.target.max - known.target.min) / Math.sqrt(12), nanCount: 0, infCount: 0 }];
  target.statsKind = 'bounds';
  const pair = args.keywords.get('return_X_y');
  if (pair?.k === 'bool' && pair.v) return { k: 'seq', tuple: true, items: [{ k: 'array', array: data }, { k: 'array', array: target }] };
  return { k: 'object', className: 'sklearn.utils.Bunch', attrs: new Map<string, Value>([['data', { k: 'array', array: data }], ['target', { k: 'array', array: target }]]) };
}

/**
 * `make_regression(n_samples, n_features, n_informative=10, noise=0.0, bias=0.0, n_targets=1)`:
 * X standard normal draws, y = X @ w + bias + normal noise, w 100 x uniform(0, 1) on the
 * informative features and 0 on the others, as scikit-learn makes them (the draws are nanguard's,
 * not scikit-learn's; its shuffle of the columns changes nothing the training sees). y keeps its
 * relation to X, and its scale, sqrt(100² / 3 x informative + noise²) per target, is known: the
 * targets in the hundreds that reports leave unscaled.
 */
function makeRegression(ctx: CallContext, args: Args, node: PyNode): Value {
  const location = ctx.loc(node);
  const names = ['n_samples', 'n_features', 'n_informative', 'n_targets', 'bias', 'effective_rank', 'tail_strength', 'noise'];
  const number = (name: string, fallback: number): number | undefined => {
    const v = args.keywords.get(name) ?? args.positional[names.indexOf(name)];
    if (v === undefined || v.k === 'none') return fallback;
    return v.k === 'num' && Number.isFinite(v.v) ? v.v : undefined;
  };
  const [n, features, informativeAsked, targets, bias, noise] = [number('n_samples', 100), number('n_features', 100), number('n_informative', 10), number('n_targets', 1), number('bias', 0), number('noise', 0)];
  const rank = args.keywords.get('effective_rank') ?? args.positional[5];
  const coef = args.keywords.get('coef');
  // A low-rank X (effective_rank) is not normal draws; with coef=True a third value is returned.
  if ([n, features, informativeAsked, targets, bias, noise].some((v) => v === undefined) || (rank !== undefined && rank.k !== 'none') || (coef?.k === 'bool' && coef.v)) return UNKNOWN;
  const [rows, width, outputs] = [n as number, features as number, targets as number];
  if (![rows, width, outputs].every((v) => Number.isInteger(v) && v >= 1) || rows * width > 50_000_000) return UNKNOWN;
  const informative = Math.max(0, Math.min(width, Math.floor(informativeAsked as number)));
  const x = randomArray('standard_normal', [rows, width], { mean: 0, std: 1 }, location);
  // w: 100 x uniform(0, 1) on the informative features, drawn here (a fixed generator, so the analysis repeats).
  let state = 2576;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const w = Array.from({ length: width }, (_, j) => Array.from({ length: outputs }, () => (j < informative ? 100 * uniform() : 0)));
  let y = matmul(x, literalArray({ shape: [width, outputs], rows: w }, location), location);
  if (noise !== 0) y = withNoise(y, randomArray('normal', [rows, outputs], { mean: 0, std: Math.abs(noise as number) }, location), 1, location);
  if (bias !== 0) y = transformed(y, { kind: 'subtract', what: -(bias as number), location });
  // y's scale: normal, of the variance its weights and the noise give (the analysis's bounds of normal draws).
  const spread = Math.sqrt(w.reduce((sum, row) => sum + row[0] * row[0], 0) + (noise as number) ** 2);
  const scale = randomArray('normal', [rows], { mean: bias as number, std: spread }, location);
  y = { ...y, shape: outputs === 1 ? [rows] : [rows, outputs], stats: outputs === 1 ? scale.stats : undefined, statsKind: outputs === 1 ? 'bounds' : undefined };
  if (outputs === 1) y.transforms = [...y.transforms, { kind: 'reshape', location }];
  return { k: 'seq', items: [{ k: 'array', array: x }, { k: 'array', array: y }], tuple: true };
}

/**
 * `make_classification(n_samples, n_features, n_informative=2, n_classes=2, class_sep=1.0)`: y a
 * class drawn at random, X a standard normal draw around its class's centre, a vertex of a hypercube
 * of side 2 x class_sep in the informative features (0 elsewhere). scikit-learn puts two clusters
 * on distinct vertices for each class, flips 1% of the labels and mixes redundant features in; here
 * one centre a class, which keeps what training sees: classes that class_sep sets apart, or not.
 */
function makeClassification(ctx: CallContext, args: Args, node: PyNode): Value {
  const location = ctx.loc(node);
  const names = ['n_samples', 'n_features', 'n_informative', 'n_redundant', 'n_repeated', 'n_classes', 'n_clusters_per_class'];
  const number = (name: string, fallback: number): number | undefined => {
    const v = args.keywords.get(name) ?? args.positional[names.indexOf(name)];
    if (v === undefined || v.k === 'none') return fallback;
    return v.k === 'num' && Number.isFinite(v.v) ? v.v : undefined;
  };
  const [n, width, informativeAsked, classes, sep] = [number('n_samples', 100), number('n_features', 20), number('n_informative', 2), number('n_classes', 2), number('class_sep', 1)];
  if ([n, width, informativeAsked, classes, sep].some((v) => v === undefined)) return UNKNOWN;
  const [rows, features, k] = [n as number, width as number, classes as number];
  if (![rows, features, k].every((v) => Number.isInteger(v) && v >= 1) || rows * features > 50_000_000 || k > 64) return UNKNOWN;
  const informative = Math.max(1, Math.min(features, Math.floor(informativeAsked as number)));
  // A vertex of the hypercube a class: the bits of a number drawn for it, as ±class_sep, distinct while there are enough.
  let state = 9000 + k;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const used = new Set<number>();
  const centres = Array.from({ length: k }, () => {
    let bits = Math.floor(uniform() * 2 ** Math.min(informative, 30));
    for (let tries = 0; used.has(bits) && tries < 64; tries++) bits = Math.floor(uniform() * 2 ** Math.min(informative, 30));
    used.add(bits);
    return Array.from({ length: features }, (_, j) => (j < informative ? ((bits >> (j % 30)) & 1 ? 1 : -1) * (sep as number) : 0));
  });
  const labels = randomArray('randint', [rows, 1], { low: 0, high: k }, location);
  const encoded = oneHot(labels, k, location);
  if (!encoded) return UNKNOWN;
  const placed = matmul(encoded, literalArray({ shape: [k, features], rows: centres }, location), location);
  const x = withNoise(placed, randomArray('standard_normal', [rows, features], { mean: 0, std: 1 }, location), 1, location);
  const bound = (sep as number) + 4.5;
  x.stats = Array.from({ length: features }, () => ({ count: rows, min: -bound, max: bound, mean: 0, std: Math.sqrt(1 + (sep as number) ** 2), nanCount: 0, infCount: 0 }));
  x.statsKind = 'bounds';
  const y = { ...transformed(labels, { kind: 'reshape', location }, (r) => r, (st) => st), shape: [rows] as (number | null)[], labels: { classes: k, oneHot: false } };
  return { k: 'seq', items: [{ k: 'array', array: x }, { k: 'array', array: y }], tuple: true };
}

/** Sources whose rows the reproduction replays: a split of them can be replayed as well. */
const REPLAYED_SOURCES = new Set(['file', 'literal', 'random']);

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
  // The sizes as written and the seed, for the replay; a stratified split or a size not known is not replayed.
  const written = (v: Value | undefined): number | null | undefined => (v === undefined || v.k === 'none' ? null : v.k === 'num' && v.v > 0 ? v.v : undefined);
  const seedValue = args.keywords.get('random_state');
  const testWritten = written(args.keywords.get('test_size'));
  const trainWritten = written(args.keywords.get('train_size'));
  const stratify = args.keywords.get('stratify');
  const drawn = testWritten !== undefined && trainWritten !== undefined && (stratify === undefined || stratify.k === 'none') && (seedValue === undefined || seedValue.k === 'num' || seedValue.k === 'none')
    ? { test: testWritten, train: trainWritten, seed: seedValue?.k === 'num' ? seedValue.v : 0 }
    : undefined;
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
      if (ordered_ !== undefined && typeof ordered_ !== 'number') {
        out.push({ k: 'array', array: ordered_ });
        continue;
      }
      const part_ = subsetRows(v.array, count, note, location);
      // Rows of data the reproduction replays (a file, the program's own numbers): the split is replayed too, with nanguard's own draw.
      if (drawn && REPLAYED_SOURCES.has(v.array.source.kind) && part_.source.kind === 'derived') {
        part_.source = v.array.source;
        part_.transforms = [...v.array.transforms, { kind: 'split', part, ...drawn, location }];
      }
      out.push({ k: 'array', array: part_ });
    }
  }
  return { k: 'seq', items: out, tuple: true };
}
