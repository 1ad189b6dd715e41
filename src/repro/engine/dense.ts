/**
 * Training steps for the models most autoencoders are: one input, one output, and between
 * them a chain of Dense, BatchNormalization, Dropout and Activation layers. For such a model
 * the forward pass, the loss, the backward pass and the batch-norm updates are computed here
 * in plain float32 arithmetic on preallocated arrays, instead of the 150 to 200 TensorFlow.js
 * kernels a step of tfjs-layers runs (each with its own tensor bookkeeping, and most of them
 * on 10-element vectors). Every stored intermediate is rounded to float32, as a tensor is.
 *
 * The math is Keras's (the same as tfjs-layers' for these layers): Dense `act(x·W + b)`;
 * BatchNormalization in training normalizes with the batch's mean and biased variance and
 * moves the moving statistics by `moving - (moving - batch) × (1 - momentum)`, in inference
 * it uses the moving ones; Dropout keeps a value with probability `1 - rate` and scales it
 * by `1 / (1 - rate)`; losses are the mean over every element. The TensorFlow.js model
 * built from the same Keras JSON stays the reference: it gives the initial weights, and
 * `sync` writes the weights back to it for the per-layer statistics and the instrumented
 * replay of a non-finite step. Anything else (other layers, regularizers, constraints,
 * other losses, inputs of more than one dimension) is left to tfjs-layers: `denseTrainer`
 * returns null.
 */
import { seededRandom } from '../data';
import type { BuiltModel } from './model';
import type { FlatLayout } from './optimizersFlat';
import { tf, type tfl } from './tf';

const f = Math.fround;
const EPSILON = 1e-7;

type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'selu' | 'softplus' | 'softsign' | 'exponential';

const ACTIVATIONS = new Set<string>(['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus', 'softsign', 'exponential']);
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

type DenseLoss = 'mse' | 'mae' | 'binary_crossentropy';

interface DenseLayer {
  kind: 'dense';
  units: number;
  activation: ActivationName;
  /** Offsets of the kernel (`in × units`, row-major) and bias in the flat parameter vector; bias -1 without one. */
  kernel: number;
  bias: number;
}

interface NormLayer {
  kind: 'batchnorm';
  momentum: number;
  epsilon: number;
  /** Offsets in the flat vector, -1 when the layer does not scale / center. */
  gamma: number;
  beta: number;
  movingMean: Float32Array;
  movingVariance: Float32Array;
  /** The tfjs variables the moving statistics are written back to. */
  movingMeanVariable: tfl.LayerVariable;
  movingVarianceVariable: tfl.LayerVariable;
  // Batch statistics of the last training step, kept for the backward pass.
  mean: Float32Array;
  invStd: Float32Array;
}

interface DropoutLayer {
  kind: 'dropout';
  rate: number;
  /** The last training step's mask, already scaled by 1 / (1 - rate). */
  mask: Float32Array;
}

interface ActivationLayer {
  kind: 'activation';
  activation: ActivationName;
}

type Layer = (DenseLayer | NormLayer | DropoutLayer | ActivationLayer) & {
  inWidth: number;
  outWidth: number;
  /** Outputs of the last pass (`batch × outWidth`); for Dense, `pre` holds x·W + b before the activation. */
  out: Float32Array;
  pre: Float32Array;
};

function configOf(layer: tfl.layers.Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** Regularizers, constraints and activity regularizers change the step: such layers are left to tfjs-layers. */
function hasExtras(config: Record<string, unknown>): boolean {
  return Object.entries(config).some(([key, value]) => /(Regularizer|Constraint)$/.test(key) && value !== null && value !== undefined);
}

function activationName(value: unknown): ActivationName | undefined {
  return typeof value === 'string' && ACTIVATIONS.has(value) ? (value as ActivationName) : undefined;
}

/** The trainer for `built`, or null when some part of the model is not one this engine computes. */
export function denseTrainer(built: BuiltModel, layout: FlatLayout, loss: string, seed: number, maxBatch: number): DenseTrainer | null {
  const lossName: DenseLoss | undefined = loss === 'mse' || loss === 'mae' || loss === 'binary_crossentropy' ? loss : undefined;
  if (!lossName) return null;
  // Activity regularizers are added by the TensorFlow.js model's pass (model.ts), which these kernels do not run.
  if (built.activity.layers > 0) return null;
  const model = built.model;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return null;
  const inputShape = model.inputs[0].shape;
  if (inputShape.length !== 2 || typeof inputShape[1] !== 'number') return null;
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const offsetOf = (variableIndex: number | undefined): number => (variableIndex === undefined ? -1 : layout.offsets[variableIndex]);
  const layers: Layer[] = [];
  let width = inputShape[1];
  let previous: string | undefined;
  for (const parts of built.layers) {
    const layer = byName.get(parts.name);
    if (!layer) return null;
    // A chain: each layer reads the one before it (the first reads the input).
    if (previous === undefined ? parts.inbound.length > 1 || parts.inbound.some((n) => built.layers.some((l) => l.name === n)) : parts.inbound.length !== 1 || parts.inbound[0] !== previous) return null;
    previous = parts.name;
    const config = configOf(layer);
    if (hasExtras(config)) return null;
    // tfjs names a weight `layer/kernel`, with `_1`, `_2` ... appended when a name is taken.
    const variableNamed = (weight: string): number | undefined => parts.variableIndices.find((i) => new RegExp(`/${weight}(_\\d+)?(:0)?$`).test(built.variables[i].name));
    const buffers = (outWidth: number) => ({ inWidth: width, outWidth, out: new Float32Array(maxBatch * outWidth), pre: new Float32Array(maxBatch * outWidth) });
    switch (parts.className) {
      case 'Dense': {
        const activation = activationName(config.activation);
        const units = config.units;
        const kernel = variableNamed('kernel');
        if (!activation || typeof units !== 'number' || kernel === undefined) return null;
        const bias = variableNamed('bias');
        if (config.useBias !== false && bias === undefined) return null;
        if (parts.variableIndices.length !== (bias === undefined ? 1 : 2)) return null;
        layers.push({ kind: 'dense', units, activation, kernel: offsetOf(kernel), bias: offsetOf(bias), ...buffers(units) });
        width = units;
        break;
      }
      case 'BatchNormalization': {
        const axis = config.axis;
        if (axis !== -1 && axis !== 1) return null;
        const nonTrainable = layer.nonTrainableWeights;
        const movingMeanVariable = nonTrainable.find((w) => /moving_mean/.test(w.name));
        const movingVarianceVariable = nonTrainable.find((w) => /moving_variance/.test(w.name));
        if (!movingMeanVariable || !movingVarianceVariable || nonTrainable.length !== 2) return null;
        const gamma = variableNamed('gamma');
        const beta = variableNamed('beta');
        if (parts.variableIndices.length !== (gamma === undefined ? 0 : 1) + (beta === undefined ? 0 : 1)) return null;
        layers.push({
          kind: 'batchnorm',
          momentum: typeof config.momentum === 'number' ? config.momentum : 0.99,
          epsilon: typeof config.epsilon === 'number' ? config.epsilon : 1e-3,
          gamma: offsetOf(gamma),
          beta: offsetOf(beta),
          movingMean: Float32Array.from(movingMeanVariable.read().dataSync()),
          movingVariance: Float32Array.from(movingVarianceVariable.read().dataSync()),
          movingMeanVariable,
          movingVarianceVariable,
          mean: new Float32Array(width),
          invStd: new Float32Array(width),
          ...buffers(width),
        });
        break;
      }
      case 'Dropout': {
        const rate = config.rate;
        if (typeof rate !== 'number' || rate < 0 || rate >= 1 || (config.noiseShape !== null && config.noiseShape !== undefined)) return null;
        layers.push({ kind: 'dropout', rate, mask: new Float32Array(maxBatch * width), ...buffers(width) });
        break;
      }
      case 'Activation': {
        const activation = activationName(config.activation);
        if (!activation) return null;
        layers.push({ kind: 'activation', activation, ...buffers(width) });
        break;
      }
      default:
        return null;
    }
  }
  if (layers.length === 0 || model.outputs[0].shape.length !== 2 || model.outputs[0].shape[1] !== width) return null;
  return new DenseTrainer(built, layout, layers, lossName, seed, maxBatch, inputShape[1], width);
}

function activate(name: ActivationName, z: number): number {
  switch (name) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
    case 'elu':
      return z > 0 ? z : Math.exp(z) - 1;
    case 'selu':
      return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Math.exp(z) - 1);
    case 'softplus':
      // log(1 + e^z) without overflow for large z.
      return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    case 'softsign':
      return z / (1 + Math.abs(z));
    case 'exponential':
      return Math.exp(z);
    default:
      return z;
  }
}

/** d act / d z, from the input `z` and the (float32) output `a`. */
function activationSlope(name: ActivationName, z: number, a: number): number {
  switch (name) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'sigmoid':
      return a * (1 - a);
    case 'tanh':
      return 1 - a * a;
    case 'elu':
      return z > 0 ? 1 : a + 1;
    case 'selu':
      return z > 0 ? SELU_SCALE : a + SELU_SCALE * SELU_ALPHA;
    case 'softplus':
      return 1 / (1 + Math.exp(-z));
    case 'softsign': {
      const d = 1 + Math.abs(z);
      return 1 / (d * d);
    }
    case 'exponential':
      return a;
    default:
      return 1;
  }
}

export class DenseTrainer {
  /** Every trainable parameter, in the flat layout's order (the optimizer steps this vector in place). */
  readonly params: Float32Array;
  private readonly xBatch: Float32Array;
  private readonly yBatch: Float32Array;
  /** Gradients with respect to each layer's output, then input (two buffers used in turn). */
  private readonly gradA: Float32Array;
  private readonly gradB: Float32Array;
  private readonly random: () => number;
  private batch = 0;

  constructor(
    private readonly built: BuiltModel,
    private readonly layout: FlatLayout,
    private readonly layers: Layer[],
    private readonly loss: DenseLoss,
    seed: number,
    private readonly maxBatch: number,
    private readonly inWidth: number,
    private readonly outWidth: number,
  ) {
    this.params = layout.read(built.variables);
    this.xBatch = new Float32Array(maxBatch * inWidth);
    this.yBatch = new Float32Array(maxBatch * outWidth);
    const widest = Math.max(inWidth, ...layers.map((l) => l.outWidth));
    this.gradA = new Float32Array(maxBatch * widest);
    this.gradB = new Float32Array(maxBatch * widest);
    this.random = seededRandom(seed, 15485863);
  }

  /**
   * One training step on the rows `order` of `x` and `y` (flat, row-major): fills `grads` (the
   * flat layout's order) and returns the loss. Moves the batch-norm statistics as Keras does;
   * the parameters are left to the optimizer.
   */
  step(x: Float32Array, y: Float32Array, order: Int32Array, grads: Float32Array): number {
    const n = order.length;
    this.gather(x, y, order);
    this.forward(this.xBatch, n, true);
    const output = this.layers[this.layers.length - 1];
    const loss = this.lossAndGradient(output.out, this.yBatch, n * this.outWidth, this.gradA);
    grads.fill(0);
    this.backward(n, grads);
    return loss;
  }

  /** The mean loss over `rows` samples of `x` and `y`, in inference mode (batch-norm's moving statistics, no dropout). */
  evaluate(x: Float32Array, y: Float32Array, rows: number): number {
    let total = 0;
    for (let start = 0; start < rows; start += this.maxBatch) {
      const size = Math.min(this.maxBatch, rows - start);
      this.forward(x.subarray(start * this.inWidth, (start + size) * this.inWidth), size, false);
      const output = this.layers[this.layers.length - 1];
      total += this.lossAndGradient(output.out, y.subarray(start * this.outWidth, (start + size) * this.outWidth), size * this.outWidth, null) * size;
    }
    return f(total / rows);
  }

  /** The last step's batch as tensors (for the instrumented replay); the caller disposes them. */
  batchTensors(): [tf.Tensor, tf.Tensor] {
    const n = this.batch;
    return [tf.tensor(this.xBatch.slice(0, n * this.inWidth), [n, this.inWidth]), tf.tensor(this.yBatch.slice(0, n * this.outWidth), [n, this.outWidth])];
  }

  /** Writes the parameters and the moving statistics to the TensorFlow.js model. */
  sync(): void {
    this.layout.assign(this.built.variables, this.params);
    for (const layer of this.layers) {
      if (layer.kind !== 'batchnorm') continue;
      // The variables keep the data; the tensors made to carry it are let go, as FlatLayout.assign does.
      const mean = tf.tensor1d(layer.movingMean);
      const variance = tf.tensor1d(layer.movingVariance);
      layer.movingMeanVariable.write(mean);
      layer.movingVarianceVariable.write(variance);
      tf.dispose([mean, variance]);
    }
  }

  private gather(x: Float32Array, y: Float32Array, order: Int32Array): void {
    const { inWidth, outWidth } = this;
    for (let r = 0; r < order.length; r++) {
      const i = order[r];
      this.xBatch.set(x.subarray(i * inWidth, (i + 1) * inWidth), r * inWidth);
      this.yBatch.set(y.subarray(i * outWidth, (i + 1) * outWidth), r * outWidth);
    }
    this.batch = order.length;
  }

  private forward(input: Float32Array, n: number, training: boolean): void {
    const p = this.params;
    let x = input;
    for (const layer of this.layers) {
      const { inWidth: w, outWidth: u, out, pre } = layer;
      switch (layer.kind) {
        case 'dense': {
          const { kernel, bias, activation } = layer;
          for (let b = 0; b < n; b++) {
            const row = b * w;
            for (let j = 0; j < u; j++) {
              let sum = 0;
              for (let k = 0; k < w; k++) sum += x[row + k] * p[kernel + k * u + j];
              const z = bias >= 0 ? f(f(sum) + p[bias + j]) : f(sum);
              pre[b * u + j] = z;
              out[b * u + j] = f(activate(activation, z));
            }
          }
          break;
        }
        case 'batchnorm': {
          const { gamma, beta, mean, invStd, epsilon } = layer;
          if (training) {
            for (let j = 0; j < u; j++) {
              let sum = 0;
              for (let b = 0; b < n; b++) sum += x[b * w + j];
              const m = f(f(sum) / n);
              let squares = 0;
              for (let b = 0; b < n; b++) {
                const d = f(x[b * w + j] - m);
                squares += f(d * d);
              }
              const variance = f(f(squares) / n);
              mean[j] = m;
              invStd[j] = 1 / Math.sqrt(variance + epsilon);
              // The moving statistics, as tfjs-layers and Keras move them.
              const decay = f(1 - layer.momentum);
              layer.movingMean[j] = f(layer.movingMean[j] - f(f(layer.movingMean[j] - m) * decay));
              layer.movingVariance[j] = f(layer.movingVariance[j] - f(f(layer.movingVariance[j] - variance) * decay));
            }
          } else {
            for (let j = 0; j < u; j++) {
              mean[j] = layer.movingMean[j];
              invStd[j] = 1 / Math.sqrt(layer.movingVariance[j] + epsilon);
            }
          }
          for (let b = 0; b < n; b++) {
            for (let j = 0; j < u; j++) {
              const i = b * u + j;
              const normalized = (x[i] - mean[j]) * invStd[j];
              pre[i] = f(normalized);
              out[i] = f(normalized * (gamma >= 0 ? p[gamma + j] : 1) + (beta >= 0 ? p[beta + j] : 0));
            }
          }
          break;
        }
        case 'dropout': {
          if (!training || layer.rate === 0) {
            out.set(x.subarray(0, n * u));
            break;
          }
          const keep = 1 - layer.rate;
          const scale = f(1 / keep);
          for (let i = 0; i < n * u; i++) {
            const kept = this.random() >= layer.rate;
            layer.mask[i] = kept ? scale : 0;
            out[i] = kept ? f(x[i] * scale) : 0;
          }
          break;
        }
        case 'activation': {
          for (let i = 0; i < n * u; i++) {
            pre[i] = x[i];
            out[i] = f(activate(layer.activation, x[i]));
          }
          break;
        }
      }
      x = out;
    }
  }

  /** The loss over `count` elements; with `grad`, also d loss / d output. */
  private lossAndGradient(output: Float32Array, target: Float32Array, count: number, grad: Float32Array | null): number {
    let sum = 0;
    const scale = f(1 / count);
    for (let i = 0; i < count; i++) {
      const p = output[i];
      const t = target[i];
      switch (this.loss) {
        case 'mae': {
          const d = f(p - t);
          sum += Math.abs(d);
          if (grad) grad[i] = d > 0 ? scale : d < 0 ? -scale : 0;
          break;
        }
        case 'binary_crossentropy': {
          if (this.built.outputLogits) {
            // Keras computes sigmoid + BCE from the logits: max(z, 0) - z·t + log(1 + e^-|z|).
            sum += f(Math.max(p, 0) - p * t + Math.log1p(Math.exp(-Math.abs(p))));
            if (grad) grad[i] = f(f(1 / (1 + Math.exp(-p)) - t) * scale);
          } else {
            const q = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
            sum += f(-(t * Math.log(q) + (1 - t) * Math.log(1 - q)));
            // Clipping passes no gradient outside [epsilon, 1 - epsilon].
            if (grad) grad[i] = p >= EPSILON && p <= 1 - EPSILON ? f(f(-(t / q) + (1 - t) / (1 - q)) * scale) : 0;
          }
          break;
        }
        default: {
          const d = f(p - t);
          sum += f(d * d);
          if (grad) grad[i] = f(f(d * 2) * scale);
        }
      }
    }
    return f(f(sum) / count);
  }

  /** Back-propagates `gradA` (d loss / d output) through the layers, adding parameter gradients into `grads`. */
  private backward(n: number, grads: Float32Array): void {
    const p = this.params;
    let dOut = this.gradA;
    let dIn = this.gradB;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const x = l > 0 ? this.layers[l - 1].out : this.xBatch;
      const { inWidth: w, outWidth: u, out, pre } = layer;
      const needInput = l > 0;
      switch (layer.kind) {
        case 'dense': {
          const { kernel, bias, activation } = layer;
          // d loss / d z, in place.
          for (let i = 0; i < n * u; i++) dOut[i] = f(dOut[i] * activationSlope(activation, pre[i], out[i]));
          for (let k = 0; k < w; k++) {
            for (let j = 0; j < u; j++) {
              let sum = 0;
              for (let b = 0; b < n; b++) sum += x[b * w + k] * dOut[b * u + j];
              grads[kernel + k * u + j] = f(sum);
            }
          }
          if (bias >= 0) {
            for (let j = 0; j < u; j++) {
              let sum = 0;
              for (let b = 0; b < n; b++) sum += dOut[b * u + j];
              grads[bias + j] = f(sum);
            }
          }
          if (needInput) {
            for (let b = 0; b < n; b++) {
              for (let k = 0; k < w; k++) {
                let sum = 0;
                for (let j = 0; j < u; j++) sum += dOut[b * u + j] * p[kernel + k * u + j];
                dIn[b * w + k] = f(sum);
              }
            }
          }
          break;
        }
        case 'batchnorm': {
          const { gamma, beta, invStd } = layer;
          for (let j = 0; j < u; j++) {
            let sumDy = 0;
            let sumDyXhat = 0;
            for (let b = 0; b < n; b++) {
              const i = b * u + j;
              sumDy += dOut[i];
              sumDyXhat += dOut[i] * pre[i];
            }
            if (gamma >= 0) grads[gamma + j] = f(sumDyXhat);
            if (beta >= 0) grads[beta + j] = f(sumDy);
            if (needInput) {
              // d x = gamma · invStd / n · (n · dy - Σ dy - x̂ · Σ dy·x̂): the gradient through the batch's mean and variance.
              const g = (gamma >= 0 ? p[gamma + j] : 1) * invStd[j];
              for (let b = 0; b < n; b++) {
                const i = b * u + j;
                dIn[i] = f((g / n) * (n * dOut[i] - sumDy - pre[i] * sumDyXhat));
              }
            }
          }
          break;
        }
        case 'dropout': {
          if (needInput) for (let i = 0; i < n * u; i++) dIn[i] = layer.rate === 0 ? dOut[i] : f(dOut[i] * layer.mask[i]);
          break;
        }
        case 'activation': {
          if (needInput) for (let i = 0; i < n * u; i++) dIn[i] = f(dOut[i] * activationSlope(layer.activation, pre[i], out[i]));
          break;
        }
      }
      const swap = dOut;
      dOut = dIn;
      dIn = swap;
    }
  }
}
