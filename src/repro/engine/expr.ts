/**
 * Evaluates a tensor expression (core/tensorExpr.ts: a translated `Lambda` function or custom
 * loss) with TensorFlow.js operations, which TensorFlow.js differentiates.
 */
import { sliceRange, type TensorExpr } from '../../core/tensorExpr';
import { tf } from './tf';

/** Keras's backend epsilon, which its cross-entropy clips probabilities by. */
const EPSILON = 1e-7;

/** Another layer's weight, by the layer's name, where the expression reads one (`layer_weight`); undefined when the model has no such layer. */
export type LayerWeights = (layer: string, weight: 'kernel' | 'bias') => tf.Tensor | undefined;

/**
 * `weights`: a custom layer's own weights, in the order of their index (its `add_weight`s), read
 * where the expression has a `weight` operation; `layerWeights`: other layers' (`layer_weight`).
 */
export function evaluateExpr(expr: TensorExpr, args: tf.Tensor[], weights: readonly tf.Tensor[] = [], layerWeights?: LayerWeights): tf.Tensor {
  switch (expr.op) {
    case 'arg': {
      const t = args[expr.index];
      if (!t) throw new Error(`the expression reads argument ${expr.index}, which is not given`);
      return t;
    }
    case 'const':
      return tf.scalar(expr.value);
    case 'row':
      return tf.tensor1d(expr.values);
    case 'statistic':
      throw new Error(`the ${expr.label} of data array ${expr.data} was not read into the plan`);
    case 'index': {
      const x = evaluateExpr(expr.x, args, weights, layerWeights);
      const begin = x.shape.map(() => 0);
      const size = x.shape.slice();
      const kept: number[] = [x.shape[0]];
      if (expr.axes.length >= x.rank) throw new Error(`${expr.axes.length} indices for a tensor of ${x.rank} axes`);
      const first = expr.fromEnd ? x.rank - expr.axes.length : 1;
      for (let i = 1; i < x.rank; i++) {
        const axis = i >= first ? expr.axes[i - first] : undefined;
        if (!axis) {
          kept.push(x.shape[i]);
          continue;
        }
        if ('index' in axis) {
          if (axis.index >= x.shape[i] || axis.index < -x.shape[i]) throw new Error(`index ${axis.index} is outside an axis of ${x.shape[i]}`);
          begin[i] = axis.index < 0 ? x.shape[i] + axis.index : axis.index;
          size[i] = 1;
        } else {
          const range = sliceRange(x.shape[i], axis.start, axis.stop);
          begin[i] = range.begin;
          size[i] = range.size;
          kept.push(range.size);
        }
      }
      return tf.reshape(tf.slice(x, begin, size), kept);
    }
    case 'clip':
      return tf.clipByValue(evaluateExpr(expr.x, args, weights, layerWeights), expr.min, expr.max);
    case 'reverse_channels':
      return tf.reverse(evaluateExpr(expr.x, args, weights, layerWeights), -1);
    case 'channel_offset':
      return tf.add(evaluateExpr(expr.x, args, weights, layerWeights), tf.tensor1d(expr.values));
    case 'flatten':
      return tf.reshape(evaluateExpr(expr.x, args, weights, layerWeights), [-1]);
    case 'reshape': {
      const x = evaluateExpr(expr.x, args, weights, layerWeights);
      return tf.reshape(x, [x.shape[0], ...expr.shape]);
    }
    case 'batch_flatten': {
      const x = evaluateExpr(expr.x, args, weights, layerWeights);
      return tf.reshape(x, [x.shape[0], -1]);
    }
    case 'random_normal': {
      const shape = Array.isArray(expr.shape)
        ? expr.shape.map((d) => {
            if (typeof d === 'number') return d;
            const of = evaluateExpr(d.of, args, weights, layerWeights).shape;
            return of[d.axis < 0 ? of.length + d.axis : d.axis];
          })
        : evaluateExpr(expr.shape.like, args, weights, layerWeights).shape;
      if (shape.some((d) => d === undefined)) throw new Error(`the noise's shape reads an axis its tensor does not have: ${JSON.stringify(expr.shape)}`);
      // Unseeded: tfjs seeds each draw from Math.random, which the run seeds from the plan's seed (train.ts), so noise is fresh each batch and runs repeat.
      return tf.randomNormal(shape as number[], expr.mean, expr.stddev, 'float32');
    }
    case 'slice': {
      const x = evaluateExpr(expr.x, args, weights, layerWeights);
      const axis = expr.axis < 0 ? x.rank + expr.axis : expr.axis;
      const begin = x.shape.map((_, i) => (i === axis ? expr.begin : 0));
      const size = x.shape.map((_, i) => (i === axis ? expr.size : -1));
      return tf.slice(x, begin, size);
    }
    case 'neg':
      return tf.neg(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'exp':
      return tf.exp(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'log':
      return tf.log(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'log1p':
      return tf.log1p(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'expm1':
      return tf.expm1(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'sqrt':
      return tf.sqrt(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'rsqrt':
      return tf.rsqrt(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'square':
      return tf.square(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'abs':
      return tf.abs(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'sign':
      return tf.sign(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'reciprocal':
      return tf.reciprocal(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'sigmoid':
      return tf.sigmoid(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'tanh':
      return tf.tanh(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'relu':
      return tf.relu(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'relu6':
      return tf.relu6(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'elu':
      return tf.elu(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'selu':
      return tf.selu(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'softplus':
      return tf.softplus(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'softsign': {
      const x = evaluateExpr(expr.x, args, weights, layerWeights);
      return tf.div(x, tf.add(tf.abs(x), 1));
    }
    case 'sin':
      return tf.sin(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'cos':
      return tf.cos(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'floor':
      return tf.floor(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'ceil':
      return tf.ceil(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'round':
      return tf.round(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'add':
      return tf.add(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'sub':
      return tf.sub(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'mul':
      return tf.mul(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'div':
      return tf.div(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'pow':
      return tf.pow(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'maximum':
      return tf.maximum(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'minimum':
      return tf.minimum(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'squared_difference':
      return tf.squaredDifference(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'bce': {
      // Keras's binary_crossentropy on probabilities: clipped to [eps, 1 - eps], then -(t log p + (1 - t) log(1 - p)).
      const t = evaluateExpr(expr.a, args, weights, layerWeights);
      const p = tf.clipByValue(evaluateExpr(expr.b, args, weights, layerWeights), EPSILON, 1 - EPSILON);
      return tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
    }
    case 'resize': {
      const x = evaluateExpr(expr.x, args, weights, layerWeights);
      if (x.rank !== 4) throw new Error(`tf.image.resize is given a tensor of rank ${x.rank}, where nanguard resizes batches of images (rank 4)`);
      // TensorFlow 2's bilinear resize: half-pixel centers, corners not aligned.
      return tf.image.resizeBilinear(x as tf.Tensor4D, [expr.height, expr.width], false, true);
    }
    case 'ssim':
      return ssim(evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights), expr);
    case 'equal':
    case 'not_equal':
    case 'greater':
    case 'greater_equal':
    case 'less':
    case 'less_equal':
      return compare(expr.op, evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'where':
      // A cast to bool (what is not 0), which TensorFlow.js differentiates (a comparison here it would not).
      return tf.where(tf.cast(evaluateExpr(expr.cond, args, weights, layerWeights), 'bool'), evaluateExpr(expr.a, args, weights, layerWeights), evaluateExpr(expr.b, args, weights, layerWeights));
    case 'ones_like':
      return tf.onesLike(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'zeros_like':
      return tf.zerosLike(evaluateExpr(expr.x, args, weights, layerWeights));
    case 'mean':
    case 'sum':
    case 'max':
    case 'min':
    case 'prod': {
      const x = evaluateExpr(expr.x, args, weights, layerWeights);
      const axis = expr.axis === null ? undefined : expr.axis;
      switch (expr.op) {
        case 'mean':
          return tf.mean(x, axis, expr.keepdims);
        case 'sum':
          return tf.sum(x, axis, expr.keepdims);
        case 'max':
          return tf.max(x, axis, expr.keepdims);
        case 'min':
          return tf.min(x, axis, expr.keepdims);
        default:
          return tf.prod(x, axis, expr.keepdims);
      }
    }
    case 'weight': {
      const w = weights[expr.index];
      if (!w) throw new Error(`the expression reads the layer's weight ${expr.name}, which it does not have`);
      return w;
    }
    case 'layer_weight': {
      const w = layerWeights?.(expr.layer, expr.weight);
      if (!w) throw new Error(`the expression reads the ${expr.weight} of layer ${expr.layer}, which the model does not have`);
      return w;
    }
    case 'matmul': {
      const a = evaluateExpr(expr.a, args, weights, layerWeights);
      const b = evaluateExpr(expr.b, args, weights, layerWeights);
      if (b.rank === 2 && a.rank > 2) {
        // K.dot of a sequence (batch, steps, features) by a kernel: the rows flattened, multiplied, shaped back.
        const rows = tf.reshape(a, [-1, a.shape[a.rank - 1]]);
        return tf.reshape(tf.matMul(rows, b as tf.Tensor2D), [...a.shape.slice(0, -1), b.shape[1] as number]);
      }
      return tf.matMul(a, b);
    }
    case 'expand_dims':
      return tf.expandDims(evaluateExpr(expr.x, args, weights, layerWeights), expr.axis);
    case 'transpose':
      return tf.transpose(evaluateExpr(expr.x, args, weights, layerWeights));
    default: {
      const unknown: never = expr;
      throw new Error(`unknown operation in a translated expression: ${JSON.stringify(unknown)}`);
    }
  }
}

/** TensorFlow's `_fspecial_gauss`: a size x size Gaussian window summing to 1, as a filter of one channel. */
function gaussianWindow(size: number, sigma: number): tf.Tensor4D {
  const coords = Array.from({ length: size }, (_, i) => i - (size - 1) / 2);
  const g = coords.map((c) => (c * c * -0.5) / (sigma * sigma));
  const logits: number[] = [];
  for (const gy of g) for (const gx of g) logits.push(gy + gx);
  const top = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - top));
  const total = weights.reduce((a, b) => a + b, 0);
  return tf.tensor4d(weights.map((w) => w / total), [size, size, 1, 1]);
}

/**
 * `tf.image.ssim` (TensorFlow's `_ssim_per_channel` and `_ssim_helper`, compensation 1): luminance
 * times contrast-structure from Gaussian-weighted local means, over valid positions, then the mean
 * over positions and channels: one value per image.
 */
function ssim(x: tf.Tensor, y: tf.Tensor, p: Extract<TensorExpr, { op: 'ssim' }>): tf.Tensor {
  if (x.rank !== 4 || y.rank !== 4) throw new Error(`tf.image.ssim compares batches of images (batch, height, width, channels), not tensors of rank ${x.rank}`);
  const [, height, width, channels] = x.shape as number[];
  if (height < p.filterSize || width < p.filterSize) throw new Error(`tf.image.ssim needs images of at least ${p.filterSize}x${p.filterSize} (filter_size), not ${height}x${width}`);
  const window = gaussianWindow(p.filterSize, p.filterSigma);
  // The window over each channel alone (TensorFlow's depthwise convolution): the channels moved into the batch, one plain
  // convolution, and back; the WebAssembly backend has the gradients of conv2d, not of depthwiseConv2d.
  const reduce = (t: tf.Tensor): tf.Tensor4D => {
    const perChannel = tf.reshape(tf.transpose(t, [0, 3, 1, 2]), [-1, height, width, 1]) as tf.Tensor4D;
    const filtered = tf.conv2d(perChannel, window, 1, 'valid');
    const [, h, w] = filtered.shape;
    return tf.transpose(tf.reshape(filtered, [-1, channels, h, w]), [0, 2, 3, 1]) as tf.Tensor4D;
  };
  const c1 = (p.k1 * p.maxVal) ** 2;
  const c2 = (p.k2 * p.maxVal) ** 2;
  const mean0 = reduce(x);
  const mean1 = reduce(y);
  const num0 = tf.mul(tf.mul(mean0, mean1), 2);
  const den0 = tf.add(tf.square(mean0), tf.square(mean1));
  const luminance = tf.div(tf.add(num0, c1), tf.add(den0, c1));
  const num1 = tf.mul(reduce(tf.mul(x, y)), 2);
  const den1 = reduce(tf.add(tf.square(x), tf.square(y)));
  const cs = tf.div(tf.add(tf.sub(num1, num0), c2), tf.add(tf.sub(den1, den0), c2));
  return tf.mean(tf.mul(luminance, cs), [1, 2, 3]);
}

const COMPARISONS = { equal: tf.equal, not_equal: tf.notEqual, greater: tf.greater, greater_equal: tf.greaterEqual, less: tf.less, less_equal: tf.lessEqual };

/**
 * A comparison as 1 and 0 (float32). Its gradient is zero, as TensorFlow's is none: TensorFlow.js
 * has no gradient for most comparisons, and one of the model's outputs may be compared.
 */
function compare(op: keyof typeof COMPARISONS, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const zeroGradient = tf.customGrad((...inputs) => {
    const [x, y] = inputs as tf.Tensor[];
    return { value: tf.cast(COMPARISONS[op](x, y), 'float32'), gradFunc: () => [tf.zerosLike(x), tf.zerosLike(y)] };
  });
  return zeroGradient(a, b);
}
