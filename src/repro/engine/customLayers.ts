/**
 * Keras layers that tfjs-layers 4.22 lacks, registered with its serialization so that
 * `modelFromJSON` builds them from the plan's topology:
 *
 * - `Conv1DTranspose`: Keras's transposed 1-D convolution, computed as tfjs's `conv2dTranspose`
 *   on an added height axis of 1. The kernel has Keras's layout, (kernel_size, filters,
 *   input channels), so that weights move between the two unchanged.
 * - `NanguardLambda`: a Keras `Lambda` layer (or a custom layer's `call`, such as a VAE's
 *   `Sampling`) whose function the analysis translated into tensor operations
 *   (core/tensorExpr.ts), evaluated with TensorFlow.js operations; its Gaussian noise is drawn
 *   afresh at each call, from the run's seeded stream.
 * - `UpSampling1D`, `ZeroPadding1D`, `Cropping1D`, `SpatialDropout2D`: Keras's, which tfjs lacks.
 * - `NanguardELU`, `NanguardReLU`: Keras's ELU and ReLU layers with all their arguments (tfjs's
 *   refuse an ELU alpha other than 1 and have no ReLU `negative_slope` or `threshold`).
 * - `NanguardLayerNormalization`: Keras's, with broadcasting where tfjs's tiles (slow gradients).
 */
import type { Conv1D } from '@tensorflow/tfjs-layers/dist/layers/convolutional';
import { exprLayerWeights, exprOutputShapeOf, exprWeights, type TensorExpr } from '../../core/tensorExpr';
import { evaluateExpr, type LayerWeights } from './expr';
import { tf, tfl } from './tf';

type Shape = (number | null)[];

/** Conv1D's class (not exported by tfjs-layers' public API, but reachable through an instance). */
const Conv1DClass = Object.getPrototypeOf(tfl.layers.conv1d({ filters: 1, kernelSize: 1 })).constructor as new (args: Record<string, unknown>) => Conv1D;

/** The fields of tfjs-layers' convolution base that the transposed layer reads. */
interface ConvFields {
  filters: number;
  kernelSize: number[];
  strides: number[];
  padding: string;
  useBias: boolean;
  kernel: tfl.LayerVariable | null;
  bias: tfl.LayerVariable | null;
  activation: { apply(x: tf.Tensor): tf.Tensor } | null;
  kernelInitializer: unknown;
  kernelRegularizer: unknown;
  kernelConstraint: unknown;
  biasInitializer: unknown;
  biasRegularizer: unknown;
  biasConstraint: unknown;
  inputSpec: unknown[];
  built: boolean;
}

/** Keras's `deconv_output_length` without output padding (as tfjs's `deconvLength`). */
function deconvLength(size: number | null, stride: number, kernel: number, padding: string): number | null {
  if (size === null) return null;
  return padding === 'valid' ? size * stride + Math.max(kernel - stride, 0) : size * stride;
}

export class Conv1DTranspose extends Conv1DClass {
  static className = 'Conv1DTranspose';

  constructor(args: Record<string, unknown>) {
    super(args);
    const self = this as unknown as ConvFields;
    if (self.padding !== 'same' && self.padding !== 'valid') throw new Error(`Conv1DTranspose supports only padding 'same' and 'valid', not '${self.padding}'`);
  }

  override getClassName(): string {
    return 'Conv1DTranspose';
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const self = this as unknown as ConvFields & { addWeight: (...args: unknown[]) => tfl.LayerVariable };
    const inputDim = shape[shape.length - 1];
    if (shape.length !== 3 || inputDim === null) throw new Error(`Conv1DTranspose expects inputs of shape (batch, steps, channels) with known channels, not ${JSON.stringify(shape)}`);
    // Keras's kernel layout: (kernel_size, filters, input channels).
    self.kernel = self.addWeight('kernel', [self.kernelSize[0], self.filters, inputDim], 'float32', self.kernelInitializer, self.kernelRegularizer, true, self.kernelConstraint);
    if (self.useBias) self.bias = self.addWeight('bias', [self.filters], 'float32', self.biasInitializer, self.biasRegularizer, true, self.biasConstraint);
    self.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const self = this as unknown as ConvFields;
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [batch, steps] = x.shape;
      const length = deconvLength(steps, self.strides[0], self.kernelSize[0], self.padding) as number;
      const x4 = tf.expandDims(x, 1) as tf.Tensor4D;
      const kernel4 = tf.expandDims(self.kernel!.read(), 0) as tf.Tensor4D;
      let out: tf.Tensor = tf.conv2dTranspose(x4, kernel4, [batch, 1, length, self.filters], [1, self.strides[0]], self.padding as 'same' | 'valid');
      out = tf.squeeze(out, [1]);
      if (self.bias) out = tf.add(out, self.bias.read());
      return self.activation ? self.activation.apply(out) : out;
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const self = this as unknown as ConvFields;
    return [shape[0], deconvLength(shape[1], self.strides[0], self.kernelSize[0], self.padding), self.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config = super.getConfig();
    delete config['dilationRate'];
    return config;
  }
}
// Conv1D's static `fromConfig` is inherited at run time; its type came through an instance and does not show it.
tf.serialization.registerClass(Conv1DTranspose as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** A name as tfjs's deserialization turns snake_case strings (tfjs-layers' toCamelCase). */
function camelCased(name: string): string {
  return name.length <= 1 || !name.includes('_') ? name : name.replace(/[_]+(\w|$)/g, (_, c: string) => c.toUpperCase());
}

/** BatchNormalization's class (reached through an instance, as Conv1D's). */
const BatchNormalizationClass = Object.getPrototypeOf(tfl.layers.batchNormalization({})).constructor as new (args: Record<string, unknown>) => tfl.layers.Layer;

/**
 * A frozen BatchNormalization (`trainable=False`, or in a frozen model): Keras (TensorFlow 2 and
 * Keras 3) runs it in inference mode even while training, normalizing with its moving mean and
 * variance, which it never updates; tfjs-layers would normalize with the batch's and update them.
 */
export class FrozenBatchNormalization extends BatchNormalizationClass {
  static className = 'NanguardFrozenBatchNormalization';

  override getClassName(): string {
    return 'NanguardFrozenBatchNormalization';
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    return super.call(inputs, { ...kwargs, training: false });
  }
}
// BatchNormalization's static `fromConfig` is inherited at run time.
tf.serialization.registerClass(FrozenBatchNormalization as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** Op names as tfjs's deserialization leaves them: it turns snake_case strings to camelCase. */
function restoreOps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restoreOps);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === 'op' && typeof v === 'string' ? v.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : restoreOps(v);
    return out;
  }
  return value;
}

/**
 * One input of a model of several, cut out of the flat row the training loop feeds (topology.ts
 * `withOneInput`): the `offset`-th value on, as many as its shape holds, in that shape.
 */
export class NanguardInputSlice extends tfl.layers.Layer {
  static className = 'NanguardInputSlice';
  readonly offset: number;
  readonly shape: number[];

  constructor(args: { offset: number; shape: number[]; name?: string; trainable?: boolean; dtype?: tf.DataType }) {
    super(args);
    this.offset = args.offset;
    this.shape = args.shape;
  }

  override getClassName(): string {
    return 'NanguardInputSlice';
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const width = this.shape.reduce((a, b) => a * b, 1);
    return tf.tidy(() => tf.reshape(tf.slice(x, [0, this.offset], [-1, width]), [-1, ...this.shape]));
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const first = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [first[0], ...this.shape];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), offset: this.offset, shape: this.shape };
  }
}
tf.serialization.registerClass(NanguardInputSlice);

export class NanguardLambda extends tfl.layers.Layer {
  static className = 'NanguardLambda';
  readonly expression: TensorExpr;

  constructor(args: { expression: TensorExpr; name?: string; trainable?: boolean; dtype?: tf.DataType; batchInputShape?: tfl.Shape }) {
    super(args);
    this.expression = restoreOps(args.expression) as TensorExpr;
  }

  override getClassName(): string {
    return 'NanguardLambda';
  }

  /** A custom layer's own weights (its `add_weight`s), in the order of their index. */
  private ownWeights: tfl.LayerVariable[] = [];

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    this.ownWeights = exprWeights(this.expression).map((w) => this.addWeight(w.name, w.shape, 'float32', kerasInitializer(w.initializer), undefined, true));
    super.build(inputShape);
  }

  /** Other layers' weights the expression reads (a tied decoder's `self.dense.weights[0]`), bound once the model is built (bindLayerWeights). */
  layerWeights?: LayerWeights;

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    // A Lambda applied to a list of tensors (`Lambda(sampling)([z_mean, z_log_var])`) reads them as arguments 0, 1, ...
    return tf.tidy(() => evaluateExpr(this.expression, Array.isArray(inputs) ? inputs : [inputs], this.ownWeights.map((w) => w.read()), this.layerWeights));
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    return exprOutputShapeOf(this.expression, shapes) ?? shapes[0];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), expression: this.expression as unknown as tf.serialization.ConfigDictValue };
  }
}
tf.serialization.registerClass(NanguardLambda);

/**
 * Gives each custom layer that reads another layer's weights (a tied-weights autoencoder's
 * `DenseTranspose`) those weights, the very variables the other layer trains, so that the
 * gradients of both uses add up as in Keras. The problem, in words, when the model has no layer of
 * that name or that weight is not of the shape the analysis worked out; undefined when all are bound.
 */
export function bindLayerWeights(layers: readonly tfl.layers.Layer[]): string | undefined {
  for (const lambda of layers) {
    if (!(lambda instanceof NanguardLambda)) continue;
    const wanted = exprLayerWeights(lambda.expression);
    if (wanted.length === 0) continue;
    const found = new Map<string, tfl.LayerVariable>();
    for (const w of wanted) {
      // The name went through tfjs's deserialization with the expression, which camel-cases strings (`dense_1` -> `dense1`).
      const owner = layers.find((l) => l.name === w.layer) ?? layers.find((l) => camelCased(l.name) === w.layer);
      if (!owner) return `${lambda.name} reads the ${w.weight} of ${w.layer}, which is not a layer of the model trained`;
      const variable = owner.weights.find((v) => v.originalName.split('/').pop() === w.weight);
      if (!variable) return `${lambda.name} reads the ${w.weight} of ${w.layer}, which has none`;
      if (JSON.stringify(variable.shape) !== JSON.stringify(w.shape)) return `${lambda.name} reads the ${w.weight} of ${w.layer} as of shape [${w.shape.join(', ')}], but it is [${variable.shape.join(', ')}]`;
      found.set(`${w.layer}/${w.weight}`, variable);
    }
    lambda.layerWeights = (layer, weight) => found.get(`${layer}/${weight}`)?.read();
  }
  return undefined;
}

/**
 * A Keras initializer by the name `add_weight` is given (Keras 2's and 3's names; tfjs-layers'
 * defaults for the random ones are Keras's: a spread of 0.05). Math.random, which these draw from,
 * is seeded by the run.
 */
function kerasInitializer(name: string): ReturnType<typeof tfl.initializers.zeros> {
  switch (name.replace(/[_\s]/g, '').toLowerCase()) {
    case 'zeros':
    case 'zero':
      return tfl.initializers.zeros();
    case 'ones':
    case 'one':
      return tfl.initializers.ones();
    case 'glorotnormal':
    case 'xaviernormal':
      return tfl.initializers.glorotNormal({});
    case 'henormal':
      return tfl.initializers.heNormal({});
    case 'heuniform':
      return tfl.initializers.heUniform({});
    case 'lecunnormal':
      return tfl.initializers.leCunNormal({});
    case 'lecununiform':
      return tfl.initializers.leCunUniform({});
    case 'randomnormal':
    case 'normal':
      return tfl.initializers.randomNormal({});
    case 'randomuniform':
    case 'uniform':
      return tfl.initializers.randomUniform({});
    case 'truncatednormal':
      return tfl.initializers.truncatedNormal({});
    case 'orthogonal':
      return tfl.initializers.orthogonal({});
    default:
      return tfl.initializers.glorotUniform({});
  }
}

/** Keras's `leaky_relu` activation (negative slope 0.2), which tfjs-layers lacks as an activation (it has the layer). */
class LeakyReluActivation extends tf.serialization.Serializable {
  static className = 'leakyRelu';
  override getClassName(): string {
    return 'leakyRelu';
  }
  apply(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(x, 0.2);
  }
  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
tf.serialization.registerClass(LeakyReluActivation);

function firstShape(inputShape: tfl.Shape | tfl.Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}

function firstInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** A pair `(before, after)` from Keras's `padding=2` / `cropping=(1, 2)`. */
function pair(value: unknown, fallback: number): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  return [fallback, fallback];
}

/** Keras's `UpSampling1D`: each step repeated `size` times (`ops.repeat(x, size, axis=1)`). */
export class UpSampling1D extends tfl.layers.Layer {
  static className = 'UpSampling1D';
  readonly size: number;
  constructor(args: { size?: number | number[]; name?: string; trainable?: boolean; dtype?: tf.DataType; batchInputShape?: tfl.Shape }) {
    super(args);
    this.size = Array.isArray(args.size) ? args.size[0] : args.size ?? 2;
  }
  override getClassName(): string {
    return 'UpSampling1D';
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = firstInput(inputs);
      const [batch, steps, channels] = x.shape;
      return tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, this.size, 1]), [batch, steps * this.size, channels]);
    });
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = firstShape(inputShape);
    return [shape[0], shape[1] === null ? null : shape[1] * this.size, shape[2]];
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}
tf.serialization.registerClass(UpSampling1D);

/** Keras's `ZeroPadding1D` (zeros before and after the steps) and `Cropping1D` (steps cut off both ends). */
abstract class StepEdges extends tfl.layers.Layer {
  readonly edges: [number, number];
  constructor(args: { padding?: unknown; cropping?: unknown; name?: string; trainable?: boolean; dtype?: tf.DataType; batchInputShape?: tfl.Shape }, key: 'padding' | 'cropping') {
    super(args);
    this.edges = pair(args[key], 1);
  }
  protected abstract readonly sign: 1 | -1;
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = firstShape(inputShape);
    return [shape[0], shape[1] === null ? null : shape[1] + this.sign * (this.edges[0] + this.edges[1]), shape[2]];
  }
}

export class ZeroPadding1D extends StepEdges {
  static className = 'ZeroPadding1D';
  protected readonly sign = 1;
  constructor(args: { padding?: unknown; name?: string; trainable?: boolean; dtype?: tf.DataType; batchInputShape?: tfl.Shape }) {
    super(args, 'padding');
  }
  override getClassName(): string {
    return 'ZeroPadding1D';
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.pad(firstInput(inputs), [[0, 0], this.edges, [0, 0]]));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.edges };
  }
}
tf.serialization.registerClass(ZeroPadding1D);

export class Cropping1D extends StepEdges {
  static className = 'Cropping1D';
  protected readonly sign = -1;
  constructor(args: { cropping?: unknown; name?: string; trainable?: boolean; dtype?: tf.DataType; batchInputShape?: tfl.Shape }) {
    super(args, 'cropping');
  }
  override getClassName(): string {
    return 'Cropping1D';
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = firstInput(inputs);
      return tf.slice(x, [0, this.edges[0], 0], [-1, (x.shape[1] ?? 0) - this.edges[0] - this.edges[1], -1]);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), cropping: this.edges };
  }
}
tf.serialization.registerClass(Cropping1D);

/**
 * Keras's `SpatialDropout2D` (channels last): whole feature maps dropped, one draw per sample and
 * channel, the kept ones scaled by 1 / (1 - rate); the identity in inference.
 */
export class SpatialDropout2D extends tfl.layers.Layer {
  static className = 'SpatialDropout2D';
  readonly rate: number;
  readonly seed: number | undefined;
  constructor(args: { rate: number; seed?: number; name?: string; trainable?: boolean; dtype?: tf.DataType; batchInputShape?: tfl.Shape }) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed;
  }
  override getClassName(): string {
    return 'SpatialDropout2D';
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = firstInput(inputs);
    if (kwargs?.training !== true || this.rate <= 0) return tf.clone(x);
    return tf.tidy(() => tf.dropout(x, this.rate, [x.shape[0] ?? 1, 1, 1, x.shape[3] ?? 1]));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
tf.serialization.registerClass(SpatialDropout2D);

/**
 * Keras 3's `Flatten`, which takes an input of any rank from 2 (a Flatten after Dense layers gives
 * their output back); tfjs-layers' asks for 3 or more and fails to build such a model.
 */
export class NanguardFlatten extends tfl.layers.Layer {
  static className = 'NanguardFlatten';
  override getClassName(): string {
    return 'NanguardFlatten';
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const rest = shape.slice(1);
    return [shape[0], rest.every((d) => d !== null) ? (rest as number[]).reduce((a, b) => a * b, 1) : null];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = firstInput(inputs);
      return x.rank === 2 ? x.clone() : tf.reshape(x, [x.shape[0], -1]);
    });
  }
}
tf.serialization.registerClass(NanguardFlatten);

/**
 * Keras's `ELU` layer with its `alpha` (tfjs-layers' ELU refuses any alpha but 1):
 * `x` above 0, `alpha * (exp(x) - 1)` below.
 */
export class NanguardELU extends tfl.layers.Layer {
  static className = 'NanguardELU';
  readonly alpha: number;
  constructor(args: { alpha?: number; name?: string; trainable?: boolean; dtype?: tf.DataType; batchInputShape?: tfl.Shape }) {
    super(args);
    this.alpha = args.alpha ?? 1;
    this.supportsMasking = true;
  }
  override getClassName(): string {
    return 'NanguardELU';
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = firstInput(inputs);
      return tf.add(tf.relu(x), tf.mul(tf.minimum(tf.elu(x), 0), this.alpha));
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
tf.serialization.registerClass(NanguardELU);

/**
 * Keras's `ReLU` layer with all its arguments (tfjs-layers' has `max_value` only), as Keras's
 * `relu`: values above `threshold` pass (clipped at `max_value`), those below are
 * `negative_slope * (x - threshold)`.
 */
export class NanguardReLU extends tfl.layers.Layer {
  static className = 'NanguardReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  constructor(args: { maxValue?: number | null; negativeSlope?: number; threshold?: number; name?: string; trainable?: boolean; dtype?: tf.DataType; batchInputShape?: tfl.Shape }) {
    super(args);
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    this.supportsMasking = true;
  }
  override getClassName(): string {
    return 'NanguardReLU';
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = firstInput(inputs);
      let positive: tf.Tensor = this.threshold !== 0 ? tf.mul(x, tf.cast(tf.greater(x, this.threshold), 'float32')) : tf.relu(x);
      if (this.maxValue !== null) positive = tf.minimum(positive, this.maxValue);
      if (this.negativeSlope === 0) return positive;
      return tf.sub(positive, tf.mul(tf.relu(tf.sub(this.threshold, x)), this.negativeSlope));
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}
tf.serialization.registerClass(NanguardReLU);

/** LayerNormalization's class (not exported by tfjs-layers' public API, but reachable through an instance). */
const LayerNormalizationClass = Object.getPrototypeOf(tfl.layers.layerNormalization({})).constructor as new (args: Record<string, unknown>) => tfl.layers.Layer;

/**
 * Keras's `LayerNormalization`, computed as Keras 3 computes it (`x * inv + (beta - mean * inv)`,
 * `inv = rsqrt(variance + epsilon) * gamma`) with broadcasting. tfjs-layers' own tiles the mean,
 * variance, gamma and beta to the input's whole shape, four copies of it a step, and tfjs's gradient
 * of a tile was one slice a repetition (engine/tf.ts now sums them in one reduction): on a conv
 * layer's output of 32x32x8 in batches of 32, one step took about a minute.
 */
export class NanguardLayerNormalization extends LayerNormalizationClass {
  static className = 'NanguardLayerNormalization';
  readonly rmsScaling: boolean;
  constructor(args: Record<string, unknown>) {
    const { rmsScaling, ...rest } = args;
    super(rest);
    this.rmsScaling = rmsScaling === true;
  }
  override getClassName(): string {
    return 'NanguardLayerNormalization';
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rmsScaling: this.rmsScaling };
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const fields = this as unknown as { axis: number[]; epsilon: number; gamma: tfl.LayerVariable | null; beta: tfl.LayerVariable | null };
    return tf.tidy(() => {
      const x = firstInput(inputs);
      const rank = x.shape.length;
      const broadcastShape = x.shape.map((size, axis) => (fields.axis.includes(axis) ? size : 1));
      const broadcast = (v: tf.Tensor): tf.Tensor => (v.rank === rank ? v : tf.reshape(v, broadcastShape));
      const { mean, variance } = tf.moments(x, fields.axis, true);
      let inv: tf.Tensor = tf.rsqrt(tf.add(variance, fields.epsilon));
      if (fields.gamma !== null) inv = tf.mul(inv, broadcast(fields.gamma.read()));
      // Keras 3's `rms_scaling=True`: scaled by the variance's root alone, neither centred nor offset.
      if (this.rmsScaling) return tf.mul(x, inv);
      let rest: tf.Tensor = tf.neg(tf.mul(mean, inv));
      if (fields.beta !== null) rest = tf.add(rest, broadcast(fields.beta.read()));
      return tf.add(tf.mul(x, inv), rest);
    });
  }
}
tf.serialization.registerClass(NanguardLayerNormalization as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

type KerasInitializer = ReturnType<typeof tfl.initializers.zeros>;

/** An initializer as tfjs-layers makes one from a config (`{className, config}`) or a name, borrowed from a Dense layer's constructor. */
function initializerFrom(identifier: unknown, fallback: string): KerasInitializer {
  const dense = tfl.layers.dense({ units: 1, kernelInitializer: (identifier ?? fallback) as 'glorotUniform' });
  return (dense as unknown as { kernelInitializer: KerasInitializer }).kernelInitializer;
}

/**
 * Keras's MultiHeadAttention (tfjs-layers has none), over sequences (batch, steps, features):
 * query, key and value projected per head (EinsumDense kernels of shape (features, heads,
 * key_dim) and biases (heads, key_dim), Keras's weights and layout), scores `softmax(q k^T /
 * sqrt(key_dim))` over the key's steps (a causal mask when `use_causal_mask`), dropout on them in
 * training, and the heads' values projected back by a kernel (heads, value_dim, output width).
 * Called on `[query, value]` or `[query, value, key]`, as `mha(query, value, key)` is.
 */
export class NanguardMultiHeadAttention extends tfl.layers.Layer {
  static className = 'NanguardMultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputWidth: number | null;
  readonly causal: boolean;
  readonly seed: number | undefined;
  private readonly kernelInitializer: KerasInitializer;
  private readonly biasInitializer: KerasInitializer;
  private projections: { kernel: tfl.LayerVariable; bias: tfl.LayerVariable | null }[] = [];

  constructor(args: Record<string, unknown>) {
    super(args);
    this.numHeads = Number(args.numHeads);
    this.keyDim = Number(args.keyDim);
    this.valueDim = typeof args.valueDim === 'number' ? args.valueDim : this.keyDim;
    this.dropout = typeof args.dropout === 'number' ? args.dropout : 0;
    this.useBias = args.useBias !== false;
    this.outputWidth = typeof args.outputShape === 'number' ? args.outputShape : Array.isArray(args.outputShape) && typeof args.outputShape[0] === 'number' ? args.outputShape[0] : null;
    this.causal = args.useCausalMask === true;
    this.seed = typeof args.seed === 'number' ? args.seed : undefined;
    this.kernelInitializer = initializerFrom(args.kernelInitializer, 'glorotUniform');
    this.biasInitializer = initializerFrom(args.biasInitializer, 'zeros');
  }

  override getClassName(): string {
    return 'NanguardMultiHeadAttention';
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const width = (s: Shape | undefined): number => {
      const last = s?.[s.length - 1];
      if (s?.length !== 3 || typeof last !== 'number') throw new Error(`MultiHeadAttention is reproduced over sequences (batch, steps, features) of known features, not ${JSON.stringify(s)}`);
      return last;
    };
    const query = width(shapes[0]);
    const value = width(shapes[1] ?? shapes[0]);
    const key = width(shapes[2] ?? shapes[1] ?? shapes[0]);
    const projection = (name: string, shape: number[], biasShape: number[]) => ({
      kernel: this.addWeight(`${name}/kernel`, shape, 'float32', this.kernelInitializer, undefined, true),
      bias: this.useBias ? this.addWeight(`${name}/bias`, biasShape, 'float32', this.biasInitializer, undefined, true) : null,
    });
    // Keras's order: query, key, value, then the output's.
    this.projections = [
      projection('query', [query, this.numHeads, this.keyDim], [this.numHeads, this.keyDim]),
      projection('key', [key, this.numHeads, this.keyDim], [this.numHeads, this.keyDim]),
      projection('value', [value, this.numHeads, this.valueDim], [this.numHeads, this.valueDim]),
      projection('attention_output', [this.numHeads, this.valueDim, this.outputWidth ?? query], [this.outputWidth ?? query]),
    ];
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const [query, value, key = value] = Array.isArray(inputs) ? (inputs.length > 1 ? inputs : [inputs[0], inputs[0]]) : [inputs, inputs];
      const [q, k, v, out] = this.projections;
      // (batch, steps, features) through a kernel (features, heads, dim): (batch, heads, steps, dim).
      const heads = (x: tf.Tensor, p: typeof q, dim: number): tf.Tensor => {
        const [batch, steps, features] = x.shape;
        let projected = tf.matMul(tf.reshape(x, [batch * steps, features]), tf.reshape(p.kernel.read(), [features, this.numHeads * dim]));
        if (p.bias) projected = tf.add(projected, tf.reshape(p.bias.read(), [this.numHeads * dim]));
        return tf.transpose(tf.reshape(projected, [batch, steps, this.numHeads, dim]), [0, 2, 1, 3]);
      };
      const qh = tf.mul(heads(query, q, this.keyDim), 1 / Math.sqrt(this.keyDim));
      const kh = heads(key, k, this.keyDim);
      const vh = heads(value, v, this.valueDim);
      let scores: tf.Tensor = tf.matMul(qh, kh, false, true);
      if (this.causal) {
        const [targetSteps, sourceSteps] = [scores.shape[2] as number, scores.shape[3] as number];
        const allowed = tf.linalg.bandPart(tf.ones([targetSteps, sourceSteps]), -1, 0);
        // Keras's masked softmax: the masked scores pushed to -1e9 before it.
        scores = tf.add(scores, tf.mul(tf.sub(1, allowed), -1e9));
      }
      let weights: tf.Tensor = tf.softmax(scores, -1);
      if (kwargs.training === true && this.dropout > 0) weights = tf.dropout(weights, this.dropout, undefined, this.seed);
      const [batch, , steps] = weights.shape as number[];
      const context = tf.reshape(tf.transpose(tf.matMul(weights, vh), [0, 2, 1, 3]), [batch * steps, this.numHeads * this.valueDim]);
      const width = out.kernel.shape[2] as number;
      let projected = tf.matMul(context, tf.reshape(out.kernel.read(), [this.numHeads * this.valueDim, width]));
      if (out.bias) projected = tf.add(projected, out.bias.read());
      return tf.reshape(projected, [batch, steps, width]);
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const query = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...query.slice(0, -1), this.outputWidth ?? query[query.length - 1]];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, dropout: this.dropout, useBias: this.useBias, outputShape: this.outputWidth, useCausalMask: this.causal };
  }
}
tf.serialization.registerClass(NanguardMultiHeadAttention);

/** The fields of tfjs-layers' GRUCell that the reset-after cell reads. */
interface GruCellFields {
  units: number;
  useBias: boolean;
  dropout: number;
  recurrentDropout: number;
  dropoutMask: tf.Tensor[] | null;
  recurrentDropoutMask: tf.Tensor[] | null;
  kernel: tfl.LayerVariable;
  recurrentKernel: tfl.LayerVariable;
  bias: tfl.LayerVariable | null;
  activation: { apply(x: tf.Tensor): tf.Tensor };
  recurrentActivation: { apply(x: tf.Tensor): tf.Tensor };
  kernelInitializer: unknown;
  recurrentInitializer: unknown;
  biasInitializer: unknown;
  kernelRegularizer: unknown;
  recurrentRegularizer: unknown;
  biasRegularizer: unknown;
  kernelConstraint: unknown;
  recurrentConstraint: unknown;
  biasConstraint: unknown;
  built: boolean;
  addWeight: (...args: unknown[]) => tfl.LayerVariable;
}

const GRUCellClass = Object.getPrototypeOf(tfl.layers.gruCell({ units: 1 })).constructor as new (args: Record<string, unknown>) => tfl.layers.Layer;
const GRUClass = Object.getPrototypeOf(tfl.layers.gru({ units: 1 })).constructor as new (args: Record<string, unknown>) => tfl.layers.Layer;

/**
 * Keras 3's GRU cell with `reset_after=True` (its default; tfjs-layers has only
 * `reset_after=False`): the reset gate multiplies the recurrent candidate after the recurrent
 * kernel, and the bias has two rows, one added to the input's product and one to the state's.
 * Dropout masks as tfjs-layers' cell draws them (one per sample for the input and the state).
 */
class ResetAfterGRUCell extends GRUCellClass {
  static className = 'NanguardResetAfterGRUCell';

  constructor(args: Record<string, unknown>) {
    super({ ...args, resetAfter: false });
  }

  override getClassName(): string {
    return 'NanguardResetAfterGRUCell';
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = firstShape(inputShape);
    const self = this as unknown as GruCellFields;
    const inputDim = shape[shape.length - 1] as number;
    self.kernel = self.addWeight('kernel', [inputDim, self.units * 3], null, self.kernelInitializer, self.kernelRegularizer, true, self.kernelConstraint);
    self.recurrentKernel = self.addWeight('recurrent_kernel', [self.units, self.units * 3], null, self.recurrentInitializer, self.recurrentRegularizer, true, self.recurrentConstraint);
    self.bias = self.useBias ? self.addWeight('bias', [2, self.units * 3], null, self.biasInitializer, self.biasRegularizer, true, self.biasConstraint) : null;
    self.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor[] {
    return tf.tidy(() => {
      const self = this as unknown as GruCellFields;
      const [input, state] = inputs as tf.Tensor[];
      const training = kwargs?.training === true;
      const dropped = (x: tf.Tensor, rate: number, masks: tf.Tensor[] | null, store: (m: tf.Tensor[]) => void): tf.Tensor => {
        if (!(rate > 0 && rate < 1) || !training) return x;
        const mask = masks ?? [tf.keep(tf.dropout(tf.onesLike(x), rate))];
        if (!masks) store(mask);
        return tf.mul(x, mask[0]);
      };
      const x = dropped(input, self.dropout, self.dropoutMask, (m) => (self.dropoutMask = m));
      const h = dropped(state, self.recurrentDropout, self.recurrentDropoutMask, (m) => (self.recurrentDropoutMask = m));
      const biases = self.bias ? tf.unstack(self.bias.read()) : null;
      let matrixX: tf.Tensor = tf.matMul(x, self.kernel.read());
      let matrixInner: tf.Tensor = tf.matMul(h, self.recurrentKernel.read());
      if (biases) {
        matrixX = tf.add(matrixX, biases[0]);
        matrixInner = tf.add(matrixInner, biases[1]);
      }
      const [xZ, xR, xH] = tf.split(matrixX, 3, -1);
      const [recurrentZ, recurrentR, recurrentH] = tf.split(matrixInner, 3, -1);
      const z = self.recurrentActivation.apply(tf.add(xZ, recurrentZ));
      const r = self.recurrentActivation.apply(tf.add(xR, recurrentR));
      const candidate = self.activation.apply(tf.add(xH, tf.mul(r, recurrentH)));
      const next = tf.add(tf.mul(z, state), tf.mul(tf.sub(1, z), candidate));
      return [next, next];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), resetAfter: true };
  }
}
tf.serialization.registerClass(ResetAfterGRUCell as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** Keras 3's GRU with `reset_after=True`: tfjs-layers' GRU layer around the cell above. */
export class NanguardGRU extends GRUClass {
  static className = 'NanguardGRU';

  constructor(args: Record<string, unknown>) {
    super({ ...args, resetAfter: false });
    (this as unknown as { cell: tfl.layers.Layer }).cell = new ResetAfterGRUCell(args);
  }

  override getClassName(): string {
    return 'NanguardGRU';
  }
}
tf.serialization.registerClass(NanguardGRU as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
