/**
 * Keras 3 JSON (what `model.to_json()` writes) to the Keras 2 dialect TensorFlow.js reads:
 * `batch_shape` becomes `batch_input_shape`, dtype policies become dtype strings, Keras 3
 * node descriptions become Keras 2 node lists, initializers get seeds (so that the same
 * plan gives the same weights), and Keras names tfjs spells differently are mapped.
 * Pure data: the worker feeds the result to `tf.models.modelFromJSON`.
 */
import { canonicalLayerClass } from '../../core/keras/names';
import type { TensorExpr } from '../../core/tensorExpr';
import { ACTIVITY_EXPRESSION_CLASS, LAMBDA_EXPRESSION_KEY, type KerasLayerJson, type KerasModelJson } from '../kerasJson';

const INITIALIZER_NAMES: Record<string, string> = {
  glorot_uniform: 'GlorotUniform', glorotuniform: 'GlorotUniform',
  glorot_normal: 'GlorotNormal', glorotnormal: 'GlorotNormal',
  he_uniform: 'HeUniform', heuniform: 'HeUniform',
  he_normal: 'HeNormal', henormal: 'HeNormal',
  lecun_uniform: 'LeCunUniform', lecununiform: 'LeCunUniform',
  lecun_normal: 'LeCunNormal', lecunnormal: 'LeCunNormal',
  zeros: 'Zeros', zero: 'Zeros', ones: 'Ones', one: 'Ones', constant: 'Constant',
  random_uniform: 'RandomUniform', randomuniform: 'RandomUniform',
  random_normal: 'RandomNormal', randomnormal: 'RandomNormal',
  truncated_normal: 'TruncatedNormal', truncatednormal: 'TruncatedNormal',
  orthogonal: 'Orthogonal', orthogonalinitializer: 'Orthogonal',
  variance_scaling: 'VarianceScaling', variancescaling: 'VarianceScaling',
  identity: 'Identity',
  // Keras 1's names (`init='uniform'`): its uniform in [-0.05, 0.05] and normal of standard deviation 0.05, tfjs's defaults too.
  uniform: 'RandomUniform', normal: 'RandomNormal',
};

/** Initializers the reproduction seeds and TensorFlow.js builds: a name or `{class_name}` it knows (any case). */
export function isKnownInitializer(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const name = typeof value === 'string' ? value : isObject(value) && typeof value.class_name === 'string' ? value.class_name : undefined;
  return name !== undefined && INITIALIZER_NAMES[name.toLowerCase()] !== undefined;
}

/** Regularizers TensorFlow.js computes (`"l2"`, `L1L2(...)` and the like, see `regularizer`). */
export function isKnownRegularizer(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const name = typeof value === 'string' ? value : isObject(value) && typeof value.class_name === 'string' ? value.class_name : undefined;
  return name !== undefined && ['l1', 'l2', 'l1l2'].includes(name.toLowerCase().replace(/_/g, ''));
}

/** Keras activations the reproduction has (TensorFlow.js's, `exponential` and `leaky_relu` registered by nanguard). */
const KNOWN_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hard_sigmoid', 'tanh', 'softmax', 'log_softmax', 'softplus', 'softsign', 'swish', 'silu', 'gelu', 'mish', 'exponential', 'leaky_relu']);

export function isKnownActivation(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && KNOWN_ACTIVATIONS.has(value.toLowerCase()));
}

const ACTIVATION_NAMES: Record<string, string> = {
  hard_sigmoid: 'hardSigmoid', log_softmax: 'logSoftmax', leaky_relu: 'leakyRelu', silu: 'swish',
};

/** Keras 3 config keys tfjs does not know; dropped so that no layer constructor trips on them. */
const DROPPED_KEYS = new Set(['quantization_config', 'lora_rank', 'lora_alpha', 'synchronized', 'renorm', 'renorm_clipping', 'renorm_momentum', 'optional', 'ragged', 'build_config', 'module', 'registered_name']);

export interface TfjsTopology {
  json: { class_name: string; config: Record<string, unknown> };
  /** The output layer's sigmoid was moved into the loss (Keras computes sigmoid + BCE from logits). */
  outputLogits: boolean;
  /** The same for each output of a model with a loss per output, in order. */
  outputsLogits: boolean[];
  /**
   * Each layer's activity regularizer as a penalty of its output (argument 0), by layer name: the
   * engine adds them to the loss itself, as Keras 3 does (tfjs-layers refuses to run a model with
   * activity regularizers on concrete tensors).
   */
  activityPenalties: Map<string, TensorExpr>;
  /** Output layers whose activation was moved into the loss (`outputLogits`), with that activation: their activity penalties take the activated output, as in Keras. */
  logitLayers: Map<string, 'sigmoid' | 'softmax'>;
  /**
   * Weights that stand in for ones Keras does not have, held at their initial value: layer name to
   * weight names. tfjs-layers cannot train a BatchNormalization without `center` or `scale` (it
   * reads the missing beta or gamma), so such a layer gets a beta of zeros or a gamma of ones
   * that is never trained: the same function.
   */
  fixedWeights: Map<string, Set<'gamma' | 'beta'>>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function initializer(value: unknown, seed: number): unknown {
  if (typeof value === 'string') {
    const name = INITIALIZER_NAMES[value.toLowerCase()];
    return name ? { class_name: name, config: { seed } } : value;
  }
  if (isObject(value) && typeof value.class_name === 'string') {
    const name = INITIALIZER_NAMES[value.class_name.toLowerCase()] ?? value.class_name;
    const config = isObject(value.config) ? { ...value.config } : {};
    if ('seed' in config || !['Zeros', 'Ones', 'Constant', 'Identity'].includes(name)) config.seed = config.seed ?? seed;
    for (const key of ['input_axes', 'output_axes']) delete config[key];
    return { class_name: name, config };
  }
  return value;
}

/** Keras's default factor for `"l1"`, `"l2"` and `"l1_l2"` given by name. */
const DEFAULT_REGULARIZATION = 0.01;

/**
 * Keras regularizers as tfjs reads them: tfjs knows one class, `L1L2`, and no names, where
 * Keras writes `"l2"` or `{"class_name": "L2", "config": {"l2": 0.01}}`.
 */
function regularizer(value: unknown): unknown {
  const l1l2 = (l1: unknown, l2: unknown) => ({ class_name: 'L1L2', config: { l1: typeof l1 === 'number' ? l1 : 0, l2: typeof l2 === 'number' ? l2 : 0 } });
  const name = typeof value === 'string' ? value : isObject(value) && typeof value.class_name === 'string' ? value.class_name : undefined;
  const config = isObject(value) && isObject(value.config) ? value.config : {};
  switch (name?.toLowerCase().replace(/_/g, '')) {
    case 'l1':
      return l1l2(config.l1 ?? DEFAULT_REGULARIZATION, 0);
    case 'l2':
      return l1l2(0, config.l2 ?? DEFAULT_REGULARIZATION);
    case 'l1l2':
      return l1l2(config.l1 ?? (typeof value === 'string' ? DEFAULT_REGULARIZATION : 0), config.l2 ?? (typeof value === 'string' ? DEFAULT_REGULARIZATION : 0));
    default:
      return value;
  }
}

/**
 * A layer's activity regularizer as an expression of its output: Keras's L1 (`l1 * sum(|x|)`),
 * L2 (`l2 * sum(x²)`) and L1L2, or the program's own translated (`ACTIVITY_EXPRESSION_CLASS`);
 * undefined for none or one not known.
 */
export function activityPenalty(value: unknown): TensorExpr | undefined {
  if (value === null || value === undefined) return undefined;
  if (isObject(value) && value.class_name === ACTIVITY_EXPRESSION_CLASS && isObject(value.config)) return value.config.expression as TensorExpr;
  const weights = regularizer(value);
  if (!isObject(weights) || weights.class_name !== 'L1L2' || !isObject(weights.config)) return undefined;
  const x: TensorExpr = { op: 'arg', index: 0 };
  const term = (factor: unknown, op: 'abs' | 'square'): TensorExpr[] =>
    typeof factor === 'number' && factor !== 0 ? [{ op: 'mul', a: { op: 'const', value: factor }, b: { op: 'sum', x: { op, x }, axis: null, keepdims: false } }] : [];
  const terms = [...term(weights.config.l1, 'abs'), ...term(weights.config.l2, 'square')];
  if (terms.length === 0) return { op: 'const', value: 0 };
  return terms.length === 1 ? terms[0] : { op: 'add', a: terms[0], b: terms[1] };
}

function convertConfig(config: Record<string, unknown>, seedFor: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (DROPPED_KEYS.has(key)) continue;
    // Added to the loss by the engine (`activityPenalties`); a regularizer it does not know stays, for tfjs to name.
    if (key === 'activity_regularizer' && (value === null || activityPenalty(value) !== undefined)) continue;
    if (key === 'dtype') {
      out.dtype = isObject(value) && isObject(value.config) ? (value.config.name as string) ?? 'float32' : typeof value === 'string' ? value : 'float32';
      // TensorFlow.js tensors are float32: float16 is emulated by rounding (precision.ts), other precisions are noted as not reproduced.
      if (out.dtype === 'mixed_float16' || out.dtype === 'mixed_bfloat16' || out.dtype === 'float16' || out.dtype === 'bfloat16' || out.dtype === 'float64') out.dtype = 'float32';
    } else if (key === 'batch_shape') {
      out.batch_input_shape = value;
    } else if (key.endsWith('_initializer')) {
      out[key] = initializer(value, seedFor());
    } else if (key.endsWith('_regularizer') && value !== null) {
      out[key] = regularizer(value);
    } else if ((key === 'activation' || key === 'recurrent_activation') && typeof value === 'string') {
      out[key] = ACTIVATION_NAMES[value] ?? value;
    } else if (key === 'data_format' && typeof value === 'string') {
      // Keras lower-cases it (standardize_data_format); tfjs-layers takes only lower case.
      out[key] = value.toLowerCase();
    } else if (key === 'layer' && isObject(value)) {
      out.layer = convertLayer(value as unknown as KerasLayerJson, seedFor, false);
    } else {
      out[key] = value;
    }
  }
  if (typeof out.seed !== 'number' && ('rate' in out || 'stddev' in out)) out.seed = seedFor();
  return out;
}

function historyOf(arg: unknown, out: unknown[][]): void {
  if (Array.isArray(arg)) {
    for (const a of arg) historyOf(a, out);
  } else if (isObject(arg) && arg.class_name === '__keras_tensor__' && isObject(arg.config) && Array.isArray(arg.config.keras_history)) {
    const [name, node, tensor] = arg.config.keras_history as [string, number, number];
    out.push([name, node, tensor, {}]);
  }
}

function convertNodes(nodes: unknown[] | undefined): unknown[] {
  if (!nodes) return [];
  return nodes.map((node) => {
    if (Array.isArray(node)) return node; // already Keras 2
    const refs: unknown[][] = [];
    if (isObject(node)) historyOf(node.args, refs);
    // A recurrent layer's `initial_state=[h, c]`: Keras 2 (and tfjs) list the states after the sequence.
    if (isObject(node) && isObject(node.kwargs)) historyOf(node.kwargs.initial_state, refs);
    return refs;
  });
}

const KERNEL_LAYERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv1DTranspose', 'Conv2DTranspose', 'LSTM', 'GRU', 'SimpleRNN', 'MultiHeadAttention']);
const RECURRENT_LAYERS = new Set(['LSTM', 'GRU', 'SimpleRNN']);

/** Keras's default initializers written out, so that each gets a seed (tfjs would draw them from Math.random). */
function withDefaultInitializers(className: string, config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  if (KERNEL_LAYERS.has(className) && out.kernel_initializer === undefined) out.kernel_initializer = 'glorot_uniform';
  if (RECURRENT_LAYERS.has(className) && out.recurrent_initializer === undefined) out.recurrent_initializer = 'orthogonal';
  // Keras starts an LSTM's forget gate at a bias of 1 (unit_forget_bias=True, its default); tfjs at 0 unless told.
  if (className === 'LSTM' && out.unit_forget_bias === undefined) out.unit_forget_bias = true;
  // The layer a Bidirectional wraps is built from its own config, which gets the same default.
  const wrapped = out.layer as { class_name?: string; config?: Record<string, unknown> } | undefined;
  if (className === 'Bidirectional' && wrapped?.class_name === 'LSTM' && wrapped.config && wrapped.config.unit_forget_bias === undefined) out.layer = { ...wrapped, config: { ...wrapped.config, unit_forget_bias: true } };
  return out;
}

/** Keras 3's LeakyReLU slope is `negative_slope` (0.3 by default); tfjs calls it `alpha` (same default). */
function withTfjsNames(className: string, config: Record<string, unknown>): Record<string, unknown> {
  if (className !== 'LeakyReLU') return config;
  const { negative_slope: slope, ...rest } = config;
  return { ...rest, alpha: typeof slope === 'number' ? slope : typeof config.alpha === 'number' ? config.alpha : 0.3 };
}

/**
 * A Keras `Lambda` whose function the analysis translated becomes nanguard's own layer
 * (engine/customLayers.ts); the expression passes through unchanged.
 */
function lambdaLayer(layer: KerasLayerJson): KerasLayerJson {
  const config = layer.config ?? {};
  const expression = config[LAMBDA_EXPRESSION_KEY];
  if (!expression) throw new Error(`the Lambda layer ${String(config.name ?? '')} carries no translated function`);
  const kept: Record<string, unknown> = { name: config.name, trainable: config.trainable ?? true, dtype: config.dtype ?? 'float32', expression };
  if (config.batch_shape !== undefined) kept.batch_shape = config.batch_shape;
  return { ...layer, class_name: 'NanguardLambda', config: kept };
}

/**
 * Keras layers tfjs-layers cannot build from Keras JSON, as the expression of their inputs that
 * nanguard's own expression layer evaluates (argument i is input i):
 * - `Rescaling(scale, offset)`: `inputs * scale + offset` (a scale or offset per channel, a list,
 *   is refused by the plan, see layerProblem);
 * - `Subtract()([a, b])`: `a - b` (tfjs-layers has no Subtract);
 * - `ActivityRegularization(l1, l2)`: its input, whose penalty the engine adds to the loss as any
 *   layer's activity regularizer (`activityRegularizerOf`).
 */
const EXPRESSION_LAYERS: Record<string, (config: Record<string, unknown>) => TensorExpr> = {
  Rescaling: (config) => {
    const number = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
    return { op: 'add', a: { op: 'mul', a: { op: 'arg', index: 0 }, b: { op: 'const', value: number(config.scale, 1) } }, b: { op: 'const', value: number(config.offset, 0) } };
  },
  Subtract: () => ({ op: 'sub', a: { op: 'arg', index: 0 }, b: { op: 'arg', index: 1 } }),
  ActivityRegularization: () => ({ op: 'arg', index: 0 }),
};

/** A layer of `EXPRESSION_LAYERS` (or a Lambda) as nanguard's own expression layer; any other as it is. */
function asExpressionLayer(layer: KerasLayerJson): KerasLayerJson {
  if (layer.class_name === 'Lambda') return lambdaLayer(layer);
  const expression = EXPRESSION_LAYERS[layer.class_name];
  if (!expression) return layer;
  const config = layer.config ?? {};
  return lambdaLayer({ ...layer, class_name: 'Lambda', config: { ...config, [LAMBDA_EXPRESSION_KEY]: expression(config) } });
}

/** The activity regularizer a layer's config gives, with ActivityRegularization's own `l1` and `l2`. */
function activityRegularizerOf(layer: KerasLayerJson): unknown {
  const config = layer.config ?? {};
  if (canonicalLayerClass(layer.class_name) !== 'ActivityRegularization') return config.activity_regularizer;
  return { class_name: 'L1L2', config: { l1: typeof config.l1 === 'number' ? config.l1 : 0, l2: typeof config.l2 === 'number' ? config.l2 : 0 } };
}

/** Keras 3 keys of Conv1DTranspose that tfjs's convolution base does not take (the plan refuses other values). */
function withoutOutputPadding(className: string, config: Record<string, unknown>): Record<string, unknown> {
  if (className !== 'Conv1DTranspose') return config;
  const { output_padding: _padding, ...rest } = config;
  void _padding;
  return rest;
}

/**
 * Keras layers built by nanguard's own classes (engine/customLayers.ts) where tfjs-layers has one
 * that differs: its ELU takes no alpha but 1, its ReLU only `max_value`, its GRU only
 * `reset_after=False` (Keras 3's default is True), its LayerNormalization's gradient is slow
 * past two dimensions, and its Flatten refuses an input of two.
 */
function ownClass(className: string, config: Record<string, unknown>): string {
  if (className === 'ELU') return 'NanguardELU';
  if (className === 'ReLU') return 'NanguardReLU';
  if (className === 'LayerNormalization') return 'NanguardLayerNormalization';
  if (className === 'BatchNormalization' && config.trainable === false) return 'NanguardFrozenBatchNormalization';
  if (className === 'MultiHeadAttention') return 'NanguardMultiHeadAttention';
  if (className === 'GRU' && config.reset_after !== false) return 'NanguardGRU';
  // Channels-last (Keras 3's default): a reshape to one row a sample, from any rank.
  if (className === 'Flatten' && config.data_format !== 'channels_first') return 'NanguardFlatten';
  return className;
}

/** Keras 3 keys a wrapper writes that tfjs builds itself: Bidirectional's backward layer is the forward one's config going backwards. */
function withoutBackwardLayer(className: string, config: Record<string, unknown>): Record<string, unknown> {
  if (className !== 'Bidirectional') return config;
  const { backward_layer: _backward, ...rest } = config;
  void _backward;
  return rest;
}

function convertLayer(original: KerasLayerJson, seedFor: () => number, functional: boolean): Record<string, unknown> {
  const canonical = { ...original, class_name: canonicalLayerClass(original.class_name) };
  const layer = asExpressionLayer(canonical);
  const config = withoutBackwardLayer(layer.class_name, withoutOutputPadding(layer.class_name, withTfjsNames(layer.class_name, withDefaultInitializers(layer.class_name, layer.config ?? {}))));
  // A convolution's `padding="SAME"` (as TensorFlow's own ops spell it) is lower-cased by Keras (its pooling layers raise on it); tfjs-layers takes only lower case.
  const spelled = /Conv/.test(layer.class_name) && typeof config.padding === 'string' ? { ...config, padding: config.padding.toLowerCase() } : config;
  const out: Record<string, unknown> = { class_name: ownClass(layer.class_name, spelled), config: convertConfig(spelled, seedFor) };
  if (functional) {
    out.name = layer.name ?? layer.config?.name;
    out.inbound_nodes = convertNodes(layer.inbound_nodes);
  }
  return out;
}

/** Turns `center: false` / `scale: false` into a fixed beta of zeros / gamma of ones (see `TfjsTopology.fixedWeights`). */
function fixNormalizationWeights(layers: Record<string, unknown>[], fixed: TfjsTopology['fixedWeights']): void {
  for (const layer of layers) {
    const config = layer.config as Record<string, unknown>;
    if ((layer.class_name !== 'BatchNormalization' && layer.class_name !== 'NanguardFrozenBatchNormalization') || typeof config.name !== 'string') continue;
    const names = new Set<'gamma' | 'beta'>();
    if (config.center === false) {
      config.center = true;
      config.beta_initializer = { class_name: 'Zeros', config: {} };
      names.add('beta');
    }
    if (config.scale === false) {
      config.scale = true;
      config.gamma_initializer = { class_name: 'Ones', config: {} };
      names.add('gamma');
    }
    if (names.size > 0) fixed.set(config.name, names);
  }
}

/** The one input of a model of several, as the training loop feeds it: each sample's inputs flattened one after the other. */
export const FLAT_INPUT = 'nanguard_inputs';

/**
 * A model of several inputs trains on one flat input (plan.ts `materializeData` joins each
 * sample's inputs in a row, as it joins several outputs' targets): each InputLayer becomes a
 * layer of the same name that cuts its part out of that row and shapes it (customLayers.ts).
 */
function withOneInput(layers: Record<string, unknown>[], inputs: unknown[]): Record<string, unknown>[] {
  if (inputs.length < 2) return layers;
  const names = inputs.map((e) => (Array.isArray(e) ? e[0] : undefined));
  let offset = 0;
  const parts = new Map<unknown, Record<string, unknown>>();
  for (const name of names) {
    const input = layers.find((l) => l.name === name && l.class_name === 'InputLayer');
    const shape = ((input?.config as Record<string, unknown> | undefined)?.batch_input_shape as (number | null)[] | undefined)?.slice(1);
    if (!input || !shape || shape.some((d) => typeof d !== 'number')) throw new Error(`the input ${String(name)} has no whole shape`);
    const width = (shape as number[]).reduce((a, b) => a * b, 1);
    parts.set(name, { class_name: 'NanguardInputSlice', name, config: { name, offset, shape, trainable: false, dtype: 'float32' }, inbound_nodes: [[[FLAT_INPUT, 0, 0, {}]]] });
    offset += width;
  }
  const flat = { class_name: 'InputLayer', name: FLAT_INPUT, config: { name: FLAT_INPUT, batch_input_shape: [null, offset], dtype: 'float32', sparse: false }, inbound_nodes: [] };
  return [flat, ...layers.map((l) => parts.get(l.name) ?? l)];
}

function endpoints(value: unknown): unknown[] {
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'string') return [value];
  return Array.isArray(value) ? value : [];
}

/** Converts a Keras (2 or 3) JSON topology for TensorFlow.js, with initializer seeds drawn from `seed`. */
export function toTfjsTopology(json: KerasModelJson, seed: number, loss: string | string[], fromLogits = false): TfjsTopology {
  let counter = 0;
  const seedFor = (): number => (Math.abs(Math.imul(seed + 1, 7919)) + 104729 * ++counter) % 2147483647;
  const functional = json.class_name !== 'Sequential';
  const layers = (json.config.layers ?? []).map((l) => convertLayer(l, seedFor, functional));
  let body = layers;
  if (!functional) {
    // tfjs's Sequential takes the input shape on its first layer, as Keras 2 wrote it.
    const inputIndex = layers.findIndex((l) => l.class_name === 'InputLayer');
    if (inputIndex === 0 && layers.length > 1) {
      const input = layers[0].config as Record<string, unknown>;
      body = layers.slice(1);
      const first = body[0].config as Record<string, unknown>;
      first.batch_input_shape = input.batch_input_shape;
    }
  }
  if (functional) body = withOneInput(body, endpoints(json.config.input_layers));
  const losses = Array.isArray(loss) ? loss : [loss];
  const logitLayers: TfjsTopology['logitLayers'] = new Map();
  const outputsLogits = losses.map((lossOfOutput, i) => {
    if (lossOfOutput !== 'binary_crossentropy' && lossOfOutput !== 'categorical_crossentropy' && lossOfOutput !== 'sparse_categorical_crossentropy') return false;
    // from_logits=True: the output as it is, whatever its activation, is what the loss takes as logits.
    if (fromLogits) return true;
    const outputName = functional ? (endpoints(json.config.output_layers)[i] as unknown[] | undefined)?.[0] : undefined;
    const output = functional ? body.find((l) => l.name === outputName) : body[body.length - 1];
    const config = output?.config as Record<string, unknown> | undefined;
    const activation = lossOfOutput === 'binary_crossentropy' ? 'sigmoid' : 'softmax';
    if (!config || config.activation !== activation) return false;
    config.activation = 'linear';
    if (typeof config.name === 'string') logitLayers.set(config.name, activation);
    return true;
  });
  const outputLogits = outputsLogits[0] ?? false;
  const fixedWeights: TfjsTopology['fixedWeights'] = new Map();
  fixNormalizationWeights(body, fixedWeights);
  const config: Record<string, unknown> = { name: json.config.name ?? 'model', layers: body };
  if (functional) {
    config.input_layers = endpoints(json.config.input_layers).length > 1 ? [[FLAT_INPUT, 0, 0]] : endpoints(json.config.input_layers);
    config.output_layers = endpoints(json.config.output_layers);
  }
  const activityPenalties = new Map<string, TensorExpr>();
  for (const layer of json.config.layers ?? []) {
    const penalty = activityPenalty(activityRegularizerOf(layer));
    const name = layer.config?.name ?? layer.name;
    if (penalty && typeof name === 'string') activityPenalties.set(name, penalty);
  }
  return { json: { class_name: functional ? 'Functional' : 'Sequential', config }, outputLogits, outputsLogits, fixedWeights, activityPenalties, logitLayers };
}
