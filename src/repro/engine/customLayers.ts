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
 */
import type { Conv1D } from '@tensorflow/tfjs-layers/dist/layers/convolutional';
import { exprOutputShapeOf, type TensorExpr } from '../../core/tensorExpr';
import { evaluateExpr } from './expr';
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

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    // A Lambda applied to a list of tensors (`Lambda(sampling)([z_mean, z_log_var])`) reads them as arguments 0, 1, ...
    return tf.tidy(() => evaluateExpr(this.expression, Array.isArray(inputs) ? inputs : [inputs]));
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
