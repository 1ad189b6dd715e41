/**
 * Static shapes of the symbolic tensors of the functional API, as Keras computes them when it
 * builds the graph: what `K.int_shape(x)` and `x.shape` give a script (`shape = K.int_shape(x)`
 * before `Dense(shape[1] * shape[2] * shape[3])` is the usual way to size a decoder). Shapes
 * include the batch dimension (null); a dimension the analysis cannot know is null, a layer
 * it does not know gives no shape.
 */
import { exprOutputShapeOf } from '../../tensorExpr';
import type { LayerObj, ModelObj, TensorObj } from './values';

export type Shape = (number | null)[];

const SAME_SHAPE = new Set([
  'Activation', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise',
  'BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'UnitNormalization', 'Normalization', 'Rescaling',
  'LeakyReLU', 'ReLU', 'ELU', 'PReLU', 'Softmax', 'ActivityRegularization', 'Masking',
  'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum',
]);

function isLayer(p: LayerObj | ModelObj | undefined): p is LayerObj {
  return p !== undefined && 'spec' in p;
}

function ints(value: unknown, rank: number): number[] | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return new Array<number>(rank).fill(value);
  if (Array.isArray(value) && value.length === rank && value.every((v) => typeof v === 'number' && Number.isInteger(v))) return value as number[];
  return undefined;
}

function product(dims: Shape): number | null {
  let p = 1;
  for (const d of dims) {
    if (d === null) return null;
    p *= d;
  }
  return p;
}

/** One spatial dimension of a convolution or pooling window. */
function windowed(size: number | null, kernel: number, stride: number, dilation: number, padding: string): number | null {
  if (size === null) return null;
  if (padding === 'same') return Math.ceil(size / stride);
  const effective = (kernel - 1) * dilation + 1;
  return Math.floor((size - effective) / stride) + 1;
}

/** One spatial dimension of a transposed convolution (Keras's `deconv_output_length`). */
function transposed(size: number | null, kernel: number, stride: number, padding: string, outputPadding: number | undefined): number | null {
  if (size === null) return null;
  if (outputPadding === undefined) return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
  const pad = padding === 'same' ? Math.floor(kernel / 2) : 0;
  return (size - 1) * stride + kernel - 2 * pad + outputPadding;
}

const CONV_RANK: Record<string, number> = { Conv1D: 1, Conv2D: 2, Conv3D: 3, SeparableConv2D: 2, DepthwiseConv2D: 2, Conv1DTranspose: 1, Conv2DTranspose: 2, Conv3DTranspose: 3 };
const POOL_RANK: Record<string, number> = {
  MaxPooling1D: 1, MaxPool1D: 1, AveragePooling1D: 1, AvgPool1D: 1,
  MaxPooling2D: 2, MaxPool2D: 2, AveragePooling2D: 2, AvgPool2D: 2,
  MaxPooling3D: 3, AveragePooling3D: 3,
};
const UPSAMPLING_RANK: Record<string, number> = { UpSampling1D: 1, UpSampling2D: 2, UpSampling3D: 3 };
const GLOBAL_POOLING = new Set(['GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalMaxPool1D', 'GlobalMaxPool2D', 'GlobalAvgPool1D', 'GlobalAvgPool2D']);

/** The states a recurrent layer gives after its output with `return_state=True`, and takes as `initial_state`: an LSTM's h and c, a GRU's or SimpleRNN's h; 0 for other layers. */
export function recurrentStateCount(className: string): number {
  return className === 'LSTM' ? 2 : className === 'GRU' || className === 'SimpleRNN' ? 1 : 0;
}

/** The shape of each state of a recurrent layer (batch first): one vector of its units a sample. */
export function recurrentStateShape(config: Record<string, unknown>, input: Shape | undefined): Shape | undefined {
  return typeof config.units === 'number' ? [input?.[0] ?? null, config.units] : undefined;
}

/** A MultiHeadAttention's output width: its `output_shape` (a number, or a one-item list), else the query's features. */
export function attentionOutputWidth<W>(config: Record<string, unknown>, queryWidth: W): number | W {
  const given = Array.isArray(config.output_shape) ? config.output_shape[0] : config.output_shape;
  return typeof given === 'number' ? given : queryWidth;
}

/** The output shape of a layer of class `className` and config `config` on inputs of the given shapes (batch first). */
export function layerOutputShape(className: string, config: Record<string, unknown>, inputs: Shape[]): Shape | undefined {
  const first = inputs[0];
  // Channels first (`data_format='channels_first'`, Keras 1's dim_ordering='th'): the same layer on the channels-last view, moved back.
  if (config.data_format === 'channels_first' && first && first.length >= 3) {
    const channelsLast = (s: Shape): Shape => [s[0], ...s.slice(2), s[1]];
    const out = layerOutputShape(className, { ...config, data_format: 'channels_last' }, inputs.map((s) => (s && s.length === first.length ? channelsLast(s) : s)));
    return out && out.length >= 3 ? [out[0], out[out.length - 1], ...out.slice(1, -1)] : out;
  }
  if (className === 'InputLayer') {
    const shape = config.batch_shape ?? config.batch_input_shape;
    return Array.isArray(shape) ? shape.map((d) => (typeof d === 'number' ? d : null)) : undefined;
  }
  if (!first) return undefined;
  const last = first.length - 1;
  if (SAME_SHAPE.has(className)) return first.slice();
  if (className === 'Dense' || className === 'EinsumDense') {
    return typeof config.units === 'number' ? [...first.slice(0, -1), config.units] : undefined;
  }
  // Attention over the query's steps: its shape, with the output width output_shape gives (the query's features by default).
  if (className === 'MultiHeadAttention') return [...first.slice(0, -1), attentionOutputWidth(config, first[last])];
  if (className === 'Embedding') return typeof config.output_dim === 'number' ? [...first, config.output_dim] : undefined;
  if (className === 'Flatten') return [first[0], product(first.slice(1))];
  if (className === 'Reshape' && Array.isArray(config.target_shape)) {
    const target = (config.target_shape as unknown[]).map((d) => (typeof d === 'number' ? d : null));
    const known = product(target.filter((d) => d !== -1));
    const total = product(first.slice(1));
    return [first[0], ...target.map((d) => (d === -1 ? (known !== null && total !== null && known !== 0 ? total / known : null) : d))];
  }
  if (className === 'RepeatVector' && typeof config.n === 'number') return [first[0], config.n, ...first.slice(1)];
  if (className === 'Permute' && Array.isArray(config.dims)) return [first[0], ...(config.dims as number[]).map((d) => first[d] ?? null)];
  if (className === 'LSTM' || className === 'GRU' || className === 'SimpleRNN') {
    if (typeof config.units !== 'number') return undefined;
    return config.return_sequences === true ? [first[0], first[1] ?? null, config.units] : [first[0], config.units];
  }
  // `Dot(axes=k)` of two tensors: the product over axis k of each, the other axes of both kept (at least one).
  if (className === 'Dot' && inputs.length === 2 && inputs[1]) {
    const second = inputs[1];
    const given = Array.isArray(config.axes) ? config.axes : [config.axes, config.axes];
    if (given.length !== 2 || !given.every((a) => typeof a === 'number')) return undefined;
    const [ka, kb] = (given as number[]).map((a, i) => (a < 0 ? [first, second][i].length + a : a));
    if (ka < 1 || kb < 1 || ka >= first.length || kb >= second.length) return undefined;
    const kept = [...first.slice(1).filter((_, i) => i + 1 !== ka), ...second.slice(1).filter((_, i) => i + 1 !== kb)];
    return [first[0], ...(kept.length > 0 ? kept : [1])];
  }
  if (className === 'Concatenate') {
    const axis = typeof config.axis === 'number' ? config.axis : -1;
    const at = axis < 0 ? first.length + axis : axis;
    if (!inputs.every((s) => s && s.length === first.length)) return undefined;
    const out = first.slice();
    out[at] = inputs.reduce<number | null>((sum, s) => (sum === null || s[at] === null ? null : sum + (s[at] as number)), 0);
    return out;
  }
  if (GLOBAL_POOLING.has(className)) return config.keepdims === true ? first.map((d, i) => (i === 0 || i === last ? d : 1)) : [first[0], first[last]];
  const convRank = CONV_RANK[className];
  if (convRank !== undefined) {
    if (first.length !== convRank + 2) return undefined;
    const kernel = ints(config.kernel_size, convRank);
    const strides = ints(config.strides ?? 1, convRank);
    const dilation = ints(config.dilation_rate ?? 1, convRank);
    if (!kernel || !strides || !dilation) return undefined;
    const padding = typeof config.padding === 'string' ? config.padding.toLowerCase() : 'valid';
    const outputPadding = config.output_padding === undefined || config.output_padding === null ? undefined : ints(config.output_padding, convRank);
    const spatial = first.slice(1, -1).map((size, i) =>
      className.endsWith('Transpose') ? transposed(size, kernel[i], strides[i], padding, outputPadding?.[i]) : windowed(size, kernel[i], strides[i], dilation[i], padding),
    );
    const channels = className === 'DepthwiseConv2D' ? (first[last] === null ? null : (first[last] as number) * (typeof config.depth_multiplier === 'number' ? config.depth_multiplier : 1)) : typeof config.filters === 'number' ? config.filters : null;
    return [first[0], ...spatial, channels];
  }
  const poolRank = POOL_RANK[className];
  if (poolRank !== undefined) {
    if (first.length !== poolRank + 2) return undefined;
    const pool = ints(config.pool_size ?? 2, poolRank);
    const strides = config.strides === undefined || config.strides === null ? pool : ints(config.strides, poolRank);
    if (!pool || !strides) return undefined;
    const padding = typeof config.padding === 'string' ? config.padding.toLowerCase() : 'valid';
    return [first[0], ...first.slice(1, -1).map((size, i) => windowed(size, pool[i], strides[i], 1, padding)), first[last]];
  }
  const upRank = UPSAMPLING_RANK[className];
  if (upRank !== undefined) {
    const size = ints(config.size ?? 2, upRank);
    if (!size || first.length !== upRank + 2) return undefined;
    return [first[0], ...first.slice(1, -1).map((d, i) => (d === null ? null : d * size[i])), first[last]];
  }
  if (className === 'ZeroPadding2D' || className === 'Cropping2D') {
    const raw = className === 'ZeroPadding2D' ? (config.padding ?? 1) : (config.cropping ?? 0);
    const pairs = typeof raw === 'number' ? [[raw, raw], [raw, raw]] : Array.isArray(raw) && raw.length === 2 ? raw.map((p) => (typeof p === 'number' ? [p, p] : Array.isArray(p) ? p : [NaN, NaN])) : undefined;
    if (!pairs || first.length !== 4) return undefined;
    const sign = className === 'ZeroPadding2D' ? 1 : -1;
    return [first[0], ...[1, 2].map((axis, i) => (first[axis] === null ? null : (first[axis] as number) + sign * ((pairs[i][0] as number) + (pairs[i][1] as number)))), first[3]];
  }
  if (className === 'Bidirectional' && typeof config.layer === 'object' && config.layer !== null) {
    // The wrapped layer's output, run each way; `concat` (the default) joins the two along the features, sum, mul and ave keep their width.
    const inner = config.layer as { class_name?: unknown; config?: unknown };
    const mode = config.merge_mode === undefined ? 'concat' : config.merge_mode;
    if (typeof inner.class_name !== 'string' || !['concat', 'sum', 'mul', 'ave'].includes(String(mode))) return undefined;
    const out = layerOutputShape(inner.class_name, (inner.config ?? {}) as Record<string, unknown>, [first]);
    const last = out?.[out.length - 1];
    if (!out || last === undefined) return undefined;
    return mode === 'concat' ? [...out.slice(0, -1), last === null ? null : 2 * last] : out;
  }
  if (className === 'TimeDistributed' && typeof config.layer === 'object' && config.layer !== null) {
    const inner = config.layer as { class_name?: unknown; config?: unknown };
    if (typeof inner.class_name !== 'string') return undefined;
    const out = layerOutputShape(inner.class_name, (inner.config ?? {}) as Record<string, unknown>, [[first[0], ...first.slice(2)]]);
    return out ? [first[0], first[1] ?? null, ...out.slice(1)] : undefined;
  }
  return undefined;
}

/** Shapes computed so far (a tensor's shape never changes once the graph is built). */
const computed = new WeakMap<TensorObj, Shape | null>();

/** The static shape of a symbolic tensor (batch first), or undefined when it cannot be known. Iterative over the graph. */
export function tensorShape(tensor: TensorObj, depth = 0): Shape | undefined {
  const known = computed.get(tensor);
  if (known !== undefined) return known ?? undefined;
  if (depth > 64) return undefined;
  const shape = compute(tensor, depth);
  computed.set(tensor, shape ?? null);
  return shape;
}

function compute(tensor: TensorObj, depth: number, shapeOf: (t: TensorObj, depth: number) => Shape | undefined = tensorShape): Shape | undefined {
  const producer = tensor.producer;
  if (!producer) return undefined;
  const inputs: Shape[] = [];
  for (const input of tensor.inputs) {
    const s = shapeOf(input, depth + 1);
    if (!s) return undefined;
    inputs.push(s);
  }
  if (isLayer(producer)) {
    if (producer.spec.className === 'InputLayer' && producer.inputShape) return [null, ...producer.inputShape];
    if (producer.spec.className === 'InputLayer' && producer.spec.config.batch_shape === undefined) return undefined;
    // An operation on tensors (`x / 255.0`, `keras.ops.mean(x, axis=-1)`) as its translated term.
    if (producer.spec.className === 'Lambda' && producer.spec.expression) return exprOutputShapeOf(producer.spec.expression, inputs) ?? undefined;
    if (tensor.outputIndex !== undefined && tensor.outputIndex > 0) return recurrentStateCount(producer.spec.className) > 0 ? recurrentStateShape(producer.spec.config, inputs[0]) : undefined;
    return layerOutputShape(producer.spec.className, producer.spec.config, inputs);
  }
  return modelOutputShape(producer, inputs, depth);
}

/** A sub-model applied to tensors of the given shapes: its output's shape. */
function modelOutputShape(model: ModelObj, inputs: Shape[], depth: number): Shape | undefined {
  // A model that (through bad code) contains itself is cut, not followed forever.
  if (depth > 64) return undefined;
  if (model.outputs.length > 0) {
    const traced = model.inputs.every((t) => isLayer(t.producer) && t.producer.placeholder === true);
    if (traced && model.inputs.length === inputs.length) {
      // A subclassed model's (or a custom layer's) traced call: its output's shape follows from what it is applied to, computed apart from the shapes kept.
      const given = new Map(model.inputs.map((t, i) => [t, inputs[i]]));
      const within = new Map<TensorObj, Shape | null>();
      const shapeOf = (t: TensorObj, d: number): Shape | undefined => {
        const known = given.get(t) ?? within.get(t);
        if (known !== undefined) return known ?? undefined;
        if (d > 64) return undefined;
        const shape = compute(t, d, shapeOf);
        within.set(t, shape ?? null);
        return shape;
      };
      return shapeOf(model.outputs[0], depth + 1);
    }
    // A functional model's output shape follows from its own inputs' declared shapes.
    return tensorShape(model.outputs[0], depth + 1);
  }
  let shape: Shape | undefined = inputs[0];
  for (const item of model.items) {
    if (isLayer(item)) {
      if (item.spec.className === 'InputLayer') {
        shape = item.inputShape ? [null, ...item.inputShape] : shape;
        continue;
      }
      if (!shape && item.inputShape) shape = [null, ...item.inputShape];
      shape = shape ? layerOutputShape(item.spec.className, item.spec.config, [shape]) : undefined;
    } else {
      shape = shape ? modelOutputShape(item, [shape], depth + 1) : undefined;
    }
    if (!shape) return undefined;
  }
  return shape;
}
