/** Keras's losses (reduction `sum_over_batch_size`: the mean over every element), on tfjs tensors. */
import type { TensorExpr } from '../../core/tensorExpr';
import { evaluateExpr } from './expr';
import { tf } from './tf';

const EPSILON = 1e-7;

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

export function lossFunction(name: string, outputLogits: boolean, expression?: TensorExpr): LossFn {
  switch (name) {
    case 'none':
      // Compiled without a loss: the model trains on its added losses alone (model.ts adds them).
      return () => tf.scalar(0);
    case 'custom':
      // The user's loss, translated: Keras averages whatever it returns (per sample or per element) over every element.
      if (!expression) throw new Error('the custom loss has no translated expression');
      return (t, p) => tf.mean(evaluateExpr(expression, [t, p]));
    case 'mae':
      return (t, p) => tf.mean(tf.abs(tf.sub(p, t)));
    case 'huber':
      // Keras's Huber (delta 1) as 0.5·q² + (|e| - q) with q = min(|e|, 1): equal to its two branches, and
      // differentiable by tfjs (a `where` on a comparison has no gradient there: training stopped at the first step).
      return (t, p) => {
        const e = tf.abs(tf.sub(p, t));
        const q = tf.minimum(e, 1);
        return tf.mean(tf.add(tf.mul(tf.square(q), 0.5), tf.sub(e, q)));
      };
    case 'msle':
      return (t, p) => tf.mean(tf.square(tf.sub(tf.log1p(tf.maximum(p, EPSILON)), tf.log1p(tf.maximum(t, EPSILON)))));
    case 'log_cosh':
      return (t, p) => {
        const e = tf.sub(p, t);
        return tf.mean(tf.sub(tf.add(e, tf.softplus(tf.mul(e, -2))), Math.log(2)));
      };
    case 'categorical_crossentropy':
      if (outputLogits) {
        // Keras takes a softmax output's logits: the cross-entropy from log-softmax, never log(0).
        return (t, z) => tf.mean(tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(z)), -1)));
      }
      // On probabilities, as Keras: normalised to sum 1 over the last axis, clipped to [eps, 1 - eps].
      return (t, p) => {
        const q = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPSILON, 1 - EPSILON);
        return tf.mean(tf.neg(tf.sum(tf.mul(t, tf.log(q)), -1)));
      };
    case 'binary_crossentropy':
      if (outputLogits) {
        // Keras computes sigmoid + BCE from the logits: max(z, 0) - z*t + log(1 + exp(-|z|)).
        return (t, z) => tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, t)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));
      }
      return (t, p) => {
        const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
        return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q)))))) as tf.Scalar;
      };
    default:
      return (t, p) => tf.mean(tf.squaredDifference(p, t));
  }
}
