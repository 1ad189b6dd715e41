/** Keras's losses (reduction `sum_over_batch_size`: the mean over every element), on tfjs tensors. */
import type { TensorExpr } from '../../core/tensorExpr';
import { targetShapeOf } from '../plan';
import { evaluateExpr } from './expr';
import { castToFloat16, float16Round } from './float16';
import { tf } from './tf';

const EPSILON = 1e-7;

/** A loss of the targets and the model's output (or outputs, for a model with several). */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor | tf.Tensor[]) => tf.Scalar;

type OutputLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** A loss before Keras's reduction: what it computes per element, and whether Keras first averages that over the last axis. */
interface LossValues {
  values: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
  /** Keras's built-in element-wise losses return the mean over the last axis; a custom loss and the cross-entropy over classes return per-sample values. */
  meanOverLastAxis: boolean;
}

/** The clipping bounds of Keras's probability losses, in the loss's float type (in float16, 1 - 1e-7 is 1). */
function clipBounds(float16: boolean): [number, number] {
  return float16 ? [float16Round(EPSILON), float16Round(1 - EPSILON)] : [EPSILON, 1 - EPSILON];
}

/** Integer labels (a trailing axis of 1 or none) as one-hot rows shaped like the predictions `p`. */
function sparseAsOneHot(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const classes = p.shape[p.rank - 1] ?? 1;
  const labels = tf.cast(tf.reshape(t, [-1]), 'int32');
  return tf.reshape(tf.oneHot(labels, classes), p.shape);
}

/** Keras's hinge labels: targets that are all 0 or 1 (in the batch) become -1 and 1, others stay as they are. */
function hingeLabels(t: tf.Tensor): tf.Tensor {
  const binary = tf.cast(tf.all(tf.logicalOr(tf.equal(t, 0), tf.equal(t, 1))), 'float32');
  return tf.add(t, tf.mul(binary, tf.sub(t, 1)));
}

function lossValues(name: string, outputLogits: boolean, expression: TensorExpr | undefined, float16: boolean): LossValues {
  const [low, high] = clipBounds(float16);
  const elementWise = (values: LossValues['values']): LossValues => ({ values, meanOverLastAxis: true });
  switch (name) {
    case 'none':
      // Compiled without a loss: the model trains on its added losses alone (model.ts adds them).
      return { values: () => tf.zeros([1]), meanOverLastAxis: false };
    case 'custom':
      // The user's loss, translated: Keras averages whatever it returns (per sample or per element) over every element.
      if (!expression) throw new Error('the custom loss has no translated expression');
      return { values: (t, p) => evaluateExpr(expression, [t, p]), meanOverLastAxis: false };
    case 'mae':
      return elementWise((t, p) => tf.abs(tf.sub(p, t)));
    case 'huber':
      // Keras's Huber (delta 1) as 0.5·q² + (|e| - q) with q = min(|e|, 1): equal to its two branches, and
      // differentiable by tfjs (a `where` on a comparison has no gradient there: training stopped at the first step).
      return elementWise((t, p) => {
        const e = tf.abs(tf.sub(p, t));
        const q = tf.minimum(e, 1);
        return tf.add(tf.mul(tf.square(q), 0.5), tf.sub(e, q));
      });
    case 'msle':
      return elementWise((t, p) => tf.square(tf.sub(tf.log1p(tf.maximum(p, low)), tf.log1p(tf.maximum(t, low)))));
    case 'log_cosh':
      return elementWise((t, p) => {
        const e = tf.sub(p, t);
        return tf.sub(tf.add(e, tf.softplus(tf.mul(e, -2))), Math.log(2));
      });
    case 'poisson':
      // Keras: p - t·log(p + eps); a prediction at or below -eps (a linear output) makes it NaN, as there.
      return elementWise((t, p) => tf.sub(p, tf.mul(t, tf.log(tf.add(p, EPSILON)))));
    case 'mape':
      return elementWise((t, p) => tf.mul(tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), EPSILON))), 100));
    case 'kl_divergence':
      return {
        values: (t, p) => {
          const [u, q] = [tf.clipByValue(t, EPSILON, 1), tf.clipByValue(p, EPSILON, 1)];
          return tf.sum(tf.mul(u, tf.log(tf.div(u, q))), -1);
        },
        meanOverLastAxis: false,
      };
    case 'hinge':
      return elementWise((t, p) => tf.relu(tf.sub(1, tf.mul(hingeLabels(t), p))));
    case 'squared_hinge':
      return elementWise((t, p) => tf.square(tf.relu(tf.sub(1, tf.mul(hingeLabels(t), p)))));
    case 'sparse_categorical_crossentropy': {
      // Integer class labels: the categorical cross-entropy of their one-hot rows, over the output's last axis.
      const categorical = lossValues('categorical_crossentropy', outputLogits, expression, float16);
      return { values: (t, p) => categorical.values(sparseAsOneHot(t, p), p), meanOverLastAxis: false };
    }
    case 'categorical_crossentropy':
      if (outputLogits) {
        // Keras takes a softmax output's logits: the cross-entropy from log-softmax, never log(0).
        return { values: (t, z) => tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(z)), -1)), meanOverLastAxis: false };
      }
      // On probabilities, as Keras: normalised to sum 1 over the last axis, clipped to [eps, 1 - eps].
      return {
        values: (t, p) => {
          const q = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), low, high);
          return tf.neg(tf.sum(tf.mul(t, tf.log(q)), -1));
        },
        meanOverLastAxis: false,
      };
    case 'binary_crossentropy':
      if (outputLogits) {
        // Keras computes sigmoid + BCE from the logits: max(z, 0) - z*t + log(1 + exp(-|z|)).
        return elementWise((t, z) => tf.add(tf.sub(tf.relu(z), tf.mul(z, t)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));
      }
      return elementWise((t, p) => {
        const q = tf.clipByValue(p, low, high);
        return tf.neg(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q)))));
      });
    default:
      return elementWise((t, p) => tf.squaredDifference(p, t));
  }
}

function outputLossFunction(name: string, outputLogits: boolean, expression?: TensorExpr): OutputLoss {
  const { values } = lossValues(name, outputLogits, expression, false);
  return (t, p) => tf.mean(values(t, p));
}

export function lossFunction(name: string, outputLogits: boolean, expression?: TensorExpr): LossFn {
  const loss = outputLossFunction(name, outputLogits, expression);
  return (t, p) => loss(t, Array.isArray(p) ? p[0] : p);
}

/**
 * Keras's loss for a model with several outputs: the sum of each output's loss times its weight
 * (`loss_weights`). The targets come as one row per sample with each output's targets flattened
 * one after the other (plan.ts `materializeData`); each output's part is cut out and shaped like it
 * (integer labels for a sparse cross-entropy).
 */
export function multiOutputLoss(outputs: Array<{ loss: string; lossExpression?: TensorExpr; weight: number; logits: boolean; shape: number[] }>): LossFn {
  const parts = outputs.map((o) => {
    const shape = targetShapeOf(o.loss, o.shape);
    return { ...o, shape, fn: outputLossFunction(o.loss, o.logits, o.lossExpression), width: shape.reduce((a, b) => a * b, 1) };
  });
  return (t, p) => {
    const predictions = Array.isArray(p) ? p : [p];
    const flat = tf.reshape(t, [t.shape[0], -1]);
    let offset = 0;
    let total: tf.Scalar = tf.scalar(0);
    parts.forEach((part, i) => {
      const target = tf.reshape(tf.slice(flat, [0, offset], [-1, part.width]), [t.shape[0], ...part.shape]);
      offset += part.width;
      total = tf.add(total, tf.mul(part.fn(target, predictions[i]), part.weight));
    });
    return total;
  };
}

/**
 * The loss as Keras computes it in float16 (`set_floatx('float16')`): the targets, the
 * per-sample (or per-element) values and Keras's reduction rounded to float16. Keras reduces
 * `sum_over_batch_size` as a sum divided by the count, so a sum past 65504 is infinite even
 * when the mean is not (a mean absolute error of 128 over 37,000 pixels).
 */
export function float16LossFunction(name: string, outputLogits: boolean, expression?: TensorExpr): LossFn {
  const { values, meanOverLastAxis } = lossValues(name, outputLogits, expression, true);
  return (t, p) => {
    let v = castToFloat16(values(castToFloat16(t), castToFloat16(Array.isArray(p) ? p[0] : p)));
    if (meanOverLastAxis && v.rank > 1) v = castToFloat16(tf.mean(v, -1));
    const sum = castToFloat16(tf.sum(v));
    return castToFloat16(tf.div(sum, float16Round(v.size))) as tf.Scalar;
  };
}
