/**
 * Questions the rules ask of the IR, answered once here so that rules stay short and agree
 * with each other: what the output activation can produce, which layer is the bottleneck,
 * what range the data spans as it reaches the network, and how to quote a value's origin.
 */
import type { RelatedInformation } from '../../findings';
import type { DataSpec, DataTransform, FeatureStats, LayerSpec, ModelSpec, Origin, SourceLocation, TensorExpr } from '../../ir';
import { statsOfRows } from '../../statistics';

/** Range an activation can produce; `null` bounds are unbounded. Open/closed is not tracked. */
export interface ActivationRange {
  low: number | null;
  high: number | null;
}

const ACTIVATION_RANGES: Record<string, ActivationRange> = {
  sigmoid: { low: 0, high: 1 },
  hard_sigmoid: { low: 0, high: 1 },
  softmax: { low: 0, high: 1 },
  tanh: { low: -1, high: 1 },
  hard_tanh: { low: -1, high: 1 },
  softsign: { low: -1, high: 1 },
  relu: { low: 0, high: null },
  relu6: { low: 0, high: 6 },
  softplus: { low: 0, high: null },
  exponential: { low: 0, high: null },
  elu: { low: -1, high: null },
  selu: { low: -1.7581, high: null },
  linear: { low: null, high: null },
};

/** Activations whose gradient vanishes for large |pre-activation|. */
export const SATURATING_ACTIVATIONS = new Set(['sigmoid', 'tanh', 'hard_sigmoid', 'softsign', 'hard_tanh']);

/** Layers that change shape or regularise but do not transform values in a way that matters to ranges. */
const PASS_THROUGH_LAYERS = new Set([
  'Dropout', 'Flatten', 'Reshape', 'UpSampling1D', 'UpSampling2D', 'UpSampling3D', 'Cropping1D', 'Cropping2D',
  'ZeroPadding1D', 'ZeroPadding2D', 'GaussianNoise', 'GaussianDropout', 'ActivityRegularization', 'RepeatVector',
  'Permute', 'SpatialDropout1D', 'SpatialDropout2D', 'InputLayer',
]);

export const NORMALIZATION_LAYERS = new Set([
  'BatchNormalization', 'LayerNormalization', 'Normalization', 'GroupNormalization', 'UnitNormalization', 'RMSNormalization',
]);

/** Layers whose width (`units`) defines the code size in a dense or recurrent autoencoder. */
const WIDTH_LAYERS = new Set(['Dense', 'LSTM', 'GRU', 'SimpleRNN']);

/** Layers with weights and an activation: what counts toward depth. */
const WEIGHTED_LAYERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'LSTM', 'GRU', 'SimpleRNN', 'SeparableConv2D', 'DepthwiseConv2D']);

export const RESIDUAL_LAYERS = new Set(['Add', 'Concatenate', 'Average']);

/** The activation of a layer, normalised to a Keras name; Dense without one is `linear`. */
/** Layers that pass values on unchanged in range (Flatten, Dropout, Reshape, UpSampling, ...). */
export function isPassThroughLayer(layer: LayerSpec): boolean {
  return PASS_THROUGH_LAYERS.has(layer.className);
}

export function activationOf(layer: LayerSpec): string | undefined {
  const raw = layer.config['activation'];
  if (raw === undefined || raw === null) {
    return WEIGHTED_LAYERS.has(layer.className) || layer.className === 'Activation' ? 'linear' : undefined;
  }
  if (typeof raw === 'string') return normaliseActivation(raw);
  // Keras 3 JSON can serialise activations as objects: {"class_name": "function", "config": "sigmoid"}.
  if (typeof raw === 'object') {
    const obj = raw as Record<string, unknown>;
    if (typeof obj['config'] === 'string') return normaliseActivation(obj['config']);
    if (typeof obj['class_name'] === 'string') return normaliseActivation(obj['class_name']);
  }
  return undefined;
}

function normaliseActivation(name: string): string {
  const short = name.split('.').pop() ?? name;
  const lower = short.toLowerCase();
  return lower === 'none' ? 'linear' : lower;
}

export function activationRange(activation: string): ActivationRange | undefined {
  return ACTIVATION_RANGES[activation];
}

export interface OutputActivation {
  activation: string;
  range: ActivationRange;
  /** The layer whose activation decides the output (may be an `Activation` layer). */
  layer: LayerSpec;
}

/** What the model's last value-changing layer can produce. Undefined when unknown. */
export function outputActivation(model: ModelSpec): OutputActivation | undefined {
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i];
    if (PASS_THROUGH_LAYERS.has(layer.className)) continue;
    const activation = activationOf(layer);
    if (activation === undefined) return undefined;
    const range = activationRange(activation);
    return range ? { activation, range, layer } : undefined;
  }
  return undefined;
}

export function widthOf(layer: LayerSpec): number | undefined {
  if (!WIDTH_LAYERS.has(layer.className)) return undefined;
  const units = layer.config['units'];
  return typeof units === 'number' && Number.isFinite(units) && units > 0 ? units : undefined;
}

/**
 * The bottleneck: the narrowest Dense or recurrent layer strictly between input and output
 * (the first one when several tie, i.e. the encoder's end). Convolutional widths are not
 * comparable to input sizes without spatial shapes, so they are not considered.
 */
export function bottleneck(model: ModelSpec): { layer: LayerSpec; index: number; units: number } | undefined {
  // A classifier's or a regressor's last Dense (10 classes for 784 pixels) is its output, not a code.
  if (!mayReconstructInput(model)) return undefined;
  const output = outputActivation(model)?.layer ?? model.layers[model.layers.length - 1];
  let best: { layer: LayerSpec; index: number; units: number } | undefined;
  model.layers.forEach((layer, index) => {
    if (layer === output) return;
    const units = widthOf(layer);
    if (units === undefined) return;
    if (!best || units < best.units) best = { layer, index, units };
  });
  if (!best) return undefined;
  // A code at least as wide as the input (or as every other hidden layer) is no bottleneck.
  const dim = inputDim(model);
  if (dim !== undefined && best.units >= dim) return undefined;
  if (dim === undefined) {
    const widths = model.layers.filter((l) => l !== output).map(widthOf).filter((w): w is number => w !== undefined);
    if (widths.every((w) => w === best!.units)) return undefined;
  }
  return best;
}

/** Layers after the output's Dense that keep the number of values (its activation, a normalisation). */
const COUNT_KEEPING_LAYERS = new Set(['Activation', 'BatchNormalization', 'LayerNormalization', 'LeakyReLU', 'PReLU', 'ELU', 'ReLU', 'Softmax', 'ThresholdedReLU']);

/**
 * Whether the model may give back as many values as it takes, as an autoencoder does: false when
 * its last Dense or recurrent layer (followed only by layers that keep the values' count) is
 * known to be narrower or wider than its input, or, with several outputs, when each of them is.
 */
function mayReconstructInput(model: ModelSpec): boolean {
  const dim = inputDim(model);
  // Several outputs (a reconstruction and a classifier's head): any of them may give the input back.
  if (model.outputNames && model.outputNames.length > 1) {
    return model.outputNames.some((name) => {
      const layer = model.layers.find((l) => l.name === name);
      const width = layer ? widthOf(layer) : undefined;
      return width === undefined || dim === undefined || width === dim;
    });
  }
  let last: LayerSpec | undefined;
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i];
    if (PASS_THROUGH_LAYERS.has(layer.className) || COUNT_KEEPING_LAYERS.has(layer.className)) continue;
    last = layer;
    break;
  }
  const width = last ? widthOf(last) : undefined;
  return width === undefined || dim === undefined || width === dim;
}

function product(dims: readonly (number | null)[]): number | undefined {
  let p = 1;
  for (const d of dims) {
    if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0) return undefined;
    p *= d;
  }
  return p;
}

/** Number of input values per sample, where known. */
export function inputDim(model: ModelSpec): number | undefined {
  if (model.inputShape && model.inputShape.length > 0) {
    const p = product(model.inputShape);
    if (p !== undefined) return p;
  }
  const shape = model.data.train?.shape;
  if (shape && shape.length >= 2) {
    const p = product(shape.slice(1));
    if (p !== undefined) return p;
  }
  const first = model.layers[0];
  if (first) {
    const dim = first.config['input_dim'];
    if (typeof dim === 'number') return dim;
    for (const key of ['batch_input_shape', 'batch_shape', 'input_shape', 'shape']) {
      const s = first.config[key];
      if (Array.isArray(s)) {
        const dims = (key.startsWith('batch') ? s.slice(1) : s) as (number | null)[];
        const p = product(dims);
        if (p !== undefined) return p;
      }
    }
  }
  const stats = model.data.train?.stats;
  return stats && stats.length > 0 ? stats.length : undefined;
}

// ---------------------------------------------------------------------------------------
// Data ranges

/** Transforms that keep values (not scaling them). */
const NEUTRAL_TRANSFORMS = new Set(['astype', 'reshape', 'dropna', 'fillna', 'nan_to_num', 'impute', 'rows', 'windows', 'columns']);

/** Whether a transform keeps the values as they are (a cast, a reshape, a NaN fill). */
export function isValueNeutral(t: DataTransform): boolean {
  return NEUTRAL_TRANSFORMS.has(t.kind);
}

/** The last transform that changes values, looking past the neutral ones (and `alsoNeutral`, such as added noise). */
export function lastValueChange(transforms: readonly DataTransform[], alsoNeutral: readonly DataTransform['kind'][] = []): DataTransform | undefined {
  for (let i = transforms.length - 1; i >= 0; i--) {
    const t = transforms[i];
    if (!isValueNeutral(t) && !alsoNeutral.includes(t.kind)) return t;
  }
  return undefined;
}

export interface DataFacts {
  stats: FeatureStats[];
  /** `exact`: from the values; `bounds`: from a random distribution's support; `sampled`: from part of a file; `observed`: measured at fit by running the program. */
  kind: 'exact' | 'sampled' | 'bounds' | 'observed';
  /** Raw literal values after no transforms, when available (for medians and loss floors). */
  values?: number[][];
}

function randomBounds(source: Extract<DataSpec['source'], { kind: 'random' }>): FeatureStats[] | undefined {
  const features = source.shape.length >= 2 ? product(source.shape.slice(1)) : 1;
  if (features === undefined || features > 100_000) return undefined;
  const count = source.shape[0] ?? 0;
  let min: number;
  let max: number;
  let mean: number;
  let std: number;
  switch (source.distribution) {
    case 'rand':
    case 'random':
      min = 0; max = 1; mean = 0.5; std = Math.sqrt(1 / 12);
      break;
    case 'uniform':
    case 'randint': {
      min = source.low ?? 0;
      max = source.high ?? 1;
      if (source.distribution === 'randint' && source.high === undefined) { max = min; min = 0; }
      if (source.distribution === 'randint') max = max - 1;
      mean = (min + max) / 2;
      std = (max - min) / Math.sqrt(12);
      break;
    }
    case 'randn':
    case 'standard_normal':
    case 'normal': {
      mean = source.mean ?? 0;
      std = source.std ?? 1;
      // Over a few thousand draws a normal sample almost surely stays within 4 standard deviations.
      min = mean - 4 * std;
      max = mean + 4 * std;
      break;
    }
    default:
      return undefined;
  }
  const medianAbs = min >= 0 ? (min + max) / 2 : max <= 0 ? -(min + max) / 2 : source.distribution === 'uniform' || source.distribution === 'randint' ? Math.max(max, -min) / 2 : 0.6745 * std;
  const one: FeatureStats = { count, min, max, mean, std, nanCount: 0, infCount: 0, medianAbs };
  return Array.from({ length: features }, () => ({ ...one }));
}

// Several rules ask about the same array in one lint: compute its statistics once.
const FACTS_CACHE = new WeakMap<DataSpec, DataFacts | null>();

/**
 * Per-feature statistics of an array as it reaches the network. Uses the front-end's stats;
 * else computes them from literal values or random bounds when no transform changed them.
 */
export function dataFacts(data: DataSpec | undefined): DataFacts | undefined {
  if (!data) return undefined;
  const cached = FACTS_CACHE.get(data);
  if (cached !== undefined) return cached ?? undefined;
  const facts = computeDataFacts(data);
  FACTS_CACHE.set(data, facts ?? null);
  return facts;
}

function computeDataFacts(data: DataSpec): DataFacts | undefined {
  const untouched = data.transforms.every((t) => NEUTRAL_TRANSFORMS.has(t.kind));
  const literal = data.source.kind === 'literal' && untouched ? data.source.values : undefined;
  if (data.stats && data.stats.length > 0) {
    const values = literal && literal.length > 0 && Array.isArray(literal[0]) ? literal : undefined;
    const stats = values ? data.stats.map((s, i) => ({ ...s, medianAbs: s.medianAbs ?? statsOfRows(values)[i]?.medianAbs })) : data.stats;
    return { stats, kind: data.statsKind ?? 'exact', values };
  }
  if (!untouched) return undefined;
  if (data.source.kind === 'literal' && data.source.values.length > 0) {
    // Columns with no finite value say nothing about ranges.
    return { stats: statsOfRows(data.source.values).filter((s) => s.count > 0), kind: 'exact', values: data.source.values };
  }
  if (data.source.kind === 'random') {
    const stats = randomBounds(data.source);
    return stats ? { stats, kind: 'bounds' } : undefined;
  }
  return undefined;
}

/** True when some transform on the way scales the data (a scaler, a division, a standardisation, a log, a clip). */
export function isScaledOnTheWay(data: DataSpec): boolean {
  return data.transforms.some(
    (t) => t.kind === 'scaler' || t.kind === 'divide' || t.kind === 'log' || t.kind === 'clip' || (t.kind === 'multiply' && typeof t.by === 'number' && Math.abs(t.by) < 1),
  );
}

/**
 * Layers at the model's input that rescale what comes in: `Normalization`, `Rescaling`,
 * `BatchNormalization` first, or a Lambda (an operation in the graph: `inputs / 255.0`) that
 * divides its input by a number over 1 or multiplies it by one under 1.
 */
export function inputScalingLayer(model: ModelSpec): LayerSpec | undefined {
  for (const layer of model.layers) {
    if (layer.className === 'InputLayer' || PASS_THROUGH_LAYERS.has(layer.className)) continue;
    if (layer.className === 'Normalization' || layer.className === 'Rescaling' || layer.className === 'BatchNormalization' || layer.className === 'LayerNormalization') return layer;
    if (layer.className === 'Lambda' && layer.expression && shrinks(layer.expression)) return layer;
    return undefined;
  }
  return undefined;
}

/** An expression with a division by a number over 1 in magnitude, or a product with one under 1. */
function shrinks(expr: TensorExpr): boolean {
  const constant = (e: TensorExpr): number | undefined => (e.op === 'const' ? Math.abs(e.value) : undefined);
  if (expr.op === 'div' && (constant(expr.b) ?? 0) > 1) return true;
  if (expr.op === 'mul' && [constant(expr.a), constant(expr.b)].some((c) => c !== undefined && c > 0 && c < 1)) return true;
  if ('a' in expr) return shrinks(expr.a) || shrinks(expr.b);
  return 'x' in expr ? shrinks(expr.x) : false;
}

export function maxAbs(s: FeatureStats): number {
  return Math.max(Math.abs(s.min), Math.abs(s.max));
}

export interface UnscaledFeature {
  index: number;
  stats: FeatureStats;
  maxAbs: number;
}

/** The feature reaching furthest outside ±limit, or undefined when all stay inside. */
export function worstUnscaledFeature(stats: readonly FeatureStats[], limit: number): UnscaledFeature | undefined {
  let worst: UnscaledFeature | undefined;
  stats.forEach((s, index) => {
    if (!Number.isFinite(s.min) || !Number.isFinite(s.max)) return;
    const m = maxAbs(s);
    if (m > limit && (!worst || m > worst.maxAbs)) worst = { index, stats: s, maxAbs: m };
  });
  return worst;
}

/** Whether the data looks like 8-bit image pixels (0-255). */
export function looksLikePixels(data: DataSpec, stats: readonly FeatureStats[]): boolean {
  const inRange = stats.every((s) => s.min >= 0 && s.max <= 255);
  const big = stats.some((s) => s.max > 1);
  const imageShaped = (data.shape?.length ?? 0) >= 3 || stats.length >= 64;
  return inRange && big && imageShaped;
}

/** The unscaled inputs of a model: train data reaching the network without scaling, with stats. */
export function unscaledTrainInput(model: ModelSpec, limit: number): { data: DataSpec; facts: DataFacts; worst: UnscaledFeature } | undefined {
  const data = model.data.train;
  if (!data) return undefined;
  if (inputScalingLayer(model)) return undefined;
  const facts = dataFacts(data);
  if (!facts) return undefined;
  // Stats that the front-end computed after a scaler describe the scaled values, so they can be trusted as is.
  if (!data.stats && isScaledOnTheWay(data)) return undefined;
  const worst = worstUnscaledFeature(facts.stats, limit);
  return worst ? { data, facts, worst } : undefined;
}

/**
 * A regression target that is not the input (an LSTM forecasting prices, not an autoencoder)
 * passed to fit unscaled, with a linear (unbounded) output to chase it. A bounded output is
 * NAN201's case; targets equal to the input are the input's.
 */
export function unscaledRegressionTarget(model: ModelSpec, limit: number): { data: DataSpec; facts: DataFacts; worst: UnscaledFeature } | undefined {
  const target = model.data.target;
  const train = model.data.train;
  if (!target || !train || target === train || target.name === train.name) return undefined;
  const out = outputActivation(model);
  if (!out || out.range.high !== null) return undefined;
  const facts = dataFacts(target);
  if (!facts) return undefined;
  if (!target.stats && isScaledOnTheWay(target)) return undefined;
  const worst = worstUnscaledFeature(facts.stats, limit);
  return worst ? { data: target, facts, worst } : undefined;
}

// ---------------------------------------------------------------------------------------
// Words and numbers

/** 1000 -> "1000", 2332285 -> "2.33e6", 0.000123 -> "1.23e-4", 0.5 -> "0.5". */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const a = Math.abs(n);
  if (a >= 1e6 || a < 1e-3) {
    const [mant, exp] = n.toExponential(2).split('e');
    return `${String(Number(mant))}e${Number(exp)}`;
  }
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(3)));
}

/** A ratio as people say it: 1000x, 12x, 2.5x. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return 'infinitely';
  if (r >= 10) return `${fmt(Math.round(r))}x`;
  return `${String(Number(r.toPrecision(2)))}x`;
}

export function range(s: FeatureStats): string {
  return `${fmt(s.min)}-${fmt(s.max)}`;
}

export function featureName(s: FeatureStats, index: number): string {
  return s.name ? `feature ${index} ('${s.name}')` : `feature ${index}`;
}

export function where(location: SourceLocation): string {
  return `${location.path}:${location.range.start.line + 1}`;
}

/** "from config.json:3 (key 'learning_rate')", "set at model.py:12", "Keras's default". */
export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'literal':
      return `set at ${where(origin.location)}`;
    case 'config':
      return `from ${where(origin.location)} (key '${origin.key}')`;
    case 'default':
      return origin.note ? `(${origin.note})` : "(Keras's default)";
    case 'inferred':
      return origin.location ? `(${origin.note}, ${where(origin.location)})` : `(${origin.note})`;
  }
}

/** The location to anchor a finding about an origin: its literal or config place, if it has one. */
export function originLocation(origin: Origin | undefined): SourceLocation | undefined {
  if (!origin) return undefined;
  if (origin.kind === 'literal' || origin.kind === 'config') return origin.location;
  if (origin.kind === 'inferred') return origin.location;
  return undefined;
}

/** The best anchor for a finding about the model as a whole. */
export function modelAnchor(model: ModelSpec): SourceLocation | undefined {
  return model.location ?? model.compile?.location ?? model.fit?.location ?? model.layers.find((l) => l.location)?.location;
}

export function layerAnchor(model: ModelSpec, layer: LayerSpec): SourceLocation | undefined {
  return layer.location ?? modelAnchor(model);
}

export function fitAnchor(model: ModelSpec): SourceLocation | undefined {
  return model.fit?.location ?? model.compile?.location ?? modelAnchor(model);
}

export function fitRelated(model: ModelSpec, what: string): RelatedInformation[] {
  const fit = model.fit?.location;
  return fit ? [{ location: fit, message: what }] : [];
}

const CONV = /^Conv\d?D(Transpose)?$/;

export function hasConvLayers(model: ModelSpec): boolean {
  return model.layers.some((l) => CONV.test(l.className));
}

/** Conv autoencoders on 0-255 images are NAN208's case, with the pixel-specific fix. */
export function pixelTargets(model: ModelSpec): boolean {
  const target = model.data.target ?? model.data.train;
  const facts = dataFacts(target);
  return !!target && !!facts && hasConvLayers(model) && looksLikePixels(target, facts.stats);
}
