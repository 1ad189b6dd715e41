/**
 * IEEE half precision (float16) emulated on float32: values rounded to the nearest float16
 * (ties to even), magnitudes of 65520 and more to ±Infinity, below 2^-14 to the subnormal
 * grid of 2^-24 (so below 2^-25 to zero). Keras under `set_floatx('float16')` or a float16
 * dtype holds layer outputs, the loss, gradients, weights and optimizer slots in float16;
 * the reproduction trains in float32 and rounds at those points, which is where overflow and
 * underflow make float16 training go NaN.
 */
import { tf } from './tf';

/** The largest finite float16. */
export const FLOAT16_MAX = 65504;
/** The smallest positive normal float16 exponent and the mantissa bits. */
const MIN_EXPONENT = -14;
const MANTISSA_BITS = 10;

/** Rounds half to even: Math.round rounds halves up. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The nearest float16 of a number (a JavaScript double), as a number. */
export function float16Round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  // The spacing of float16 values around a: 2^(e - 10) for a in [2^e, 2^(e+1)), 2^-24 for subnormals.
  const exponent = Math.max(MIN_EXPONENT, Math.floor(Math.log2(a)));
  const e = a >= 2 ** (exponent + 1) ? exponent + 1 : a < 2 ** exponent && exponent > MIN_EXPONENT ? exponent - 1 : exponent;
  const ulp = 2 ** (e - MANTISSA_BITS);
  const r = roundHalfEven(a / ulp) * ulp;
  if (r > FLOAT16_MAX) return x > 0 ? Infinity : -Infinity;
  return x > 0 ? r : -r;
}

/** Rounds every element of a float32 vector to float16, in place (a mask keeps only its set elements' rounding). */
export function roundFloat16InPlace(values: Float32Array, mask?: Uint8Array | null): void {
  for (let k = 0; k < values.length; k++) if (!mask || mask[k]) values[k] = float16Round(values[k]);
}

/**
 * The same rounding as TensorFlow.js operations (no gradient of its own: see `castToFloat16`).
 * x / ulp and its product with ulp are exact (powers of two), and `tf.round` rounds halves
 * to even, so the result is the float16 nearest x.
 */
export function roundToFloat16(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.abs(x);
    // The exponent from log2, corrected where log2 lands beside a power of two; capped so that Inf keeps a finite spacing.
    const capped = tf.minimum(a, 2 ** 16);
    let e = tf.maximum(tf.floor(tf.div(tf.log(capped), Math.LN2)), MIN_EXPONENT);
    e = tf.add(e, tf.cast(tf.greaterEqual(capped, tf.pow(2, tf.add(e, 1))), 'float32'));
    e = tf.sub(e, tf.cast(tf.logicalAnd(tf.less(capped, tf.pow(2, e)), tf.greater(e, MIN_EXPONENT)), 'float32'));
    const ulp = tf.pow(2, tf.sub(e, MANTISSA_BITS));
    const rounded = tf.mul(tf.round(tf.div(x, ulp)), ulp);
    // Past the largest float16 (65504) the nearest value is infinity; NaN compares false and stays NaN.
    return tf.where(tf.greater(tf.abs(rounded), FLOAT16_MAX), tf.mul(tf.sign(x), Infinity), rounded);
  });
}

/**
 * A cast to float16 and back in the forward pass, whose gradient is also held in float16
 * (the backward pass of a float16 layer computes in float16).
 */
export const castToFloat16 = tf.customGrad((x, save) => {
  void save;
  return { value: roundToFloat16(x as tf.Tensor), gradFunc: (dy: tf.Tensor) => roundToFloat16(dy) };
}) as (x: tf.Tensor) => tf.Tensor;
