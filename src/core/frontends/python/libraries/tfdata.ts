/**
 * Input pipelines: `tf.data.Dataset.from_tensor_slices((x, y))` with its `shuffle`, `batch`, `map`
 * and `prefetch`; `tensorflow_datasets.load("mnist")`; `image_dataset_from_directory(...)`. A
 * dataset is the arrays it yields (inputs, and targets when it yields pairs) and its batch size,
 * so that `model.fit(ds)` trains on those arrays as `model.fit(x, y)` would.
 */
import type { Origin, SourceLocation, Valued } from '../../../ir';
import { DATASETS } from '../keras';
import { randomArray, unknownArray } from '../data';
import { slidingWindows } from '../arrayOps';
import type { PyNode } from '../syntax';
import { NONE, UNKNOWN, type DatasetValue, type Value } from '../values';
import type { Args, CallContext, CallPattern, Library } from './library';

/** Methods that yield the same elements, regrouped, reordered or repeated. */
const SAME_ELEMENTS = new Set(['shuffle', 'prefetch', 'cache', 'repeat', 'with_options', 'unbatch', 'take', 'skip', 'shard', 'apply']);

/** What a map function gave, its arrays no longer read as one element each. */
function wholeArrays(v: Value): Value {
  if (v.k === 'array' && v.array.perElement) {
    const { perElement: _element, ...array } = v.array;
    void _element;
    return { k: 'array', array };
  }
  if (v.k === 'seq') return { ...v, items: v.items.map(wholeArrays) };
  if (v.k === 'dict') return { ...v, entries: new Map([...v.entries].map(([k, e]) => [k, wholeArrays(e)])) };
  return v;
}

/** A dataset's elements: an array, or a pair (inputs, targets) as a tuple. */
function fromElements(element: Value | undefined, location: SourceLocation): DatasetValue | undefined {
  if (!element) return undefined;
  if (element.k === 'seq' && element.tuple && element.items.length === 2) return { k: 'dataset', x: element.items[0], y: element.items[1], location };
  if (element.k === 'array' || element.k === 'dict') return { k: 'dataset', x: element, location };
  return undefined;
}

const fromTensorSlices: CallPattern['call'] = ({ args, node }, ctx) => {
  const elements = args.positional[0] ?? args.keywords.get('tensors');
  // Arrays nanguard could not follow are still a dataset: a loop over it is still followed (batch size included).
  if (elements?.k === 'unknown' && ctx.nodeType(args.positionalNodes[0] ?? node) === 'identifier') return { k: 'dataset', x: elements, location: ctx.loc(node) };
  return fromElements(elements, ctx.loc(node)) ?? UNKNOWN;
};

/** `Dataset.zip((inputs, targets))`: pairs of the two datasets' elements. */
const zipDatasets: CallPattern['call'] = ({ args, node }, ctx) => {
  const arg0 = args.positional[0] ?? args.keywords.get('datasets');
  if (arg0?.k !== 'seq' || arg0.items.length !== 2 || arg0.items.some((d) => d.k !== 'dataset' || d.y !== undefined)) return UNKNOWN;
  const [a, b] = arg0.items as DatasetValue[];
  return { k: 'dataset', x: a.x, y: b.x, location: ctx.loc(node) };
};

/** Images of a known dataset (pixels 0-255), `count` of them (null: not known), each of `shape`. */
function imagesOf(name: string, count: number | null, shape: number[], note: string, location: SourceLocation): Value {
  const info = DATASETS[name];
  const a = randomArray('uniform', [count ?? 1, ...shape], { low: 0, high: 255 }, location);
  a.source = { kind: 'unknown', note, location };
  a.shape = [count, ...shape];
  if (info) a.stats = a.stats?.map((s) => ({ ...s, mean: info.mean, std: info.std }));
  else a.stats = a.stats?.map((s) => ({ ...s, mean: NaN, std: NaN }));
  // Real images, not draws: a pixel's own mean and spread are not the dataset's.
  a.distributional = undefined;
  return { k: 'array', array: a };
}

/** tensorflow_datasets's images, as its builders give them (uint8 with a channel axis). */
const TFDS_IMAGES: Record<string, { train: number; test: number; shape: number[]; classes: number }> = {
  mnist: { train: 60000, test: 10000, shape: [28, 28, 1], classes: 10 },
  fashion_mnist: { train: 60000, test: 10000, shape: [28, 28, 1], classes: 10 },
  cifar10: { train: 50000, test: 10000, shape: [32, 32, 3], classes: 10 },
  cifar100: { train: 50000, test: 10000, shape: [32, 32, 3], classes: 100 },
};

/**
 * `tfds.builder("mnist")`: the builder of a known dataset, with the facts programs read from its
 * info (`info.features['image'].shape`, `info.features['label'].num_classes`,
 * `info.splits['train'].num_examples`) and `as_dataset(split=...)`.
 */
const tfdsBuilder: CallPattern['call'] = ({ args, node }, ctx) => {
  const name = args.positional[0] ?? args.keywords.get('name');
  const base = name?.k === 'str' ? name.v.split(':')[0] : undefined;
  const info = base !== undefined ? TFDS_IMAGES[base] : undefined;
  if (!info || base === undefined) return UNKNOWN;
  const origin: Origin = { kind: 'inferred', note: `tensorflow_datasets ${base}'s info`, location: ctx.loc(node) };
  const num = (v: number): Value => ({ k: 'num', v, origin });
  const object = (className: string, attrs: [string, Value][]): Value => ({ k: 'object', className, attrs: new Map(attrs) });
  const image = object('tensorflow_datasets.features.Image', [['shape', { k: 'seq', tuple: true, items: info.shape.map(num) }]]);
  const label = object('tensorflow_datasets.features.ClassLabel', [['num_classes', num(info.classes)]]);
  const split = (n: number) => object('tensorflow_datasets.core.SplitInfo', [['num_examples', num(n)]]);
  const datasetInfo = object('tensorflow_datasets.core.DatasetInfo', [
    ['features', { k: 'dict', entries: new Map([['image', image], ['label', label]]) }],
    ['splits', { k: 'dict', entries: new Map([['train', split(info.train)], ['test', split(info.test)]]) }],
  ]);
  return object('tensorflow_datasets.core.DatasetBuilder', [
    ['info', datasetInfo],
    ['download_and_prepare', { k: 'ref', path: 'tensorflow_datasets.core.DatasetBuilder.download_and_prepare' }],
    ['as_dataset', { k: 'ref', path: `tensorflow_datasets.builder.${base}.as_dataset` }],
  ]);
};

/** A builder's `as_dataset(split=...)`, as `tfds.load` of its name. */
const builderDatasets: CallPattern['call'] = ({ path, args, node }, ctx) => {
  const name = /^tensorflow_datasets\.builder\.(\w+)\.as_dataset$/.exec(path)?.[1];
  if (!name) return undefined;
  return tfdsDatasets({ k: 'str', v: name, origin: { kind: 'inferred', note: path } }, args.keywords.get('split') ?? args.positional[0], args, ctx.loc(node));
};

/** `tfds.load("mnist", split="train", as_supervised=True)`: (image, label) pairs; a dict of them otherwise. */
const tfdsLoad: CallPattern['call'] = ({ args, node }, ctx) => tfdsDatasets(args.positional[0] ?? args.keywords.get('name'), args.keywords.get('split') ?? args.positional[1], args, ctx.loc(node));

/** `tfds.Split.TRAIN`: the split's name. */
function splitName(v: Value | undefined): Value | undefined {
  if (v?.k !== 'ref') return v;
  const m = /(?:^|\.)Split\.(TRAIN|TEST|VALIDATION)$/.exec(v.path);
  return m ? { k: 'str', v: m[1].toLowerCase(), origin: { kind: 'inferred', note: v.path } } : v;
}

/** The datasets `tfds.load` (or a builder's `as_dataset`) gives for a known dataset's name and split. */
function tfdsDatasets(name: Value | undefined, given: Value | undefined, args: Args, location: SourceLocation): Value {
  const info = name?.k === 'str' ? TFDS_IMAGES[name.v.split(':')[0]] : undefined;
  if (!info || name?.k !== 'str') return UNKNOWN;
  const split = given?.k === 'seq' ? { ...given, items: given.items.map((s) => splitName(s) ?? s) } : splitName(given);
  // One split a dataset; a list of splits, a list of datasets; no split, a dict of them by split name.
  const splits =
    split === undefined || split.k === 'none'
      ? ['train', 'test']
      : split.k === 'str'
        ? [split.v]
        : split.k === 'seq' && split.items.every((s) => s.k === 'str')
          ? split.items.map((s) => (s as { v: string }).v)
          : undefined;
  if (!splits) return UNKNOWN;
  const supervised = args.keywords.get('as_supervised');
  const datasets = splits.map((part): Value => {
    const base = part.replace(/\[.*$/, '');
    const whole = base === 'train' ? info.train : base === 'test' ? info.test : null;
    const count = part === base ? whole : null;
    const images = imagesOf(name.v.split(':')[0], count, info.shape, `tensorflow_datasets ${name.v} ${part}: uint8 pixels 0-255`, location);
    const labels: Value = { k: 'array', array: unknownArray(`tensorflow_datasets ${name.v} labels`, location) };
    if (supervised?.k === 'bool' && supervised.v) return { k: 'dataset', x: images, y: labels, location };
    return { k: 'dataset', x: { k: 'dict', entries: new Map([['image', images], ['label', labels]]) }, location };
  });
  if (split === undefined || split.k === 'none') return { k: 'dict', entries: new Map(splits.map((name, i) => [name, datasets[i]])) };
  return split.k === 'str' ? datasets[0] : { k: 'seq', tuple: false, items: datasets };
}

/** `image_dataset_from_directory(dir, image_size=(h, w), color_mode=..., label_mode=...)`: float32 pixels 0-255, batched. */
const imagesFromDirectory: CallPattern['call'] = ({ args, node }, ctx) => {
  const location = ctx.loc(node);
  const size = args.keywords.get('image_size');
  const [height, width] = size?.k === 'seq' && size.items.length === 2 && size.items.every((d) => d.k === 'num') ? size.items.map((d) => (d as { v: number }).v) : [256, 256];
  const mode = args.keywords.get('color_mode');
  const channels = mode?.k === 'str' ? (mode.v === 'grayscale' ? 1 : mode.v === 'rgba' ? 4 : 3) : 3;
  const images = imagesOf('', null, [height, width, channels], 'image_dataset_from_directory: float32 pixels 0-255', location);
  const labelMode = args.keywords.get('label_mode');
  const given = args.keywords.get('batch_size');
  const batchSize: Valued<number> = given?.k === 'num' ? { value: given.v, origin: { kind: 'inferred', note: `batch_size=${given.v} of the dataset`, location } } : { value: 32, origin: { kind: 'default', note: "image_dataset_from_directory's default batch size" } };
  const labels: Value = { k: 'array', array: unknownArray('labels of the images\' folders', location) };
  return { k: 'dataset', x: images, ...(labelMode?.k === 'none' ? {} : { y: labels }), batchSize, location };
};

/** A dataset's method: what it yields after it. */
export function datasetMethod(ctx: CallContext, ds: DatasetValue, method: string, args: Args, node: PyNode): Value {
  // `.shuffle(n)` reshuffles at each pass (reshuffle_each_iteration), as fit(shuffle=True) does: a loop over the dataset trains in that order.
  if (method === 'shuffle') return { ...ds, shuffled: true };
  if (SAME_ELEMENTS.has(method)) return ds;
  // TensorFlow's time-series course: `series` cut into windows of n (`.window(n, shift=1, drop_remainder=True)`),
  // each window made one element again (`.flat_map(lambda w: w.batch(n))`): sliding windows of the series.
  if (method === 'window' && ds.y === undefined && ds.batchSize === undefined && ds.x.k === 'array') {
    const size = args.positional[0] ?? args.keywords.get('size');
    const shift = args.positional[1] ?? args.keywords.get('shift');
    const drop = args.keywords.get('drop_remainder') ?? args.positional[3];
    const rows = ds.x.array.shape?.[0];
    if (size?.k !== 'num' || shift?.k !== 'num' || shift.v !== 1 || drop?.k !== 'bool' || !drop.v || typeof rows !== 'number' || rows < size.v) return UNKNOWN;
    const windows = slidingWindows(ds.x.array, size.v, 0, rows - size.v + 1, ctx.src(node).slice(0, 80), ctx.loc(node));
    return windows ? { ...ds, x: { k: 'array', array: windows }, windowed: size.v } : UNKNOWN;
  }
  if (method === 'flat_map') {
    const fn = args.positional[0] ?? args.keywords.get('map_func');
    const fnNode = args.positionalNodes[0] ?? args.keywordNodes.get('map_func');
    // Each window batched whole: the windows as they are.
    const whole = fnNode !== undefined && ds.windowed !== undefined && new RegExp(`\\.batch\\(\\s*(${ds.windowed}|[A-Za-z_][\\w\\s+]*)\\s*\\)\\s*$`).test(ctx.src(fnNode));
    if (fn && whole) {
      const { windowed: _windowed, ...rest } = ds;
      void _windowed;
      return rest;
    }
    return UNKNOWN;
  }
  if (method === 'batch' || method === 'padded_batch') {
    const size = args.positional[0] ?? args.keywords.get('batch_size');
    const drop = args.keywords.get('drop_remainder') ?? args.positional[1];
    if (size?.k !== 'num') return { ...ds, batchSize: undefined };
    return { ...ds, batchSize: { value: size.v, origin: { kind: 'inferred', note: `${ctx.src(node)}`.slice(0, 80), location: ctx.loc(node) } }, ...(drop?.k === 'bool' && drop.v ? { dropRemainder: true } : {}) };
  }
  if (method === 'map') {
    const fn = args.positional[0] ?? args.keywords.get('map_func');
    if (!fn) return UNKNOWN;
    // Pairs are passed as two arguments, as tf.data unpacks a tuple element. Before `.batch`, the
    // function sees one element: `tf.reshape(image, (784,))` reshapes each sample, not the array.
    const element = (v: Value): Value => (v.k === 'array' && ds.batchSize === undefined ? { k: 'array', array: { ...v.array, perElement: true } } : v);
    const result = ctx.callFunction(fn, (ds.y !== undefined ? [ds.x, ds.y] : [ds.x]).map(element));
    const mapped = fromElements(wholeArrays(result), ds.location);
    return mapped ? { ...mapped, ...(ds.batchSize ? { batchSize: ds.batchSize } : {}), ...(ds.dropRemainder ? { dropRemainder: true } : {}) } : UNKNOWN;
  }
  return UNKNOWN;
}

export const tfdata: Library = {
  patterns: [
    { matches: (path, last) => path.startsWith('tensorflow.data.') && (last === 'from_tensor_slices' || last === 'from_tensors'), call: fromTensorSlices },
    { matches: (path, last) => path.startsWith('tensorflow.data.') && last === 'zip', call: zipDatasets },
    { matches: (path, last) => path.startsWith('tensorflow_datasets.') && last === 'load', call: tfdsLoad },
    { matches: (path, last) => path.startsWith('tensorflow_datasets.') && last === 'builder', call: tfdsBuilder },
    { matches: (path, last) => path.startsWith('tensorflow_datasets.builder.') && last === 'as_dataset', call: builderDatasets },
    { matches: (path) => path === 'tensorflow_datasets.core.DatasetBuilder.download_and_prepare', call: () => NONE },
    { matches: (path, last) => last === 'image_dataset_from_directory' && (path.startsWith('keras.') || path.startsWith('tensorflow.') || path === last), call: imagesFromDirectory },
  ],
};
