/**
 * A Keras model's methods (`model.add`, `model.compile`, `model.fit`, `model.build`): the
 * optimizer, loss, data and training setup they give the model.
 */
import type { CallbackSpec, DataSpec, DataTransform, FitSpec, LossSpec, OptimizerSpec, SourceLocation, ValidationSpec, Valued } from '../../../ir';
import { lossName, optimizerDefaults } from '../../../keras/names';
import { dataSpecOf } from '../graph';
import { lastSegment } from '../keras';
import type { PyNode } from '../syntax';
import { NONE, UNKNOWN, type ArrayObj, type DatasetValue, type ModelObj, type TensorObj, type Value } from '../values';
import { addToSequential, currentArguments, literal, shapeOf } from './keras';
import type { Args, CallContext } from './library';

/** `model.add`, `compile`, `fit`, `build`: what each gives the model; other methods give unknown. */
export function modelMethod(ctx: CallContext, model: ModelObj, method: string, args: Args, node: PyNode): Value {
  const location = ctx.loc(node);
  switch (method) {
    case 'add':
      if (args.positional[0]) addToSequential(ctx, model, args.positional[0]);
      return NONE;
    case 'compile': {
      const opt = args.keywords.get('optimizer') ?? args.positional[0];
      const optNode = args.keywordNodes.get('optimizer') ?? args.positionalNodes[0];
      const loss = args.keywords.get('loss') ?? args.positional[1];
      const lossNode = args.keywordNodes.get('loss') ?? args.positionalNodes[1];
      const closure: TensorObj[] = [];
      const closureNames: string[] = [];
      const lossSpec = lossFromValue(ctx, loss, lossNode, closure, closureNames);
      model.lossClosure = closure.length > 0 && lossSpec.expression ? closure : undefined;
      if (model.lossClosure && closureNames.length === closure.length) lossSpec.closureNames = closureNames;
      const weights = args.keywords.get('loss_weights');
      if (lossSpec.perOutput && weights) {
        if (weights.k === 'seq' && weights.items.every((w) => w.k === 'num')) lossSpec.outputWeights = weights.items.map((w) => (w.k === 'num' ? w.v : NaN));
        else if (weights.k === 'dict') {
          const byName: Record<string, number> = {};
          for (const [key, w] of weights.entries) if (w.k === 'num') byName[key] = w.v;
          lossSpec.outputWeights = byName;
        }
      }
      model.compile = { optimizer: optimizerFromValue(ctx, opt, optNode, location), loss: lossSpec, location };
      return NONE;
    }
    case 'fit':
    case 'fit_generator':
      fit(ctx, model, args, node);
      return UNKNOWN;
    case 'train_on_batch': {
      // A batch loop of the program's own (`for x, y in get_batches(...): model.train_on_batch(x, y)`) and no fit:
      // the first call's arrays are the data, so the targets are read as Keras gets them, not taken to be the inputs.
      const x = args.keywords.get('x') ?? args.positional[0];
      const xNode = args.keywordNodes.get('x') ?? args.positionalNodes[0];
      const y = args.keywords.get('y') ?? args.positional[1];
      const yNode = args.keywordNodes.get('y') ?? args.positionalNodes[1];
      if (model.fit || model.train !== undefined || !x || x.k === 'none') return UNKNOWN;
      model.train = asArrayValue(ctx, x, xNode);
      model.trainText = xNode ? ctx.src(xNode) : undefined;
      if (y && y.k !== 'none') {
        model.target = asArrayValue(ctx, y, yNode);
        model.targetText = yNode ? ctx.src(yNode) : undefined;
      }
      return UNKNOWN;
    }
    case 'build': {
      const shape = shapeOf(args.positional[0] ?? args.keywords.get('input_shape'));
      if (shape && shape.length > 1) model.builtShape = shape.slice(1);
      return NONE;
    }
    case 'summary':
    case 'save':
    case 'save_weights':
    case 'load_weights':
      return NONE;
    case 'get_layer':
      return UNKNOWN;
    default:
      return UNKNOWN;
  }
}

function fit(ctx: CallContext, model: ModelObj, written: Args, node: PyNode): void {
  const { args, spellings } = currentArguments(ctx, written, 'fit');
  const get = (name: string, index: number): [Value | undefined, PyNode | undefined] => [
    args.keywords.get(name) ?? args.positional[index],
    args.keywordNodes.get(name) ?? args.positionalNodes[index],
  ];
  const location = ctx.loc(node);
  const numeric = (name: string, index: number, fallback: number, note: string): Valued<number> => {
    const [v, n] = get(name, index);
    if (v?.k === 'num') return { value: v.v, origin: v.origin.kind === 'literal' && n ? literal(ctx, n) : v.origin };
    if (v && v.k !== 'none' && n) return { value: NaN, origin: { kind: 'inferred', note: `not resolved: ${ctx.src(n)}`, location: ctx.loc(n) } };
    return { value: fallback, origin: { kind: 'default', note } };
  };
  // A generator or a keras.utils.Sequence of the program's yielding batches cut from arrays (`yield x[idx], x[idx]`): those arrays, in batches of the yielded size.
  const batchesOr = (v: Value | undefined): Value | undefined => generatorBatches(v, location) ?? sequenceBatches(ctx, v, location) ?? v;
  const [givenX, xNode] = get('x', 0);
  const given = batchesOr(givenX);
  // A tf.data dataset yields the inputs and the targets, in batches of its own size.
  const dataset = given?.k === 'dataset' ? given : undefined;
  const x = dataset ? dataset.x : given;
  // `fit(x_train, None)`, `fit(x=x_train, y=None)`: no targets (a model trained on its added losses alone).
  const [yValue, yValueNode] = get('y', 1);
  const [givenY, givenYNode] = yValue?.k === 'none' ? [undefined, undefined] : [yValue, yValueNode];
  const y = dataset ? dataset.y : givenY;
  const yNode = dataset ? xNode : givenYNode;
  const [shuffleValue, shuffleNode] = get('shuffle', 8);
  const [callbacksValue] = get('callbacks', 5);
  const [validationGiven, validationNode] = get('validation_data', 7);
  const validationData = batchesOr(validationGiven);
  const [split, splitNode] = get('validation_split', 6);
  let validation: ValidationSpec = { kind: 'none' };
  if (validationData && validationData.k !== 'none') {
    const parts = validationData.k === 'seq' ? validationData.items : validationData.k === 'dataset' ? [validationData.x, ...(validationData.y ? [validationData.y] : [])] : [validationData];
    const validationType = validationNode !== undefined ? ctx.nodeType(validationNode) : undefined;
    const partNodes = validationNode !== undefined && (validationType === 'tuple' || validationType === 'list') ? ctx.nodeChildren(validationNode) : [];
    const vx = dataOf(ctx, parts[0], partNodes[0] ?? validationNode);
    const targets = parts[1]?.k === 'none' ? undefined : parts[1];
    if (targets?.k === 'seq' && model.outputs.length > 1 && targets.items.length === model.outputs.length) {
      const targetNodes = partNodes[1] !== undefined ? ctx.nodeChildren(partNodes[1]) : [];
      const ys = targets.items.map((item, i) => dataOf(ctx, item, targetNodes[i] ?? partNodes[1] ?? validationNode)).filter((d): d is DataSpec => d !== undefined);
      validation = { kind: 'data', x: vx, location: validationNode ? ctx.loc(validationNode) : undefined, ...(ys.length === targets.items.length ? { ys } : {}) };
    } else {
      const vy = targets ? dataOf(ctx, targets, partNodes[1] ?? validationNode) : undefined;
      validation = { kind: 'data', x: vx, y: vy, location: validationNode ? ctx.loc(validationNode) : undefined };
    }
  } else if (split?.k === 'num' && split.v > 0) {
    validation = { kind: 'split', fraction: { value: split.v, origin: split.origin.kind === 'literal' && splitNode ? literal(ctx, splitNode) : split.origin } };
  }
  const callbacks: CallbackSpec[] = [];
  if (callbacksValue?.k === 'seq') for (const c of callbacksValue.items) if (c.k === 'callback') callbacks.push(c.callback);
  const fit: FitSpec = {
    epochs: numeric('epochs', 3, 1, "Keras's default: 1 epoch"),
    batchSize: dataset?.batchSize ?? numeric('batch_size', 2, 32, "Keras's default batch size"),
    shuffle:
      shuffleValue?.k === 'bool'
        ? { value: shuffleValue.v, origin: shuffleNode ? literal(ctx, shuffleNode) : shuffleValue.origin }
        : { value: true, origin: { kind: 'default', note: "Keras's default: shuffle each epoch" } },
    validation,
    callbacks,
    location,
  };
  if (spellings.length > 0) fit.legacySpellings = spellings;
  model.fit = fit;
  model.train = x;
  model.target = y;
  model.trainText = xNode ? ctx.src(xNode) : undefined;
  model.targetText = yNode ? ctx.src(yNode) : undefined;
  if (x) model.train = asArrayValue(ctx, x, xNode);
  // A model of several inputs takes one array each (`fit([cats, nums], y)`); `train` stays what the rules read.
  const inputsOfX = x ? inputArrays(ctx, model, x, xNode) : undefined;
  if (inputsOfX) model.trains = inputsOfX;
  if (y && y.k === 'seq' && model.outputs.length > 1 && y.items.length === model.outputs.length) {
    // One target per output (`fit(x, [y, x])`), not one array of them.
    const nodes = yNode !== undefined ? ctx.nodeChildren(yNode) : [];
    model.targets = y.items.map((item, i) => ({ value: asArrayValue(ctx, item, nodes[i]), text: nodes[i] ? ctx.src(nodes[i]) : `target ${i + 1}` }));
    model.target = undefined;
    model.targetText = undefined;
  } else if (y) model.target = asArrayValue(ctx, y, yNode);
}

/**
 * For a model with several inputs, fit's `x` as one array per input in the model's order: a list
 * or tuple of as many arrays, or a dict keyed by the inputs' names. Undefined otherwise.
 */
function inputArrays(ctx: CallContext, model: ModelObj, x: Value, xNode: PyNode | undefined): ModelObj['trains'] {
  if (model.inputs.length < 2) return undefined;
  const nodes = xNode !== undefined && (ctx.nodeType(xNode) === 'tuple' || ctx.nodeType(xNode) === 'list') ? ctx.nodeChildren(xNode) : [];
  if (x.k === 'seq' && x.items.length === model.inputs.length) {
    return x.items.map((item, i) => ({ value: asArrayValue(ctx, item, nodes[i]), text: nodes[i] ? ctx.src(nodes[i]) : `input ${i + 1}` }));
  }
  if (x.k === 'dict') {
    const names = model.inputs.map((t) => (t.producer && 'spec' in t.producer ? t.producer.spec.name : undefined));
    const values = names.map((n) => (n !== undefined ? x.entries.get(n) : undefined));
    if (values.every((v): v is Value => v !== undefined)) return values.map((v, i) => ({ value: v, text: `${xNode ? ctx.src(xNode) : 'x'}["${names[i]}"]` }));
  }
  return undefined;
}

/** Whether a transform acts on each value alone (not by a statistic of the batch), so that a batch's and its whole array's agree row by row. */
function perValue(t: DataTransform): boolean {
  if (t.kind === 'divide' || t.kind === 'multiply') return typeof t.by === 'number';
  if (t.kind === 'subtract') return typeof t.what === 'number';
  return ['astype', 'clip', 'log', 'threshold', 'noise', 'nan_to_num', 'fillna'].includes(t.kind);
}

/**
 * The batches a generator of the program yields (its call evaluates to the items of its first
 * `yield`s): `(x_batch, y_batch)` each a selection of rows of an array (`data[idx]`,
 * `x[i:i + batch_size]`), then per-value arithmetic (`/ 255.`), stand for those arrays with that
 * arithmetic, as a dataset of batches of the yielded size. Undefined for anything else.
 */
function generatorBatches(v: Value | undefined, location: SourceLocation): DatasetValue | undefined {
  const first = v?.k === 'seq' && !v.tuple ? v.items[0] : undefined;
  if (first?.k !== 'seq' || !first.tuple || first.items.length < 1 || first.items.length > 3) return undefined;
  const whole = first.items.slice(0, 2).map((item) => (item.k === 'array' ? wholeArrayOf(item.array) : undefined));
  if (whole.some((w) => w === undefined)) return undefined;
  const size = first.items[0].k === 'array' ? first.items[0].array.shape?.[0] : undefined;
  const [x, y] = whole as ArrayObj[];
  return {
    k: 'dataset',
    x: { k: 'array', array: x },
    ...(y ? { y: { k: 'array', array: y } } : {}),
    ...(typeof size === 'number' && size > 0 ? { batchSize: { value: size, origin: { kind: 'inferred', note: `the generator's batches of ${size}` } } } : {}),
    shuffled: true,
    location,
  };
}

/** A `keras.utils.Sequence` of the program's (`DataGen(x_train)`): its first batch, `__getitem__(0)`, read as a generator's (see generatorBatches). */
function sequenceBatches(ctx: CallContext, v: Value | undefined, location: SourceLocation): DatasetValue | undefined {
  if (v?.k !== 'object' || !v.cls) return undefined;
  let getItem: Value | undefined;
  for (let cls: Value | undefined = v.cls, depth = 0; cls?.k === 'class' && getItem === undefined && depth < 8; cls = cls.bases?.[0], depth++) getItem = cls.members?.get('__getitem__');
  if (getItem?.k !== 'fn') return undefined;
  const first = ctx.callFunction(getItem, [v, { k: 'num', v: 0, origin: { kind: 'inferred', note: 'the first batch' } }]);
  return generatorBatches({ k: 'seq', tuple: false, items: [first] }, location);
}

/** A batch cut from an array as that whole array, with the per-value transforms made since the cut; undefined when it is not one. */
function wholeArrayOf(batch: ArrayObj): ArrayObj | undefined {
  const base = batch.rowsOf;
  if (!base) return undefined;
  const made = base.transforms.length;
  const since = batch.transforms.slice(made);
  if (batch.transforms.slice(0, made).some((t, i) => t !== base.transforms[i]) || since.some((t) => !perValue(t))) return undefined;
  if (since.length === 0) return base;
  const baseShape = base.rows ? [base.rows.length, ...(base.shape ?? []).slice(1)] : base.shape;
  return { ...base, name: undefined, location: undefined, transforms: [...base.transforms, ...since], rows: undefined, stats: batch.stats, statsKind: batch.stats ? 'bounds' : undefined, ...(baseShape ? { shape: baseShape } : {}) };
}

function asArrayValue(ctx: CallContext, v: Value, node: PyNode | undefined): Value {
  if (v.k === 'seq' && node) {
    const a = ctx.toArray(v, node);
    if (a) return { k: 'array', array: a };
  }
  return v;
}

function dataOf(ctx: CallContext, v: Value | undefined, node: PyNode | undefined): DataSpec | undefined {
  if (!v || v.k === 'none') return undefined;
  return dataSpecOf(asArrayValue(ctx, v, node), node ? ctx.src(node) : 'data', node ? ctx.loc(node) : undefined);
}

function optimizerFromValue(ctx: CallContext, v: Value | undefined, node: PyNode | undefined, fallbackLocation: SourceLocation): OptimizerSpec {
  if (v?.k === 'optimizer') return v.optimizer;
  if (v?.k === 'str') {
    const defaults = optimizerDefaults(v.v);
    const className = defaults?.className ?? v.v;
    const spec: OptimizerSpec = {
      className,
      learningRate: { value: defaults?.learningRate ?? 0.001, origin: { kind: 'default', note: `${className}'s default learning rate` } },
      location: node ? ctx.loc(node) : fallbackLocation,
    };
    if (defaults?.epsilon !== undefined) spec.epsilon = { value: defaults.epsilon, origin: { kind: 'default', note: `${className}'s default epsilon` } };
    return spec;
  }
  if (v === undefined || v.k === 'none') {
    // Keras's compile() default optimizer.
    return {
      className: 'RMSprop',
      learningRate: { value: 0.001, origin: { kind: 'default', note: "RMSprop's default learning rate (compile's default optimizer)" } },
      epsilon: { value: 1e-7, origin: { kind: 'default', note: "RMSprop's default epsilon" } },
      location: fallbackLocation,
    };
  }
  return {
    className: 'unknown',
    learningRate: { value: NaN, origin: { kind: 'inferred', note: node ? `not resolved: ${ctx.src(node)}` : 'optimizer not resolved' } },
    location: node ? ctx.loc(node) : fallbackLocation,
  };
}

/** `closure`: where a loss function's graph tensors read without being given them are collected (a loss per output refuses them). */
function lossFromValue(ctx: CallContext, v: Value | undefined, node: PyNode | undefined, closure?: TensorObj[], closureNames?: string[]): LossSpec {
  const location = node ? ctx.loc(node) : undefined;
  if (!v || v.k === 'none') return { name: 'none', location };
  if (v.k === 'loss') return { ...v.loss, location: location ?? v.loss.location };
  if (v.k === 'str') return { name: lossName(v.v) ?? v.v, location };
  if (v.k === 'ref') {
    const name = lossName(lastSegment(v.path));
    if (name) return { name, location };
    return { name: 'custom', functionName: lastSegment(v.path), location };
  }
  if (v.k === 'fn' || v.k === 'lambda') {
    if (v.k === 'fn') ctx.noteLossFunction(v.name);
    const spec: LossSpec = { name: 'custom', functionName: v.k === 'fn' ? v.name : 'lambda', location };
    const translation = ctx.translateValue(v, 2, node, closure, closureNames);
    if (translation && 'expr' in translation) spec.expression = translation.expr;
    else if (translation) spec.expressionProblem = translation.problem;
    return spec;
  }
  if (v.k === 'seq') return { name: 'multiple', location, perOutput: v.items.map((item) => lossFromValue(ctx, item, undefined)) };
  if (v.k === 'dict') {
    const perOutput = [...v.entries].map(([key, item]) => ({ ...lossFromValue(ctx, item, undefined), output: key }));
    return { name: 'multiple', location, perOutput };
  }
  return { name: 'unknown', location };
}

