/**
 * Keras 3's optimizer updates on one flat vector of every trainable parameter, in plain
 * float32 arithmetic: each operation of the per-variable TensorFlow.js version
 * (`optimizers.ts`) is one `Math.fround`-rounded operation here, so a step computes the
 * same numbers (exactly, for element-wise operations; sums may round differently) without
 * a dozen TensorFlow.js kernels per variable (Math.max, like TensorFlow.js's `maximum`, passes NaN on). The slots (Adam's m and v, ...) stay in
 * JavaScript; a step reads each gradient and variable once and writes each variable once.
 */
import { float16Round } from './float16';
import type { FlatKerasOptimizer, OptimizerConfig } from './optimizers';
import { tf } from './tf';

const f = Math.fround;

export function num(config: OptimizerConfig, key: string, fallback: number): number {
  const v = config[key];
  return typeof v === 'number' ? v : fallback;
}

/** Where each variable sits in the flat vector (row-major, variables in order). */
export class FlatLayout {
  readonly offsets: number[] = [];
  readonly sizes: number[] = [];
  readonly total: number;
  constructor(readonly shapes: number[][]) {
    let offset = 0;
    for (const shape of shapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      this.offsets.push(offset);
      this.sizes.push(size);
      offset += size;
    }
    this.total = offset;
  }

  static of(variables: tf.Tensor[]): FlatLayout {
    return new FlatLayout(variables.map((v) => v.shape));
  }

  /** One vector of the tensors' values; a missing tensor (no gradient) reads as zeros. */
  read(tensors: (tf.Tensor | undefined)[], into: Float32Array = new Float32Array(this.total)): Float32Array {
    tensors.forEach((t, i) => {
      if (t) into.set(t.dataSync() as Float32Array, this.offsets[i]);
      else into.fill(0, this.offsets[i], this.offsets[i] + this.sizes[i]);
    });
    return into;
  }

  /** Tensors shaped like the variables, holding copies of the vector's parts. */
  tensors(values: Float32Array): tf.Tensor[] {
    return this.shapes.map((shape, i) => tf.tensor(values.slice(this.offsets[i], this.offsets[i] + this.sizes[i]), shape, 'float32'));
  }

  /** Assigns the vector's parts to the variables. */
  assign(variables: tf.Variable[], values: Float32Array): void {
    const parts = this.tensors(values);
    variables.forEach((v, i) => v.assign(parts[i]));
    tf.dispose(parts);
  }
}

/**
 * Keras's gradient clipping on the flat gradients (a new vector when it clips): `clipnorm`
 * per variable, `global_clipnorm` over all, else `clipvalue` element-wise. Sums of squares
 * are accumulated per variable, then rounded to float32, as a TensorFlow.js `sum` does.
 */
export function clipFlat(grads: Float32Array, layout: FlatLayout, config: OptimizerConfig): Float32Array {
  const clipnorm = num(config, 'clipnorm', 0);
  const globalClipnorm = num(config, 'global_clipnorm', 0);
  const clipvalue = num(config, 'clipvalue', 0);
  const sumOfSquares = (i: number): number => {
    let sum = 0;
    for (let k = layout.offsets[i], end = k + layout.sizes[i]; k < end; k++) sum += f(grads[k] * grads[k]);
    return f(sum);
  };
  if (clipnorm > 0) {
    const c = f(clipnorm);
    const out = new Float32Array(grads.length);
    for (let i = 0; i < layout.sizes.length; i++) {
      const l2 = f(Math.sqrt(sumOfSquares(i)));
      const denominator = Math.max(l2, c);
      for (let k = layout.offsets[i], end = k + layout.sizes[i]; k < end; k++) out[k] = f(f(grads[k] * c) / denominator);
    }
    return out;
  }
  if (globalClipnorm > 0) {
    const c = f(globalClipnorm);
    let total = 0;
    for (let i = 0; i < layout.sizes.length; i++) total = f(total + sumOfSquares(i));
    const norm = f(Math.sqrt(total));
    const scale = f(c / Math.max(norm, c));
    const out = new Float32Array(grads.length);
    for (let k = 0; k < grads.length; k++) out[k] = f(grads[k] * scale);
    return out;
  }
  if (clipvalue > 0) {
    const c = f(clipvalue);
    const out = new Float32Array(grads.length);
    for (let k = 0; k < grads.length; k++) {
      const g = grads[k];
      out[k] = g < -c ? -c : g > c ? c : g;
    }
    return out;
  }
  return grads;
}

/** Updates `params` and `slots` in place for step number `t` (1-based); `layout` says where each variable lies (for per-variable norms). */
type FlatStep = (params: Float32Array, grads: Float32Array, slots: Float32Array[], t: number, layout: FlatLayout) => void;

/** The root mean square of a variable's part of a vector, summed in double precision and rounded to float32. */
function rms(values: Float32Array, start: number, size: number): number {
  let sum = 0;
  for (let k = start; k < start + size; k++) sum += f(values[k] * values[k]);
  return f(Math.sqrt(f(f(sum) / size)));
}

/**
 * Keras 3's Adafactor on one variable at `start` with `shape`: a variable of rank 2 or more keeps
 * factored second moments, a row statistic `r` (its last axis averaged) and a column statistic
 * `c` (its second-last axis averaged), held at the variable's offset in the `r` and `c` slots;
 * smaller variables keep a full one in `v`.
 */
function adafactorVariable(p: Float32Array, g: Float32Array, r: Float32Array, c: Float32Array, v: Float32Array, start: number, shape: number[], t: number, hyper: { lr: number; relative: boolean; decay: number; eps1: number; eps2: number; clip: number }): void {
  const size = shape.reduce((a, b) => a * b, 1);
  const step = f(t);
  const inverseRoot = f(1 / f(Math.sqrt(step)));
  const lr = hyper.relative ? Math.min(hyper.lr, inverseRoot) : hyper.lr;
  const rho = Math.min(lr, inverseRoot);
  const alpha = f(Math.max(hyper.eps2, rms(p, start, size)) * rho);
  const beta2 = f(1 - f(Math.pow(step, hyper.decay)));
  const oneMinusBeta2 = f(1 - beta2);
  const regulated = (k: number): number => f(f(g[k] * g[k]) + hyper.eps1);
  if (shape.length >= 2) {
    const cols = shape[shape.length - 1];
    const rows = shape[shape.length - 2];
    const batches = size / (rows * cols);
    for (let b = 0; b < batches; b++) {
      const base = start + b * rows * cols;
      // r: one value per row (the last axis averaged); c: one per column (the second-last averaged). Kept at the variable's offset.
      let rSum = 0;
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += regulated(base + i * cols + j);
        const at = start + b * rows + i;
        r[at] = f(f(beta2 * r[at]) + f(oneMinusBeta2 * f(f(sum) / cols)));
        rSum += r[at];
      }
      const rMean = f(f(rSum) / rows);
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let i = 0; i < rows; i++) sum += regulated(base + i * cols + j);
        const at = start + b * cols + j;
        c[at] = f(f(beta2 * c[at]) + f(oneMinusBeta2 * f(f(sum) / rows)));
      }
      for (let i = 0; i < rows; i++) {
        const rowFactor = f(r[start + b * rows + i] / rMean);
        for (let j = 0; j < cols; j++) v[base + i * cols + j] = f(rowFactor * c[start + b * cols + j]);
      }
    }
  } else {
    for (let k = start; k < start + size; k++) v[k] = f(f(beta2 * v[k]) + f(oneMinusBeta2 * regulated(k)));
  }
  const u = new Float32Array(size);
  for (let k = 0; k < size; k++) u[k] = f(g[start + k] / f(Math.sqrt(v[start + k])));
  const scale = Math.max(1, f(rms(u, 0, size) / hyper.clip));
  for (let k = 0; k < size; k++) p[start + k] = f(p[start + k] - f(alpha * f(u[k] / scale)));
}

/** `round` is the arithmetic's: float32 (`Math.fround`), or float16 for the state of float16 variables (float16.ts). */
function flatStep(className: string, config: OptimizerConfig, round: (x: number) => number = Math.fround): { slots: number; initial: number[]; step: FlatStep } {
  const f = round;
  const lr = f(num(config, 'learning_rate', 0.001));
  const eps = f(num(config, 'epsilon', 1e-7));
  switch (className) {
    case 'SGD': {
      const momentum = num(config, 'momentum', 0);
      const nesterov = config.nesterov === true;
      const mu = f(momentum);
      if (momentum === 0) {
        return {
          slots: 0,
          initial: [],
          step: (p, g) => {
            for (let k = 0; k < p.length; k++) p[k] = f(p[k] - f(g[k] * lr));
          },
        };
      }
      return {
        slots: 1,
        initial: [0],
        step: (p, g, [m]) => {
          for (let k = 0; k < p.length; k++) {
            const m2 = f(f(m[k] * mu) - f(g[k] * lr));
            m[k] = m2;
            p[k] = nesterov ? f(p[k] + f(f(m2 * mu) - f(g[k] * lr))) : f(p[k] + m2);
          }
        },
      };
    }
    case 'RMSprop': {
      const rhoValue = num(config, 'rho', 0.9);
      const momentumValue = num(config, 'momentum', 0);
      const centered = config.centered === true;
      const rho = f(rhoValue);
      const oneMinusRho = f(1 - rhoValue);
      const mu = f(momentumValue);
      return {
        slots: 3,
        initial: [0, 0, 0],
        step: (p, g, [vel, mom, avg]) => {
          for (let k = 0; k < p.length; k++) {
            const gk = g[k];
            const vel2 = f(f(vel[k] * rho) + f(f(gk * gk) * oneMinusRho));
            vel[k] = vel2;
            let denominator: number;
            if (centered) {
              const avg2 = f(f(avg[k] * rho) + f(gk * oneMinusRho));
              avg[k] = avg2;
              denominator = f(f(vel2 - f(avg2 * avg2)) + eps);
            } else {
              denominator = f(vel2 + eps);
            }
            const increment = f(f(gk * lr) / f(Math.sqrt(denominator)));
            if (momentumValue > 0) {
              const mom2 = f(f(mom[k] * mu) + increment);
              mom[k] = mom2;
              p[k] = f(p[k] - mom2);
            } else {
              p[k] = f(p[k] - increment);
            }
          }
        },
      };
    }
    case 'Adagrad': {
      return {
        slots: 1,
        initial: [num(config, 'initial_accumulator_value', 0.1)],
        step: (p, g, [acc]) => {
          for (let k = 0; k < p.length; k++) {
            const acc2 = f(acc[k] + f(g[k] * g[k]));
            acc[k] = acc2;
            p[k] = f(p[k] - f(f(g[k] * lr) / f(Math.sqrt(f(acc2 + eps)))));
          }
        },
      };
    }
    case 'Adadelta': {
      const rhoValue = num(config, 'rho', 0.95);
      const rho = f(rhoValue);
      const oneMinusRho = f(1 - rhoValue);
      return {
        slots: 2,
        initial: [0, 0],
        step: (p, g, [accGrad, accDelta]) => {
          for (let k = 0; k < p.length; k++) {
            const gk = g[k];
            const accGrad2 = f(f(accGrad[k] * rho) + f(f(gk * gk) * oneMinusRho));
            const delta = -f(f(f(Math.sqrt(f(accDelta[k] + eps))) * gk) / f(Math.sqrt(f(accGrad2 + eps))));
            accGrad[k] = accGrad2;
            accDelta[k] = f(f(accDelta[k] * rho) + f(f(delta * delta) * oneMinusRho));
            p[k] = f(p[k] + f(delta * lr));
          }
        },
      };
    }
    case 'Adamax': {
      const b1 = num(config, 'beta_1', 0.9);
      const b2 = num(config, 'beta_2', 0.999);
      const oneMinusB1 = f(1 - b1);
      const beta2 = f(b2);
      return {
        slots: 2,
        initial: [0, 0],
        step: (p, g, [m, u], t) => {
          const correction = f(1 - Math.pow(b1, t));
          for (let k = 0; k < p.length; k++) {
            const gk = g[k];
            const m2 = f(m[k] + f(f(gk - m[k]) * oneMinusB1));
            const u2 = Math.max(f(u[k] * beta2), Math.abs(gk));
            m[k] = m2;
            u[k] = u2;
            p[k] = f(p[k] - f(f(m2 * lr) / f(f(u2 + eps) * correction)));
          }
        },
      };
    }
    case 'Nadam': {
      // Keras 3's Nadam: Adam with Nesterov momentum under a schedule u_t = beta_1 (1 - 0.5 * 0.96^t),
      // whose running product Keras keeps in float32 and updates before each step.
      const b1 = f(num(config, 'beta_1', 0.9));
      const b2 = num(config, 'beta_2', 0.999);
      const oneMinusB1 = f(1 - b1);
      const oneMinusB2 = f(1 - b2);
      const u = (s: number): number => f(b1 * f(1 - f(0.5 * f(Math.pow(0.96, s)))));
      // products[t]: the product of u_1 ... u_t, as Keras accumulates it (index 0 is the initial 1).
      const products = [1];
      const product = (t: number): number => {
        while (products.length <= t) {
          const s = products.length;
          products.push(f(f(products[s - 1] * b1) * f(1 - f(0.5 * f(Math.pow(0.96, s))))));
        }
        return products[t];
      };
      return {
        slots: 2,
        initial: [0, 0],
        step: (p, g, [m, v], t) => {
          const ut = u(t);
          const ut1 = u(t + 1);
          const up = product(t);
          const up1 = f(up * ut1);
          const vCorrection = f(1 - f(Math.pow(b2, t)));
          for (let k = 0; k < p.length; k++) {
            const gk = g[k];
            const m2 = f(m[k] + f(f(gk - m[k]) * oneMinusB1));
            const v2 = f(v[k] + f(f(f(gk * gk) - v[k]) * oneMinusB2));
            m[k] = m2;
            v[k] = v2;
            const mHat = f(f(f(ut1 * m2) / f(1 - up1)) + f(f(f(1 - ut) * gk) / f(1 - up)));
            const vHat = f(v2 / vCorrection);
            p[k] = f(p[k] - f(f(mHat * lr) / f(f(Math.sqrt(vHat)) + eps)));
          }
        },
      };
    }
    case 'Ftrl': {
      // Keras 3's FTRL-proximal: an accumulator of squared gradients and a linear term, the variable solved from them.
      const power = num(config, 'learning_rate_power', -0.5);
      const l1 = f(num(config, 'l1_regularization_strength', 0));
      // Keras adds beta / (2 lr) to the l2 strength in float32 (lr is a float32 tensor there).
      const l2 = f(f(num(config, 'l2_regularization_strength', 0)) + f(num(config, 'beta', 0) / f(2 * lr)));
      const shrinkage = f(2 * num(config, 'l2_shrinkage_regularization_strength', 0));
      return {
        slots: 2,
        initial: [num(config, 'initial_accumulator_value', 0.1), 0],
        step: (p, g, [accum, linear]) => {
          for (let k = 0; k < p.length; k++) {
            const gk = g[k];
            const gradToUse = f(gk + f(shrinkage * p[k]));
            const newAccum = f(accum[k] + f(gk * gk));
            const newPower = f(Math.pow(newAccum, -power));
            const linear2 = f(linear[k] + f(gradToUse - f(f(f(newPower - f(Math.pow(accum[k], -power))) / lr) * p[k])));
            const quadratic = f(f(newPower / lr) + f(2 * l2));
            const clipped = linear2 < -l1 ? -l1 : linear2 > l1 ? l1 : linear2;
            linear[k] = linear2;
            accum[k] = newAccum;
            p[k] = f(f(clipped - linear2) / quadratic);
          }
        },
      };
    }
    case 'Lamb': {
      // Keras 3's LAMB: Adam's bias-corrected step, scaled per variable by the ratio of the variable's norm to the step's.
      const b1 = num(config, 'beta_1', 0.9);
      const b2 = num(config, 'beta_2', 0.999);
      const oneMinusB1 = f(1 - b1);
      const oneMinusB2 = f(1 - b2);
      return {
        slots: 2,
        initial: [0, 0],
        step: (p, g, [m, v], t, layout) => {
          const correction1 = f(1 - f(Math.pow(f(b1), t)));
          const correction2 = f(1 - f(Math.pow(f(b2), t)));
          const update = new Float32Array(p.length);
          for (let k = 0; k < p.length; k++) {
            const gk = g[k];
            m[k] = f(m[k] + f(f(gk - m[k]) * oneMinusB1));
            v[k] = f(v[k] + f(f(f(gk * gk) - v[k]) * oneMinusB2));
            update[k] = f(f(m[k] / correction1) / f(f(Math.sqrt(f(v[k] / correction2))) + eps));
          }
          for (let i = 0; i < layout.sizes.length; i++) {
            const start = layout.offsets[i];
            const size = layout.sizes[i];
            let weights = 0;
            let steps = 0;
            for (let k = start; k < start + size; k++) {
              weights += f(p[k] * p[k]);
              steps += f(update[k] * update[k]);
            }
            const wNorm = f(Math.sqrt(f(weights)));
            const gNorm = f(Math.sqrt(f(steps)));
            const ratio = wNorm > 0 && gNorm > 0 ? f(wNorm / gNorm) : 1;
            const scale = f(ratio * lr);
            for (let k = start; k < start + size; k++) p[k] = f(p[k] - f(scale * update[k]));
          }
        },
      };
    }
    case 'Adafactor': {
      const hyper = {
        lr,
        relative: config.relative_step !== false,
        decay: num(config, 'beta_2_decay', -0.8),
        eps1: f(num(config, 'epsilon_1', 1e-30)),
        eps2: f(num(config, 'epsilon_2', 1e-3)),
        clip: f(num(config, 'clip_threshold', 1)),
      };
      return {
        slots: 3,
        initial: [0, 0, 0],
        step: (p, g, [r, c, v], t, layout) => {
          for (let i = 0; i < layout.sizes.length; i++) adafactorVariable(p, g, r, c, v, layout.offsets[i], layout.shapes[i], t, hyper);
        },
      };
    }
    case 'Lion': {
      // Keras 3's Lion: the step is the sign of an interpolation of momentum and gradient. Keras casts beta_1
      // and beta_2 to float32 before taking 1 - beta, so the complements are computed in float32 too.
      const beta1 = f(num(config, 'beta_1', 0.9));
      const beta2 = f(num(config, 'beta_2', 0.99));
      const oneMinusB1 = f(1 - beta1);
      const oneMinusB2 = f(1 - beta2);
      return {
        slots: 1,
        initial: [0],
        step: (p, g, [m]) => {
          for (let k = 0; k < p.length; k++) {
            const gk = g[k];
            const c = f(f(m[k] * beta1) + f(gk * oneMinusB1));
            p[k] = f(p[k] - f(lr * Math.sign(c)));
            m[k] = f(f(m[k] * beta2) + f(gk * oneMinusB2));
          }
        },
      };
    }
    default: {
      // Adam and AdamW (amsgrad keeps the running maximum of v; AdamW's weight decay is applied before the step, see createFlatOptimizer).
      const b1 = num(config, 'beta_1', 0.9);
      const b2 = num(config, 'beta_2', 0.999);
      const amsgrad = config.amsgrad === true;
      const oneMinusB1 = f(1 - b1);
      const oneMinusB2 = f(1 - b2);
      const rawLr = num(config, 'learning_rate', 0.001);
      return {
        slots: 3,
        initial: [0, 0, 0],
        step: (p, g, [m, vel, vhat], t) => {
          const alpha = f((rawLr * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t)));
          for (let k = 0; k < p.length; k++) {
            const gk = g[k];
            const m2 = f(m[k] + f(f(gk - m[k]) * oneMinusB1));
            const vel2 = f(vel[k] + f(f(f(gk * gk) - vel[k]) * oneMinusB2));
            m[k] = m2;
            vel[k] = vel2;
            let root = vel2;
            if (amsgrad) {
              const vhat2 = Math.max(vhat[k], vel2);
              vhat[k] = vhat2;
              root = vhat2;
            }
            p[k] = f(p[k] - f(f(m2 * alpha) / f(f(Math.sqrt(root)) + eps)));
          }
        },
      };
    }
  }
}

/**
 * Keras 3's weight decay (any optimizer given `weight_decay`; AdamW's default is 0.004): after
 * clipping and before the update, every variable loses `variable * weight_decay * learning_rate`
 * (`_apply_weight_decay`, in float32).
 */
export function decayFlat(values: Float32Array, config: OptimizerConfig): void {
  const decay = num(config, 'weight_decay', 0);
  if (!(decay > 0)) return;
  const wd = f(decay);
  const lr = f(num(config, 'learning_rate', 0.001));
  for (let k = 0; k < values.length; k++) values[k] = f(values[k] - f(f(values[k] * wd) * lr));
}

/**
 * One step over the elements of a flat vector some of which are float16 (`half`, 1 per such
 * element): each part runs the update in its own arithmetic with its own slots, as Keras
 * keeps a float16 variable's slots in float16.
 */
function mixedStep(className: string, config: OptimizerConfig, half: Uint8Array): { slots: number; initial: number[]; step: FlatStep } {
  const single = flatStep(className, config);
  const halfStep = flatStep(className, config, float16Round);
  const parts = [0, 1].map((flag) => {
    const indices = Int32Array.from(Array.from(half.keys()).filter((k) => half[k] === flag));
    const local = () => new Float32Array(indices.length);
    return { indices, step: flag ? halfStep.step : single.step, p: local(), g: local(), slots: Array.from({ length: single.slots }, local) };
  });
  // A variable is float16 or not as a whole: each part's layout is that of its own variables (for the per-variable norms of Lamb).
  const partLayouts = new Map<FlatLayout, FlatLayout[]>();
  const layoutsOf = (layout: FlatLayout): FlatLayout[] => {
    let known = partLayouts.get(layout);
    if (!known) {
      known = [0, 1].map((flag) => new FlatLayout(layout.shapes.filter((_, i) => (half[layout.offsets[i]] ?? 0) === flag)));
      partLayouts.set(layout, known);
    }
    return known;
  };
  return {
    slots: single.slots,
    initial: single.initial,
    step: (p, g, slots, t, layout) => {
      const layouts = layoutsOf(layout);
      for (const [flag, part] of parts.entries()) {
        if (part.indices.length === 0) continue;
        part.indices.forEach((k, i) => {
          part.p[i] = p[k];
          part.g[i] = g[k];
          slots.forEach((s, j) => (part.slots[j][i] = s[k]));
        });
        part.step(part.p, part.g, part.slots, t, layouts[flag]);
        part.indices.forEach((k, i) => {
          p[k] = part.p[i];
          slots.forEach((s, j) => (s[k] = part.slots[j][i]));
        });
      }
    },
  };
}

/** `half`: per element of the flat vector, 1 where the variable is float16 (its update in float16 arithmetic). */
export function createFlatOptimizer(className: string, config: OptimizerConfig, variables: tf.Variable[], half?: Uint8Array): FlatKerasOptimizer {
  const layout = FlatLayout.of(variables);
  const allHalf = half !== undefined && half.length > 0 && half.every((h) => h === 1);
  const anyHalf = half !== undefined && half.some((h) => h === 1);
  // The settings of the next steps: the learning rate changes when a callback sets it (setLearningRate).
  let settings = config;
  const stepOf = (c: OptimizerConfig) => (allHalf ? flatStep(className, c, float16Round) : anyHalf ? mixedStep(className, c, half) : flatStep(className, c));
  const built = stepOf(settings);
  const { slots: slotCount, initial } = built;
  let step = built.step;
  const slots = Array.from({ length: slotCount }, (_, i) => new Float32Array(layout.total).fill(initial[i]));
  const params = new Float32Array(layout.total);
  let iteration = 0;
  const stepFlat = (values: Float32Array, grads: Float32Array): void => {
    iteration += 1;
    const clipped = clipFlat(grads, layout, settings);
    decayFlat(values, settings);
    step(values, clipped, slots, iteration, layout);
  };
  const applyFlat = (vars: tf.Variable[], grads: Float32Array): void => {
    layout.read(vars, params);
    stepFlat(params, grads);
    layout.assign(vars, params);
  };
  return {
    applyFlat,
    stepFlat,
    apply(vars, grads) {
      applyFlat(vars, layout.read(grads));
    },
    preview(vars, grads) {
      const copy = layout.read(vars);
      const clipped = clipFlat(layout.read(grads), layout, settings);
      decayFlat(copy, settings);
      step(copy, clipped, slots.map((s) => s.slice()), iteration + 1, layout);
      return layout.tensors(copy);
    },
    learningRate: () => num(settings, 'learning_rate', 0.001),
    setLearningRate(rate) {
      settings = { ...settings, learning_rate: rate };
      step = stepOf(settings).step;
    },
    dispose() {
      // Nothing held outside JavaScript.
    },
  };
}
