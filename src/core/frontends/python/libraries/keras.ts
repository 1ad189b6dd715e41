/**
 * Keras (and tf.keras): layers, models, optimizers, callbacks, losses, initializers and
 * regularizers built from their classes, `Input`, `Sequential` and `Model` making the graph,
 * datasets, saved topologies and the dtype policy. Classes are known by their module
 * (`keras.layers.Dense`) or, imported by themselves, by their name (`Dense`).
 */
import type { CallbackSpec, LegacySpelling, OptimizerSpec, Origin, SourceLocation, UnresolvedArgument, Valued } from '../../../ir';
import { canonicalLayerClass, currentArgumentName, currentArgumentValue, isDroppedArgument, legacyMergeLayer, takesLegacyWindow, lossName, optimizerDefaults, type LegacyArgumentPlace } from '../../../keras/names';
import { analyzeJsonFile } from '../../json';
import { lookupConfig } from '../config';
import { castTo, oneHot, randomArray, unknownArray } from '../data';
import type { Translation } from '../expressions';
import { CALLBACK_CLASSES, DATASETS, DEFAULT_ACTIVATION, DEFAULT_RECURRENT_ACTIVATION, LAYER_POSITIONAL, activationName, isLayerClassName, lastSegment, snakeCase } from '../keras';
import { asGraphValue, operationLayer } from '../opLayers';
import { APPLICATION_PATTERNS } from './kerasApplications';
import { modelTensors } from '../layerAttributes';
import { tensorShape } from '../shapes';
import type { PyNode } from '../syntax';
import { NONE, UNKNOWN, type LayerObj, type ModelObj, type TensorObj, type Value } from '../values';
import { oneLine, type Args, type CallContext, type CallHandler, type CallPattern, type Library } from './library';
import { productOf } from './numpy';

/** Paths under keras or tensorflow (`keras.layers.Dense`, `tensorflow.reduce_prod`). */
function isKerasPath(path: string): boolean {
  return path.startsWith('keras.') || path.startsWith('tensorflow.');
}

const DTYPE_POLICY_SETTERS = ['mixed_precision.set_global_policy', 'mixed_precision.set_policy', 'experimental.set_policy', 'config.set_dtype_policy'];
const LEARNING_RATE_SCHEDULES = /(ExponentialDecay|PiecewiseConstantDecay|CosineDecay|InverseTimeDecay|PolynomialDecay|CosineDecayRestarts)$/;

/** `tf.reduce_prod(shape)`: the product of known numbers. */
const product: CallHandler = ({ args, node }, ctx) => {
  const arg0 = args.positional[0];
  return arg0?.k === 'seq' ? productOf(arg0, ctx.src(node), ctx.loc(node)) : undefined;
};

/** `K.int_shape(x)`: the tensor's shape, as far as the graph gives it. */
const intShape: CallHandler = ({ args, node }, ctx) => {
  const arg0 = args.positional[0];
  if (arg0?.k !== 'tensor') return undefined;
  const shape = tensorShape(arg0.tensor);
  return shape ? ctx.shapeValue(shape, node) : UNKNOWN;
};

const setDtypePolicy: CallHandler = ({ args }, ctx) => {
  const arg0 = args.positional[0];
  if (arg0?.k === 'str') ctx.setDtypePolicy({ value: arg0.v, origin: arg0.origin });
  else if (arg0?.k === 'policy') ctx.setDtypePolicy({ value: arg0.name, origin: arg0.origin });
  return NONE;
};

/** `K.set_floatx('float16')`: every layer, weight and optimizer state in that type (not mixed precision). */
const setFloatx: CallHandler = ({ args }, ctx) => {
  const arg0 = args.positional[0] ?? args.keywords.get('value');
  if (arg0?.k === 'str') ctx.setDtypePolicy({ value: arg0.v, origin: arg0.origin });
  return NONE;
};

/**
 * `K.image_data_format()` (Keras 2 and 3) and `K.image_dim_ordering()` (Keras 1): the layout
 * Keras uses unless the program set another, so that `if K.image_data_format() == 'channels_first':`
 * takes the branch Keras takes. What the program set, per analysis.
 */
const imageLayouts = new WeakMap<CallContext, 'channels_first' | 'channels_last'>();

const setImageLayout: CallHandler = ({ args, last }, ctx) => {
  const arg0 = args.positional[0] ?? args.keywords.get('data_format') ?? args.keywords.get('dim_ordering');
  if (arg0?.k !== 'str') return NONE;
  const layout = arg0.v === 'channels_first' || arg0.v === 'th' ? 'channels_first' : arg0.v === 'channels_last' || arg0.v === 'tf' ? 'channels_last' : undefined;
  if (layout && (last === 'set_image_data_format' || last === 'set_image_dim_ordering')) imageLayouts.set(ctx, layout);
  return NONE;
};

const imageLayout: CallHandler = ({ last, node }, ctx) => {
  const layout = imageLayouts.get(ctx);
  const origin: Origin = layout ? { kind: 'inferred', note: `set by the program to ${layout}`, location: ctx.loc(node) } : { kind: 'default', note: "Keras's default image layout" };
  const value = layout ?? 'channels_last';
  return { k: 'str', v: last === 'image_dim_ordering' ? (value === 'channels_first' ? 'th' : 'tf') : value, origin };
};

const dtypePolicy: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  return arg0?.k === 'str' ? { k: 'policy', name: arg0.v, origin: arg0.origin } : undefined;
};

/** `keras.models.load_model(path)`: a model whose topology nanguard does not read, with the reason kept for the report. */
const loadModel: CallHandler = ({ args, node }, ctx) => {
  const arg0 = args.positional[0];
  const model = ctx.newModel('functional', node, args);
  const where = ctx.loc(node);
  const file = arg0?.k === 'str' ? ` (${arg0.v})` : '';
  model.callProblem = { message: `the model is loaded from a saved model${file} on line ${where.range.start.line + 1}, which nanguard does not read; a topology saved with model.to_json() and read with model_from_json can be reproduced`, location: where };
  return { k: 'model', model };
};

const loss: CallHandler = ({ last, args, node }, ctx) => {
  const name = lossName(last);
  const spec = { name: name ?? snakeCase(last), location: ctx.loc(node) };
  // A loss class (`BinaryCrossentropy(from_logits=True)`) keeps what it was built with, for a call of the object on tensors.
  return startsWithCapital(last) ? { k: 'loss', loss: spec, arguments: { positional: args.positional, keywords: args.keywords } } : { k: 'loss', loss: spec };
};

/** A learning-rate schedule stands for its initial rate. */
const learningRateSchedule: CallHandler = ({ args }) => args.keywords.get('initial_learning_rate') ?? args.keywords.get('boundaries') ?? args.positional[0] ?? UNKNOWN;

/** `tf.constant(v)`, `tf.convert_to_tensor(v)`: numpy values made tensors keep what is known of them. */
const asTensorValue: CallHandler = ({ args }) => {
  const arg0 = args.positional[0] ?? args.keywords.get('value');
  return arg0?.k === 'colvec' || arg0?.k === 'array' || arg0?.k === 'num' ? arg0 : undefined;
};

/** `tf.cast(x, tf.float32)` of a numpy array (a tf.data map function's): the same values, cast. */
const castArray: CallHandler = ({ args, node }, ctx) => {
  const arg0 = args.positional[0] ?? args.keywords.get('x');
  if (arg0?.k !== 'array') return undefined;
  const dtypeNode = args.positionalNodes[1] ?? args.keywordNodes.get('dtype');
  const dtype = dtypeNode !== undefined ? /float16|float32|float64|int32|int64|uint8/.exec(ctx.src(dtypeNode))?.[0] : undefined;
  return { k: 'array', array: castTo(arg0.array, { kind: 'astype', dtype: dtype ?? 'unknown', location: ctx.loc(node) }, dtype ?? 'unknown') };
};

/** `tf.sqrt(var)`, `K.sqrt(var)`, `ops.sqrt(var)` of a per-column variance: the per-column std. */
const sqrtOfStatistic: CallHandler = ({ args }) => {
  const arg0 = args.positional[0];
  if (arg0?.k !== 'colvec' || arg0.vec.label !== 'var') return undefined;
  return { k: 'colvec', vec: { ...arg0.vec, label: 'std', values: arg0.vec.values?.map(Math.sqrt) } };
};

/** Functions of keras.layers, keras.ops, K and tf that make a merge or reshape node of a graph (opLayers.ts). */
const OPERATION_FUNCTIONS = new Set(['concatenate', 'concat', 'add', 'subtract', 'multiply', 'average', 'maximum', 'minimum', 'reshape', 'expand_dims']);

/**
 * Keras 1's `merge([a, b], mode='concat', concat_axis=-1)` on graph tensors: the merge layer of its
 * mode, as Keras 2's `concatenate`, `add`, `multiply`, ... build it (Keras 3 has no `merge`).
 */
const legacyMerge: CallHandler = ({ args, node }, ctx) => {
  const modeValue = args.keywords.get('mode') ?? args.positional[1];
  const mode = modeValue === undefined ? 'sum' : modeValue.k === 'str' ? modeValue.v : undefined;
  const layerClass = mode !== undefined ? legacyMergeLayer(mode) : undefined;
  if (!layerClass) return undefined;
  const axis = args.keywords.get('concat_axis');
  const keywords = new Map<string, Value>(axis ? [['axis', axis]] : []);
  const text = oneLine(ctx.src(node));
  const made = operationLayer({ path: `keras.layers.${layerClass.toLowerCase()}`, positional: args.positional.slice(0, 1), keywords, text, location: ctx.loc(node) }, (prefix) => ctx.nextName(prefix));
  if (made?.k === 'tensor' && made.tensor.producer && 'spec' in made.tensor.producer) {
    made.tensor.producer.spec.legacySpellings = [{ written: `merge(mode='${mode}')`, read: layerClass, location: ctx.loc(node) }];
  }
  return made;
};

/**
 * Keras 1's `Merge([left, right], mode='concat')` of Sequential models, added first to a Sequential:
 * the branches' graphs joined by the merge layer of its mode (as Keras 2's functional API writes
 * it), a model of several inputs that the Sequential goes on from. Undefined when a branch's
 * input shape is not known.
 */
const legacyModelMerge: CallHandler = ({ args, node }, ctx) => {
  const branches = args.positional[0] ?? args.keywords.get('layers');
  const modeValue = args.keywords.get('mode') ?? args.positional[1];
  const mode = modeValue === undefined ? 'sum' : modeValue.k === 'str' ? modeValue.v : undefined;
  const layerClass = mode !== undefined ? legacyMergeLayer(mode) : undefined;
  if (branches?.k !== 'seq' || !layerClass) return undefined;
  const ends = branches.items.map((b) => (b.k === 'model' ? modelTensors(b.model) : undefined));
  if (ends.length < 2 || ends.some((e) => !e?.input || !e.output)) return undefined;
  const axis = args.keywords.get('concat_axis');
  const keywords = new Map<string, Value>(axis ? [['axis', axis]] : []);
  const outputs: Value = { k: 'seq', tuple: false, items: ends.map((e) => ({ k: 'tensor', tensor: e!.output! })) };
  const merged = operationLayer({ path: `keras.layers.${layerClass.toLowerCase()}`, positional: [outputs], keywords, text: oneLine(ctx.src(node)), location: ctx.loc(node) }, (prefix) => ctx.nextName(prefix));
  if (merged?.k !== 'tensor' || !merged.tensor.producer || !('spec' in merged.tensor.producer)) return undefined;
  merged.tensor.producer.spec.legacySpellings = [{ written: `Merge(mode='${mode}')`, read: layerClass, location: ctx.loc(node) }];
  for (const b of branches.items) if (b.k === 'model') b.model.usedInside = true;
  const model = ctx.newModel('functional', node, args);
  model.inputs = ends.map((e) => e!.input!);
  model.outputs = [merged.tensor];
  model.legacyMerge = true;
  model.usedInside = true;
  return { k: 'model', model };
};

/** `to_categorical(y_train)`, `to_categorical(y, num_classes)`: one-hot rows of integer labels. */
const toCategorical: CallHandler = ({ args, node }, ctx) => {
  const arg0 = args.positional[0] ?? args.keywords.get('y') ?? args.keywords.get('x');
  if (arg0?.k !== 'array') return undefined;
  const classes = args.positional[1] ?? args.keywords.get('num_classes');
  const encoded = oneHot(arg0.array, classes?.k === 'num' ? classes.v : undefined, ctx.loc(node));
  return encoded ? { k: 'array', array: encoded } : undefined;
};

const PATTERNS: CallPattern[] = [
  { matches: (path, last) => last === 'to_categorical' && (isKerasPath(path) || path === last || path.includes('np_utils')), call: toCategorical },
  { matches: (path, last) => (last === 'constant' || last === 'convert_to_tensor') && path.startsWith('tensorflow.'), call: asTensorValue },
  { matches: (path, last) => last === 'sqrt' && isKerasPath(path), call: sqrtOfStatistic },
  { matches: (path, last) => last === 'cast' && isKerasPath(path), call: castArray },
  { matches: (path, last) => (last === 'reduce_prod' || last === 'prod') && (path.startsWith('tensorflow.') || path.startsWith('keras.ops')), call: product },
  { matches: (_path, last) => last === 'int_shape', call: intShape },
  // `self.activation = keras.activations.get(activation)` in a custom layer: the function of that name (None: linear, the identity), which its call applies.
  {
    matches: (path, last) => last === 'get' && isKerasPath(path) && path.includes('.activations.'),
    call: ({ args }) => {
      const given = args.positional[0] ?? args.keywords.get('identifier');
      if (given === undefined || given.k === 'none') return { k: 'ref', path: 'keras.activations.linear' };
      if (given.k === 'str') return { k: 'ref', path: `keras.activations.${given.v}` };
      return given.k === 'ref' ? given : undefined;
    },
  },
  // `K.variable(0.0)`: its initial value (a KL warm-up's beta); K.set_value in a callback changes it only while training.
  { matches: (path, last) => last === 'variable' && path.startsWith('keras.backend.'), call: ({ args }) => (args.positional[0]?.k === 'num' ? args.positional[0] : undefined) },
  { matches: (path) => DTYPE_POLICY_SETTERS.some((setter) => path.endsWith(setter)), call: setDtypePolicy },
  { matches: (path, last) => last === 'set_floatx' && (isKerasPath(path) || path === 'set_floatx'), call: setFloatx },
  { matches: (_path, last) => last === 'Policy' || last === 'DTypePolicy', call: dtypePolicy },
  { matches: (path, last) => (last === 'image_data_format' || last === 'image_dim_ordering') && isKerasPath(path), call: imageLayout },
  { matches: (path, last) => (last === 'set_image_data_format' || last === 'set_image_dim_ordering') && isKerasPath(path), call: setImageLayout },
  { matches: (path) => path.endsWith('.load_data') && /datasets\.(\w+)\.load_data$/.test(path), call: ({ path, node }, ctx) => datasetLoad(path, ctx.loc(node)) },
  { matches: (path, last) => last === 'Input' && (isKerasPath(path) || path === 'Input'), call: ({ args, node }, ctx) => kerasInput(ctx, args, node) },
  {
    matches: (path, last) => OPERATION_FUNCTIONS.has(last) && isKerasPath(path),
    call: ({ path, args, node }, ctx) => operationLayer({ path, positional: args.positional, keywords: args.keywords, text: oneLine(ctx.src(node)), location: ctx.loc(node), inLayerCall: ctx.inLayerCall() }, (prefix) => ctx.nextName(prefix)),
  },
  { matches: (path, last) => last === 'merge' && (isKerasPath(path) || path === last), call: legacyMerge },
  { matches: (path, last) => last === 'Merge' && (isKerasPath(path) || path === last), call: legacyModelMerge },
  { matches: (path, last) => last === 'Sequential' && (isKerasPath(path) || path === 'Sequential'), call: ({ args, node }, ctx) => sequential(ctx, args, node) },
  { matches: (path, last) => (last === 'Model' || last === 'Functional') && (isKerasPath(path) || path === 'Model'), call: ({ args, node }, ctx) => functional(ctx, args, node) },
  { matches: (path, last) => last === 'load_model' && isKerasPath(path), call: loadModel },
  { matches: (path, last) => (last === 'model_from_json' || last === 'model_from_config') && (isKerasPath(path) || path === last), call: ({ args, node }, ctx) => modelFromJson(ctx, args.positional[0], args, node) },
  {
    matches: (path, last) => ((isKerasPath(path) && path.includes('.layers.')) || (isLayerClassName(canonicalLayerClass(last)) && (isKerasPath(path) || path === last))) && startsWithCapital(last),
    call: ({ last, args, node }, ctx) => makeLayer(ctx, canonicalLayerClass(last), args, node, last),
  },
  // `keras.mixed_precision.LossScaleOptimizer` lives outside `optimizers`.
  { matches: (path, last) => startsWithCapital(last) && optimizerDefaults(last) !== undefined && (path.includes('optimizers') || path.includes('mixed_precision') || path === last), call: ({ last, args, node }, ctx) => makeOptimizer(ctx, last, args, node) },
  { matches: (path, last) => CALLBACK_CLASSES.has(last) && (path.includes('callbacks') || path === last), call: ({ last, args, node }, ctx) => makeCallback(ctx, last, args, node) },
  { matches: (path) => path.includes('.losses.') || path.startsWith('losses.'), call: loss },
  { matches: (_path, last) => (last.endsWith('Decay') || last.endsWith('Restarts')) && LEARNING_RATE_SCHEDULES.test(last), call: learningRateSchedule },
  { matches: (path) => /(^|\.)(initializers|regularizers)\./.test(path), call: ({ path, last, args }) => kerasObjectConfig(path, last, args) },
  ...APPLICATION_PATTERNS,
  // Any other Keras class (`keras.constraints.MaxNorm`) is named in the config by its class name.
  { matches: (path, last) => isKerasPath(path) && startsWithCapital(last), call: ({ last, node }, ctx) => ({ k: 'str', v: last, origin: literal(ctx, node) }) },
];

export const keras: Library = { patterns: PATTERNS };

/** Where a value was written, as the origin of a config entry. */
export function literal(ctx: CallContext, node: PyNode): Origin {
  return { kind: 'literal', location: ctx.loc(node) };
}

/**
 * `model_from_json(open('model.json').read())`: the topology of a Keras JSON file in the
 * workspace, read by the JSON front-end, becomes the model (compiled and fitted by the code as usual).
 */
function modelFromJson(ctx: CallContext, arg: Value | undefined, args: Args, node: PyNode): Value {
  const model = ctx.newModel('functional', node, args);
  const where = ctx.loc(node);
  const line = where.range.start.line + 1;
  const fail = (why: string): Value => {
    model.fromJson = { problem: why, location: where };
    model.callProblem = { message: `the model's topology comes from model_from_json on line ${line}, and ${why}`, location: where };
    return { k: 'model', model };
  };
  let path: string | undefined;
  let text: string | undefined;
  if (arg?.k === 'file') {
    const read = ctx.readFile(arg.path);
    if (read === undefined) return fail(`nanguard could not read ${arg.path}`);
    if (read === null) return fail(`${arg.path} is not a file in the workspace that nanguard can read`);
    path = read.path;
    text = read.text;
  } else if (arg?.k === 'config') {
    const found = lookupConfig(arg.doc, arg.segments);
    if (!found) return fail(`nanguard could not find the topology in ${arg.doc.path}`);
    path = arg.doc.path;
    text = JSON.stringify(found.value);
  } else if (arg?.k === 'str' && arg.v.trimStart().startsWith('{')) {
    path = ctx.scriptPath;
    text = arg.v;
  } else {
    const argText = args.positionalNodes[0] ? ` \`${oneLine(ctx.src(args.positionalNodes[0]))}\`` : '';
    return fail(`nanguard could not follow its argument${argText} to a JSON file in the workspace`);
  }
  const analysis = analyzeJsonFile(path, text);
  const spec = analysis.language === 'keras-json' ? analysis.models[0] : undefined;
  if (!spec) return fail(`${path} does not hold a Keras model topology (what model.to_json() writes)`);
  // The layers are the JSON's; findings and hovers point at the model_from_json call, their values at the JSON file.
  for (const layer of spec.layers) {
    layer.location = where;
    if (layer.origins) {
      for (const [key, origin] of Object.entries(layer.origins)) {
        if (origin.kind === 'literal') layer.origins[key] = { kind: 'config', key: `${layer.name}.${key}`, location: origin.location, via: where };
      }
    }
  }
  model.fromJson = { spec };
  return { k: 'model', model };
}

function datasetLoad(path: string, location: SourceLocation): Value {
  const name = /datasets\.(\w+)\.load_data$/.exec(path)?.[1] ?? '';
  const info = DATASETS[name];
  const part = (shape: number[], which: string): Value => {
    if (!info) return { k: 'array', array: unknownArray(`keras.datasets.${name} ${which}`, location) };
    const a = randomArray('uniform', shape, { low: 0, high: 255 }, location);
    a.source = { kind: 'unknown', note: `keras.datasets.${name} ${which}: uint8 pixels 0-255`, location };
    a.stats = a.stats?.map((s) => ({ ...s, mean: info.mean, std: info.std }));
    // Real images, not draws: a pixel's own mean and spread are not the dataset's.
    a.distributional = undefined;
    return { k: 'array', array: a };
  };
  // The real labels are integer classes 0..K-1, every one present; their values are not seen.
  const labels = (shape: number[], which: string): Value => {
    if (!info) return { k: 'array', array: unknownArray(`keras.datasets.${name} labels`, location) };
    const a = randomArray('randint', shape.slice(0, 1), { low: 0, high: info.classes }, location);
    a.source = { kind: 'unknown', note: `keras.datasets.${name} ${which} labels: classes 0-${info.classes - 1}`, location };
    a.distributional = undefined;
    a.labels = { classes: info.classes, oneHot: false };
    return { k: 'array', array: a };
  };
  return {
    k: 'seq',
    tuple: true,
    items: [
      { k: 'seq', tuple: true, items: [part(info?.trainShape ?? [], 'train'), labels(info?.trainShape ?? [], 'train')] },
      { k: 'seq', tuple: true, items: [part(info?.testShape ?? [], 'test'), labels(info?.testShape ?? [], 'test')] },
    ],
  };
}

function jsonOf(v: Value, key?: string): unknown {
  switch (v.k) {
    case 'num':
      return Number.isFinite(v.v) ? v.v : String(v.v);
    case 'str':
      return key === 'activation' || key === 'recurrent_activation' ? v.v.toLowerCase() : v.v;
    case 'bool':
      return v.v;
    case 'none':
      return null;
    case 'seq':
      return v.items.map((i) => jsonOf(i) ?? null);
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [k, val] of v.entries) out[k] = jsonOf(val);
      return out;
    }
    case 'ref':
      if (key === 'activation' || key === 'recurrent_activation') return activationName(v.path) ?? lastSegment(v.path);
      return lastSegment(v.path);
    case 'layer':
      if (key === 'activation') return snakeCase(v.layer.spec.className).replace(/_re_lu$/, '_relu').replace(/^re_lu$/, 'relu');
      return { class_name: v.layer.spec.className, config: v.layer.spec.config };
    case 'config': {
      const found = lookupConfig(v.doc, v.segments);
      return found?.value;
    }
    case 'fn':
      return v.name;
    case 'lambda':
      return 'lambda';
    default:
      return undefined;
  }
}

function originOf(ctx: CallContext, v: Value, node: PyNode | undefined): Origin | undefined {
  if (v.k === 'num' || v.k === 'str' || v.k === 'bool') return v.origin;
  return node ? literal(ctx, node) : undefined;
}

/**
 * A call's arguments with Keras 1's names read as the current ones (`Model(input=, output=)`,
 * `Dense(output_dim=)`, `Convolution2D(32, 3, 3, border_mode='same')`), and where each old one is
 * written. A current name written as well wins, as it is the one Keras 2 kept.
 */
export function currentArguments(ctx: CallContext, args: Args, place: LegacyArgumentPlace, layerClass?: string, writtenClass?: string): { args: Args; spellings: LegacySpelling[] } {
  const spellings: LegacySpelling[] = [];
  let positional = args.positional;
  let positionalNodes = args.positionalNodes;
  let keywords: Map<string, Value> | undefined;
  let keywordNodes: Map<string, PyNode> | undefined;
  const rename = (key: string, value: Value, valueNode: PyNode | undefined, read: string, written: string): void => {
    keywords ??= new Map(args.keywords);
    keywordNodes ??= new Map(args.keywordNodes);
    keywords.delete(key);
    keywordNodes.delete(key);
    if (!args.keywords.has(read)) {
      keywords.set(read, value);
      if (valueNode) keywordNodes.set(read, valueNode);
    }
    spellings.push({ written, read, location: ctx.loc(valueNode ?? positionalNodes[0]) });
  };
  for (const [key, value] of args.keywords) {
    const read = currentArgumentName(place, key, layerClass);
    const currentValue = value.k === 'str' ? currentArgumentValue(key, value.v) : undefined;
    const current: Value = value.k === 'str' ? (typeof currentValue === 'boolean' ? { k: 'bool', v: currentValue, origin: value.origin } : { ...value, v: currentValue as string }) : value;
    if (read) rename(key, current, args.keywordNodes.get(key), read, key);
    else if (place === 'layer' && isDroppedArgument(key)) {
      keywords ??= new Map(args.keywords);
      keywordNodes ??= new Map(args.keywordNodes);
      keywords.delete(key);
      keywordNodes.delete(key);
      spellings.push({ written: key, read: '', location: ctx.loc(args.keywordNodes.get(key) ?? positionalNodes[0]) });
    }
  }
  // Keras 1's `Deconvolution2D(nb_filter, nb_row, nb_col, output_shape)`: the output shape, which Keras 2 works out, is dropped.
  if (writtenClass === 'Deconvolution2D') {
    const shapeNode = args.keywordNodes.get('output_shape') ?? (positional.length >= 4 && positional[3].k === 'seq' ? positionalNodes[3] : undefined);
    if (shapeNode) {
      keywords ??= new Map(args.keywords);
      keywordNodes ??= new Map(args.keywordNodes);
      keywords.delete('output_shape');
      keywordNodes.delete('output_shape');
      if (positionalNodes[3] === shapeNode) {
        positional = positional.slice(0, 3);
        positionalNodes = positionalNodes.slice(0, 3);
      }
      spellings.push({ written: 'output_shape', read: '', location: ctx.loc(shapeNode) });
    }
  }
  // Keras 1's `Convolution2D(nb_filter, nb_row, nb_col)` (or `nb_row=3, nb_col=3`): the window is `kernel_size=(nb_row, nb_col)`.
  if (writtenClass !== undefined && takesLegacyWindow(writtenClass) && !args.keywords.has('kernel_size')) {
    const rows = args.keywords.get('nb_row') ?? (positional.length >= 3 ? positional[1] : undefined);
    const cols = args.keywords.get('nb_col') ?? (positional.length >= 3 ? positional[2] : undefined);
    if (rows?.k === 'num' && cols?.k === 'num') {
      const rowsNode = args.keywordNodes.get('nb_row') ?? positionalNodes[1];
      const fromPositional = !args.keywords.has('nb_row') && positional.length >= 3;
      if (fromPositional) {
        positional = [positional[0], ...positional.slice(3)];
        positionalNodes = [positionalNodes[0], ...positionalNodes.slice(3)];
      }
      rename('nb_row', { k: 'seq', tuple: true, items: [rows, cols] }, rowsNode, 'kernel_size', fromPositional ? `${writtenClass}(nb_filter, nb_row, nb_col)` : 'nb_row, nb_col');
      keywords?.delete('nb_col');
      keywordNodes?.delete('nb_col');
    }
  }
  if (spellings.length === 0) return { args, spellings };
  return { args: { positional, positionalNodes, keywords: keywords ?? args.keywords, keywordNodes: keywordNodes ?? args.keywordNodes }, spellings };
}

/** Layer arguments that are numbers or tuples of numbers: a name nanguard could not follow there is unresolved, not a name. */
const SIZE_ARGUMENTS = new Set(['units', 'filters', 'kernel_size', 'strides', 'pool_size', 'size', 'input_dim', 'output_dim', 'rate', 'target_shape', 'n', 'dims', 'dilation_rate', 'input_length', 'shape', 'input_shape']);

/** Size arguments an analysis that assumes unseen sizes may assume (not a window, stride or rate: 32 of those is no guess). */
const ASSUMABLE_SIZES = new Set(['units', 'filters', 'input_dim', 'output_dim', 'n', 'input_length']);
const SHAPE_ARGUMENTS = ['input_shape', 'shape', 'batch_input_shape', 'batch_shape'];

/** A value nanguard could not follow (an unknown, a name from a module not in the workspace). */
const unfollowed = (v: Value): boolean => v.k === 'unknown' || v.k === 'ref';

/**
 * The arguments with the sizes nanguard could not follow assumed (ctx.assumedSize), in an analysis
 * that assumes them: a size argument, or a dimension of a written shape after the batch's.
 */
function withAssumedSizes(ctx: CallContext, args: Args, positionalNames: readonly string[]): Args {
  let changed = false;
  const assume = (key: string, v: Value, node: PyNode | undefined): Value => {
    if (node === undefined) return v;
    if (ASSUMABLE_SIZES.has(key) && unfollowed(v)) {
      const size = ctx.assumedSize(node);
      if (size) {
        changed = true;
        return size;
      }
    }
    if (SHAPE_ARGUMENTS.includes(key) && v.k === 'seq' && v.items.some(unfollowed)) {
      const parts = writtenParts(ctx, node);
      if (parts.length !== v.items.length) return v;
      const batchFirst = key.startsWith('batch');
      const items = v.items.map((item, i) => (unfollowed(item) && !(batchFirst && i === 0) ? (ctx.assumedSize(parts[i]) ?? item) : item));
      if (items.some((item, i) => item !== v.items[i])) {
        changed = true;
        return { ...v, items };
      }
    }
    return v;
  };
  const positional = args.positional.map((v, i) => assume(positionalNames[i] ?? '', v, args.positionalNodes[i]));
  const keywords = new Map([...args.keywords].map(([key, v]) => [key, assume(key, v, args.keywordNodes.get(key))]));
  return changed ? { ...args, positional, keywords } : args;
}

/** A layer from its class and arguments: the config Keras would write, with where each value came from. */

function makeLayer(ctx: CallContext, givenClass: string, given: Args, node: PyNode, written = givenClass): Value {
  const current = currentArguments(ctx, given, 'layer', givenClass, written);
  const spellings = current.spellings;
  const args = withAssumedSizes(ctx, current.args, LAYER_POSITIONAL[givenClass] ?? []);
  // `Activation(custom_activation)` of the program's own function: a Lambda of that function (Keras applies it as one).
  const activationArgument = givenClass === 'Activation' ? (args.keywords.get('activation') ?? args.positional[0]) : undefined;
  const ownActivation = activationArgument?.k === 'fn' || activationArgument?.k === 'lambda';
  const className = ownActivation ? 'Lambda' : givenClass;
  const config: Record<string, unknown> = {};
  const origins: Record<string, Origin> = {};
  const unresolved: UnresolvedArgument[] = [];
  let translation: Translation | undefined;
  let activity: Translation | undefined;
  const positionalNames = LAYER_POSITIONAL[className] ?? [];
  const set = (key: string, value: Value, valueNode: PyNode | undefined): void => {
    // A wrapped layer (`TimeDistributed(Dense(output_dim=3))`) is read with its old names as well.
    if (value.k === 'layer' && value.layer.spec.legacySpellings) spellings.push(...value.layer.spec.legacySpellings);
    if ((key === 'function' || (ownActivation && key === 'activation')) && valueNode) {
      if (value.k === 'fn') ctx.noteLayerFunction(value.name);
      config.function = ctx.src(valueNode).slice(0, 200);
      translation = ctx.translateValue(value, 1, valueNode);
      return;
    }
    // The program's own activity regularizer (a function, or an object of its own Regularizer class): its penalty as tensor operations.
    if (key === 'activity_regularizer' && valueNode && (value.k === 'fn' || value.k === 'lambda' || (value.k === 'object' && value.cls))) {
      activity = ctx.translateValue(value, 1, valueNode);
    }
    // A name nanguard could not follow (`Dense(intermediate_dim)` after `from params import *` of a module not in the workspace) is no size.
    const json = value.k === 'ref' && SIZE_ARGUMENTS.has(key) ? undefined : jsonOf(value, key);
    if (json === undefined || (json === null && value.k === 'none' && valueNode !== undefined && ctx.nodeType(valueNode) !== 'none')) {
      // Written, but not followed (or followed to None): kept so that the reproduction can name it.
      if (valueNode !== undefined && key !== 'name') unresolved.push({ key, text: oneLine(ctx.src(valueNode)), location: ctx.loc(valueNode) });
      if (json === undefined) return;
    }
    config[key] = json;
    const origin = originOf(ctx, value, valueNode);
    if (origin) origins[key] = origin;
  };
  args.positional.forEach((v, i) => {
    if (positionalNames[i]) set(positionalNames[i], v, args.positionalNodes[i]);
  });
  for (const [key, v] of args.keywords) set(key, v, args.keywordNodes.get(key));
  for (const key of SHAPE_ARGUMENTS) unresolved.push(...unreadShapeParts(ctx, key, args.keywords.get(key), args.keywordNodes.get(key)));
  if (className === 'LeakyReLU' && config.alpha !== undefined && config.negative_slope === undefined) config.negative_slope = config.alpha;
  if (DEFAULT_ACTIVATION[className] && config.activation === undefined) {
    config.activation = DEFAULT_ACTIVATION[className];
    origins.activation = { kind: 'default', note: `Keras's default activation for ${className}` };
  }
  // CuDNNLSTM and CuDNNGRU (Keras 2's GPU layers) compute an LSTM and a GRU with sigmoid gates, a GRU's reset after the product.
  if (written.startsWith('CuDNN') && config.recurrent_activation === undefined) {
    config.recurrent_activation = 'sigmoid';
    origins.recurrent_activation = { kind: 'inferred', note: `${written}'s gates are sigmoids` };
    if (className === 'GRU') config.reset_after = true;
  }
  if (DEFAULT_RECURRENT_ACTIVATION[className] && config.recurrent_activation === undefined) {
    config.recurrent_activation = DEFAULT_RECURRENT_ACTIVATION[className];
    origins.recurrent_activation = { kind: 'default', note: `Keras's default recurrent activation for ${className}` };
  }
  const givenName = args.keywords.get('name');
  const name = givenName?.k === 'str' ? givenName.v : ctx.nextName(snakeCase(className));
  config.name = name;
  const layer: LayerObj = { spec: { className, name, config, origins, location: ctx.loc(node) } };
  if (unresolved.length > 0) layer.spec.unresolved = unresolved;
  if (spellings.length > 0) layer.spec.legacySpellings = spellings;
  if (translation && 'expr' in translation) layer.spec.expression = translation.expr;
  else if (translation) layer.spec.expressionProblem = translation.problem;
  if (activity && 'expr' in activity) layer.spec.activityExpression = activity.expr;
  else if (activity) layer.spec.activityProblem = activity.problem;
  const shapeKey = args.keywords.has('input_shape') ? 'input_shape' : 'shape';
  const shape = withAssumedChannels(ctx, className, args.keywords.get(shapeKey), args.keywordNodes.get(shapeKey));
  const batchShape = shapeOf(args.keywords.get('batch_input_shape') ?? args.keywords.get('batch_shape'));
  const inputDim = args.keywords.get('input_dim');
  if (shape) layer.inputShape = shape;
  else if (batchShape) layer.inputShape = batchShape.slice(1);
  else if (inputDim?.k === 'num' && className !== 'Embedding') layer.inputShape = [inputDim.v];
  if (className === 'InputLayer' && layer.inputShape) config.batch_shape = [null, ...layer.inputShape];
  return { k: 'layer', layer };
}

/**
 * The parts of a written input shape that nanguard could not work out (`(x.shape[1], x.shape[2])`
 * on data it cannot see), each by its text and place: the shape then says null there, as it does
 * for Python's None (a dimension of any size), which is not one of them.
 */
function unreadShapeParts(ctx: CallContext, key: string, value: Value | undefined, node: PyNode | undefined): UnresolvedArgument[] {
  if (value?.k !== 'seq' || node === undefined || !value.items.some((i) => i.k === 'unknown')) return [];
  const parts = writtenParts(ctx, node);
  if (parts.length !== value.items.length) return [{ key, text: oneLine(ctx.src(node)), location: ctx.loc(node) }];
  return value.items.flatMap((item, i) => (item.k === 'unknown' ? [{ key, text: oneLine(ctx.src(parts[i])), location: ctx.loc(parts[i]) }] : []));
}

/** The items of a tuple or list written in the code (`(x.shape[1], x.shape[2])`, parenthesized or not); none for anything else. */
function writtenParts(ctx: CallContext, node: PyNode): PyNode[] {
  let written = node;
  while (ctx.nodeType(written) === 'parenthesized_expression' && ctx.nodeChildren(written).length === 1) written = ctx.nodeChildren(written)[0];
  return ['tuple', 'list'].includes(ctx.nodeType(written)) ? ctx.nodeChildren(written) : [];
}

/** Layers whose input is an image of three axes (height, width, channels) after the batch's. */
const IMAGE_LAYERS = new Set(['Conv2D', 'Conv2DTranspose', 'SeparableConv2D', 'DepthwiseConv2D', 'MaxPooling2D', 'AveragePooling2D', 'UpSampling2D', 'ZeroPadding2D', 'Cropping2D']);

/**
 * `Conv2D(..., input_shape=x.shape[1:])` on data nanguard could not see: a shape of unknown rank is
 * assumed to be (samples, n, n), which leaves an image layer two axes; its channel axis is then
 * assumed to be 1 (a grey image), as Keras needs one. A shape the code shows is kept as written.
 */
function withAssumedChannels(ctx: CallContext, className: string, v: Value | undefined, node: PyNode | undefined): (number | null)[] | undefined {
  const shape = shapeOf(v);
  if (!shape || !isAssumedShape(v) || shape.length !== 2 || !IMAGE_LAYERS.has(className)) return shape;
  if (node) ctx.assumedChannels(node);
  return [...shape, 1];
}

/** A shape whose every dimension was assumed (data nanguard could not see). */
function isAssumedShape(v: Value | undefined): boolean {
  return v?.k === 'seq' && v.items.length > 0 && v.items.every((i) => i.k === 'num' && i.origin.kind === 'inferred' && /assumed/.test(i.origin.note ?? ''));
}

/** Whether a layer of this class takes images of three axes (height, width, channels) after the batch's. */
export function takesImages(className: string): boolean {
  return IMAGE_LAYERS.has(className);
}

/**
 * Inputs `Input(shape=x.shape[1:])` whose shape was assumed (n, n), given to an image layer (or a
 * model whose input is images of one channel): they get the channel axis, 1, that it needs, said as
 * an assumed size, as withAssumedChannels does for a shape given to the layer itself.
 */
export function addAssumedChannels(ctx: CallContext, inputs: TensorObj[]): void {
  for (const input of inputs) {
    const producer = input.producer;
    if (producer === undefined || !('spec' in producer) || producer.assumedRankAt === undefined || producer.inputShape?.length !== 2) continue;
    producer.inputShape = [...producer.inputShape, 1];
    producer.spec.config.batch_shape = [null, ...producer.inputShape];
    ctx.assumedChannels(producer.assumedRankAt);
    producer.assumedRankAt = undefined;
  }
}

/** A shape argument (`input_shape=(784,)`, a number, a list in a config), null where a dimension is not a number. */
export function shapeOf(v: Value | undefined): (number | null)[] | undefined {
  if (!v) return undefined;
  if (v.k === 'num') return [v.v];
  if (v.k === 'seq') return v.items.map((i) => (i.k === 'num' ? i.v : null));
  if (v.k === 'config') {
    const found = lookupConfig(v.doc, v.segments);
    if (Array.isArray(found?.value)) return found.value.map((x: unknown) => (typeof x === 'number' ? x : null));
  }
  return undefined;
}

/** Tensors given to `Input(tensor=...)`: a model's inputs leave them out, since fit feeds them no array. */
const FED_INPUTS = new WeakSet<TensorObj>();

function kerasInput(ctx: CallContext, given: Args, node: PyNode): Value {
  // Keras 2's `Input(tensor=K.random_normal(shape=(K.shape(x)[0], 2)))`: an input fed by a tensor the
  // graph computes (a VAE's noise), no array of fit's: the tensor itself.
  const fed = given.keywords.get('tensor');
  if (fed && (fed.k === 'texpr' || fed.k === 'tensor')) {
    const tensor = asGraphValue(fed, (prefix) => ctx.nextName(prefix));
    if (tensor.k === 'tensor') FED_INPUTS.add(tensor.tensor);
    return tensor;
  }
  const args = withAssumedSizes(ctx, given, ['shape']);
  const shape = shapeOf(args.keywords.get('shape') ?? args.positional[0]) ?? shapeOf(args.keywords.get('batch_shape'))?.slice(1);
  const givenName = args.keywords.get('name');
  const name = givenName?.k === 'str' ? givenName.v : ctx.nextName('input_layer');
  const config: Record<string, unknown> = { name };
  if (shape) config.batch_shape = [null, ...shape];
  const origins: Record<string, Origin> = {};
  const shapeNode = args.keywordNodes.get('shape') ?? args.positionalNodes[0];
  if (shapeNode) origins.batch_shape = literal(ctx, shapeNode);
  const layer: LayerObj = { spec: { className: 'InputLayer', name, config, origins, location: ctx.loc(node) }, inputShape: shape };
  const givenShape = args.keywords.get('shape') ?? args.positional[0];
  if (shape?.length === 2 && isAssumedShape(givenShape) && shapeNode !== undefined) layer.assumedRankAt = shapeNode;
  const unread = unreadShapeParts(ctx, 'shape', args.keywords.get('shape') ?? args.positional[0], shapeNode);
  if (unread.length > 0) layer.spec.unresolved = unread;
  layer.applied = { producer: layer, inputs: [] };
  return { k: 'tensor', tensor: layer.applied };
}

function sequential(ctx: CallContext, args: Args, node: PyNode): Value {
  const model = ctx.newModel('sequential', node, args);
  const list = args.positional[0] ?? args.keywords.get('layers');
  if (list?.k === 'seq') for (const item of list.items) addToSequential(ctx, model, item);
  return { k: 'model', model };
}

/** `Sequential([...])`, `model.add(x)`: a layer, or a model nested as one item. */
export function addToSequential(ctx: CallContext, model: ModelObj, item: Value): void {
  // Keras 1's `Merge` of models first: the Sequential is the merged graph, and each layer added after is applied to its output.
  if (item.k === 'model' && item.model.legacyMerge && model.kind === 'sequential' && model.items.length === 0) {
    model.kind = 'functional';
    model.grownByAdd = true;
    model.inputs = item.model.inputs;
    model.outputs = item.model.outputs;
    return;
  }
  if (model.grownByAdd) {
    const producer = item.k === 'layer' ? item.layer : item.k === 'model' ? item.model : undefined;
    if (!producer) return;
    const tensor: TensorObj = { producer, inputs: model.outputs };
    if (item.k === 'layer') item.layer.applied ??= tensor;
    else if (item.k === 'model') item.model.usedInside = true;
    model.outputs = [tensor];
    return;
  }
  // A custom layer that makes its layers in build: built on what the layers before it give.
  const built = item.k === 'layer' && (item.layer.unbuilt || item.layer.composite) ? ctx.builtLayer(item.layer, [tensorShape({ producer: model, inputs: [] })]) : undefined;
  if (built) item = { k: 'model', model: built };
  if (item.k === 'layer') model.items.push(item.layer);
  else if (item.k === 'model') {
    model.items.push(item.model);
    item.model.usedInside = true;
  } else if (item.k === 'tensor' && item.tensor.producer && 'spec' in item.tensor.producer) model.items.push(item.tensor.producer);
}

/** The tensors in a value: itself, or those in a list or dict (a model's inputs and outputs). */
export function tensorsOf(v: Value | undefined): TensorObj[] {
  if (!v) return [];
  if (v.k === 'tensor') return [v.tensor];
  if (v.k === 'seq') return v.items.flatMap((i) => (i.k === 'tensor' ? [i.tensor] : []));
  if (v.k === 'dict') return [...v.entries.values()].flatMap((i) => (i.k === 'tensor' ? [i.tensor] : []));
  return [];
}

function functional(ctx: CallContext, given: Args, node: PyNode): Value {
  const { args, spellings } = currentArguments(ctx, given, 'model');
  const model = ctx.newModel('functional', node, args);
  if (spellings.length > 0) model.legacySpellings = spellings;
  const graph = (v: Value | undefined): Value | undefined => (v ? asGraphValue(v, (prefix) => ctx.nextName(prefix)) : v);
  model.inputs = tensorsOf(graph(args.keywords.get('inputs') ?? args.positional[0])).filter((t) => !FED_INPUTS.has(t));
  model.outputs = tensorsOf(graph(args.keywords.get('outputs') ?? args.positional[1]));
  return { k: 'model', model };
}

function makeOptimizer(ctx: CallContext, className: string, given: Args, node: PyNode): Value {
  const defaults = optimizerDefaults(className)!;
  const { args, spellings } = currentArguments(ctx, given, 'optimizer');
  const keyed = (names: string[], positional?: number): [Value, PyNode | undefined] | undefined => {
    for (const n of names) {
      const v = args.keywords.get(n);
      if (v) return [v, args.keywordNodes.get(n)];
    }
    if (positional !== undefined && args.positional[positional]) return [args.positional[positional], args.positionalNodes[positional]];
    return undefined;
  };
  const valued = (entry: [Value, PyNode | undefined] | undefined): Valued<number> | undefined => {
    if (!entry) return undefined;
    const [v, n] = entry;
    if (v.k !== 'num') return undefined;
    return { value: v.v, origin: v.origin.kind === 'literal' && n ? literal(ctx, n) : v.origin };
  };
  const optimizer: OptimizerSpec = {
    className: defaults.className,
    learningRate: valued(keyed(['learning_rate'], 0)) ?? { value: defaults.learningRate, origin: { kind: 'default', note: `${defaults.className}'s default learning rate` } },
    location: ctx.loc(node),
  };
  const epsilon = valued(keyed(['epsilon']));
  if (epsilon) optimizer.epsilon = epsilon;
  else if (defaults.epsilon !== undefined) optimizer.epsilon = { value: defaults.epsilon, origin: { kind: 'default', note: `${defaults.className}'s default epsilon` } };
  const clipnorm = valued(keyed(['clipnorm', 'global_clipnorm']));
  if (clipnorm) optimizer.clipnorm = clipnorm;
  const clipvalue = valued(keyed(['clipvalue']));
  if (clipvalue) optimizer.clipvalue = clipvalue;
  const momentum = valued(keyed(['momentum']));
  if (momentum) optimizer.momentum = momentum;
  const others: Record<string, number | boolean> = {};
  for (const [key, v] of args.keywords) {
    if (['learning_rate', 'epsilon', 'clipnorm', 'clipvalue', 'momentum', 'name'].includes(key)) continue;
    if (v.k === 'num' || v.k === 'bool') others[key] = v.v;
  }
  if (Object.keys(others).length > 0) optimizer.config = others;
  const inner = args.keywords.get('inner_optimizer') ?? args.positional[0];
  if (defaults.className === 'LossScaleOptimizer' && inner?.k === 'optimizer') optimizer.inner = inner.optimizer;
  if (spellings.length > 0) optimizer.legacySpellings = spellings;
  return { k: 'optimizer', optimizer };
}

function makeCallback(ctx: CallContext, className: string, args: Args, node: PyNode): Value {
  const config: Record<string, unknown> = {};
  for (const [k, v] of args.keywords) {
    const json = jsonOf(v, k);
    if (json !== undefined) config[k] = json;
  }
  const callback: CallbackSpec = { className, config, location: ctx.loc(node) };
  return { k: 'callback', callback };
}

/** `[A-Z]` at the start, without a regular expression: asked of every call's name. */
function startsWithCapital(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 0x41 && c <= 0x5a;
}

/** Positional arguments of Keras initializers and regularizers, in Keras's order. */
const KERAS_OBJECT_POSITIONAL: Record<string, string[]> = {
  RandomNormal: ['mean', 'stddev', 'seed'],
  TruncatedNormal: ['mean', 'stddev', 'seed'],
  RandomUniform: ['minval', 'maxval', 'seed'],
  Constant: ['value'],
  VarianceScaling: ['scale', 'mode', 'distribution', 'seed'],
  Orthogonal: ['gain', 'seed'],
  Identity: ['gain'],
  L1: ['l1'],
  L2: ['l2'],
  L1L2: ['l1', 'l2'],
};

/** Keras's names of its regularizer functions and classes (`l2`, `L1L2`) to class names. */
const REGULARIZER_CLASSES: Record<string, string> = { l1: 'L1', l2: 'L2', l1_l2: 'L1L2', L1: 'L1', L2: 'L2', L1L2: 'L1L2', l1l2: 'L1L2' };

/**
 * `initializers.RandomNormal(stddev=1.0)`, `regularizers.l2(0.01)`: the `{class_name, config}`
 * Keras's `get_config` writes, with the arguments given (numbers and strings), so that the
 * reproduction builds the same initializer or penalty; undefined for what is not one of Keras's.
 */
function kerasObjectConfig(path: string, last: string, args: Args): Value | undefined {
  const regularizer = path.includes('regularizers.') ? REGULARIZER_CLASSES[last] : undefined;
  const className = regularizer ?? (startsWithCapital(last) ? last : undefined);
  if (!className) return undefined;
  const entries = new Map<string, Value>();
  const names = KERAS_OBJECT_POSITIONAL[className] ?? [];
  args.positional.forEach((v, i) => {
    if (names[i] && (v.k === 'num' || v.k === 'str')) entries.set(names[i], v);
  });
  for (const [k, v] of args.keywords) if (v.k === 'num' || v.k === 'str' || v.k === 'none') entries.set(k, v);
  // As Keras 3 defaults them: `l1()` and `l2()` 0.01; `l1_l2()` (the class L1L2) 0 for a penalty not given.
  const origin: Origin = { kind: 'default', note: `Keras's default for ${last}` };
  if (regularizer === 'L1' && !entries.has('l1')) entries.set('l1', { k: 'num', v: 0.01, origin });
  if (regularizer === 'L2' && !entries.has('l2')) entries.set('l2', { k: 'num', v: 0.01, origin });
  if (regularizer === 'L1L2') {
    if (!entries.has('l1')) entries.set('l1', { k: 'num', v: 0, origin });
    if (!entries.has('l2')) entries.set('l2', { k: 'num', v: 0, origin });
  }
  return { k: 'dict', entries: new Map<string, Value>([['class_name', { k: 'str', v: className, origin }], ['config', { k: 'dict', entries }]]) };
}

