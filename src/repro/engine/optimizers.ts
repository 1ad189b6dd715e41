/**
 * Keras 3's optimizers, step for step (keras/src/optimizers/*.py `update_step`), on tfjs
 * variables. tfjs's own optimizers differ from Keras in places that matter near NaN:
 * Adam's epsilon sits outside the bias correction in Keras, RMSprop puts it inside the
 * square root, defaults differ. Gradient clipping follows Keras: `clipnorm` clips each
 * gradient by its own norm, `global_clipnorm` all together, `clipvalue` element-wise.
 *
 * Two implementations of the same arithmetic: `createOptimizer` (used for training) runs
 * the update on one flat vector of every parameter in plain float32 arithmetic
 * (`optimizersFlat.ts`), so a step costs a read and a write per variable instead of a
 * dozen TensorFlow.js kernels per variable, which dominate small models;
 * `createPerVariableOptimizer` runs it as TensorFlow.js operations per variable, the
 * reference the flat one is tested against.
 */
import { createFlatOptimizer, FlatLayout, num } from './optimizersFlat';
import { tf } from './tf';

export interface KerasOptimizer {
  /** Applies one step; `grads` are keyed like `variables`. */
  apply(variables: tf.Variable[], grads: tf.Tensor[]): void;
  /** The update the next step would make, applied to copies (for the instrumented replay). */
  preview(variables: tf.Variable[], grads: tf.Tensor[]): tf.Tensor[];
  dispose(): void;
}

/** An optimizer that can also take the gradients as one flat vector (variables in order, each row-major). */
export interface FlatKerasOptimizer extends KerasOptimizer {
  applyFlat(variables: tf.Variable[], grads: Float32Array): void;
  /** One step on a flat vector of the parameters (the layout's order), in place, with no tensor involved. */
  stepFlat(values: Float32Array, grads: Float32Array): void;
  /** The learning rate of the next steps (Keras's `optimizer.learning_rate`). */
  learningRate(): number;
  /** Sets it, as ReduceLROnPlateau does between epochs; the slots and the step count stay. */
  setLearningRate(rate: number): void;
}

export type OptimizerConfig = Record<string, number | boolean | null>;

/** Keras's `LossScaleOptimizer` around the optimizer: its dynamic loss scale. */
export interface LossScale {
  initialScale: number;
  growthSteps: number;
}

/** `half`: per element of the variables' flat vector, 1 where the variable is float16. */
export function createOptimizer(className: string, config: OptimizerConfig, variables: tf.Variable[], half?: Uint8Array, lossScale?: LossScale): FlatKerasOptimizer {
  const inner = createFlatOptimizer(className, config, variables, half);
  return lossScale ? lossScaled(inner, variables, lossScale) : inner;
}

/**
 * Keras 3's `LossScaleOptimizer` (TensorFlow backend): the loss is multiplied by a dynamic scale,
 * so the gradients are too. A step whose scaled gradients are all finite is unscaled and applied
 * by the inner optimizer, and after `growthSteps` such steps in a row the scale doubles; a step
 * with a non-finite scaled gradient is skipped and halves the scale. Training runs in float32
 * here, where the scaled gradients are the gradients times the scale (a power of two: exact
 * until they overflow).
 */
function lossScaled(inner: FlatKerasOptimizer, variables: tf.Variable[], settings: LossScale): FlatKerasOptimizer {
  const layout = FlatLayout.of(variables);
  let scale = Math.fround(settings.initialScale);
  let counter = 0;
  const params = new Float32Array(layout.total);
  /** The unscaled gradients of a step the inner optimizer takes, or null for a skipped step. */
  const unscaled = (grads: Float32Array, state: { scale: number; counter: number }): Float32Array | null => {
    const out = new Float32Array(grads.length);
    for (let k = 0; k < grads.length; k++) {
      const scaled = Math.fround(grads[k] * state.scale);
      if (!Number.isFinite(scaled)) {
        state.scale = Math.fround(state.scale * 0.5);
        state.counter = 0;
        return null;
      }
      out[k] = Math.fround(scaled / state.scale);
    }
    if (state.counter === settings.growthSteps - 1) {
      state.counter = 0;
      state.scale = Math.fround(state.scale * 2);
    } else state.counter += 1;
    return out;
  };
  const stepFlat = (values: Float32Array, grads: Float32Array): void => {
    const state = { scale, counter };
    const g = unscaled(grads, state);
    if (g) inner.stepFlat(values, g);
    scale = state.scale;
    counter = state.counter;
  };
  return {
    stepFlat,
    applyFlat(vars, grads) {
      layout.read(vars, params);
      stepFlat(params, grads);
      layout.assign(vars, params);
    },
    apply(vars, grads) {
      this.applyFlat(vars, layout.read(grads));
    },
    preview(vars, grads) {
      const g = unscaled(layout.read(grads), { scale, counter });
      if (!g) return vars.map((v) => v.clone());
      const unscaledGrads = layout.tensors(g);
      try {
        return inner.preview(vars, unscaledGrads);
      } finally {
        tf.dispose(unscaledGrads);
      }
    },
    learningRate: () => inner.learningRate(),
    setLearningRate: (rate) => inner.setLearningRate(rate),
    dispose() {
      inner.dispose();
    },
  };
}

type Config = OptimizerConfig;
type Slots = tf.Variable[][];


export function clipGradients(grads: tf.Tensor[], config: Config): tf.Tensor[] {
  const clipnorm = num(config, 'clipnorm', 0);
  const globalClipnorm = num(config, 'global_clipnorm', 0);
  const clipvalue = num(config, 'clipvalue', 0);
  if (clipnorm > 0) {
    return grads.map((g) => {
      const l2 = tf.sqrt(tf.sum(tf.square(g)));
      return tf.div(tf.mul(g, clipnorm), tf.maximum(l2, clipnorm));
    });
  }
  if (globalClipnorm > 0) {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(globalClipnorm, tf.maximum(norm, globalClipnorm));
    return grads.map((g) => tf.mul(g, scale));
  }
  if (clipvalue > 0) return grads.map((g) => tf.clipByValue(g, -clipvalue, clipvalue));
  return grads;
}

/** One variable's step: returns the new value and the new slot values (all inside a tidy). */
type Step = (variable: tf.Tensor, grad: tf.Tensor, slots: tf.Tensor[], iteration: number) => { value: tf.Tensor; slots: tf.Tensor[] };

function makeStep(className: string, config: Config): { slots: number; initial: number[]; step: Step } {
  const lr = num(config, 'learning_rate', 0.001);
  const eps = num(config, 'epsilon', 1e-7);
  switch (className) {
    case 'SGD': {
      const momentum = num(config, 'momentum', 0);
      const nesterov = config.nesterov === true;
      if (momentum === 0) return { slots: 0, initial: [], step: (v, g) => ({ value: tf.sub(v, tf.mul(g, lr)), slots: [] }) };
      return {
        slots: 1,
        initial: [0],
        step: (v, g, [m]) => {
          const m2 = tf.sub(tf.mul(m, momentum), tf.mul(g, lr));
          const value = nesterov ? tf.add(v, tf.sub(tf.mul(m2, momentum), tf.mul(g, lr))) : tf.add(v, m2);
          return { value, slots: [m2] };
        },
      };
    }
    case 'RMSprop': {
      const rho = num(config, 'rho', 0.9);
      const momentum = num(config, 'momentum', 0);
      const centered = config.centered === true;
      return {
        slots: 3,
        initial: [0, 0, 0],
        step: (v, g, [vel, mom, avg]) => {
          const vel2 = tf.add(tf.mul(vel, rho), tf.mul(tf.square(g), 1 - rho));
          const avg2 = centered ? tf.add(tf.mul(avg, rho), tf.mul(g, 1 - rho)) : avg;
          const denominator = centered ? tf.add(tf.sub(vel2, tf.square(avg2)), eps) : tf.add(vel2, eps);
          const increment = tf.div(tf.mul(g, lr), tf.sqrt(denominator));
          if (momentum > 0) {
            const mom2 = tf.add(tf.mul(mom, momentum), increment);
            return { value: tf.sub(v, mom2), slots: [vel2, mom2, avg2] };
          }
          return { value: tf.sub(v, increment), slots: [vel2, mom, avg2] };
        },
      };
    }
    case 'Adagrad': {
      const initialAccumulator = num(config, 'initial_accumulator_value', 0.1);
      return {
        slots: 1,
        initial: [initialAccumulator],
        step: (v, g, [acc]) => {
          const acc2 = tf.add(acc, tf.square(g));
          return { value: tf.sub(v, tf.div(tf.mul(g, lr), tf.sqrt(tf.add(acc2, eps)))), slots: [acc2] };
        },
      };
    }
    case 'Adadelta': {
      const rho = num(config, 'rho', 0.95);
      return {
        slots: 2,
        initial: [0, 0],
        step: (v, g, [accGrad, accDelta]) => {
          const accGrad2 = tf.add(tf.mul(accGrad, rho), tf.mul(tf.square(g), 1 - rho));
          const delta = tf.neg(tf.div(tf.mul(tf.sqrt(tf.add(accDelta, eps)), g), tf.sqrt(tf.add(accGrad2, eps))));
          const accDelta2 = tf.add(tf.mul(accDelta, rho), tf.mul(tf.square(delta), 1 - rho));
          return { value: tf.add(v, tf.mul(delta, lr)), slots: [accGrad2, accDelta2] };
        },
      };
    }
    case 'Adamax': {
      const b1 = num(config, 'beta_1', 0.9);
      const b2 = num(config, 'beta_2', 0.999);
      return {
        slots: 2,
        initial: [0, 0],
        step: (v, g, [m, u], t) => {
          const m2 = tf.add(m, tf.mul(tf.sub(g, m), 1 - b1));
          const u2 = tf.maximum(tf.mul(u, b2), tf.abs(g));
          const value = tf.sub(v, tf.div(tf.mul(m2, lr), tf.mul(tf.add(u2, eps), 1 - Math.pow(b1, t))));
          return { value, slots: [m2, u2] };
        },
      };
    }
    case 'Lion': {
      const beta1 = Math.fround(num(config, 'beta_1', 0.9));
      const beta2 = Math.fround(num(config, 'beta_2', 0.99));
      return {
        slots: 1,
        initial: [0],
        step: (v, g, [m]) => {
          const c = tf.add(tf.mul(m, beta1), tf.mul(g, Math.fround(1 - beta1)));
          const value = tf.sub(v, tf.mul(tf.sign(c), lr));
          return { value, slots: [tf.add(tf.mul(m, beta2), tf.mul(g, Math.fround(1 - beta2)))] };
        },
      };
    }
    default: {
      // Adam and AdamW (amsgrad keeps the running maximum of v; weight decay, for any optimizer, is applied before the step).
      const b1 = num(config, 'beta_1', 0.9);
      const b2 = num(config, 'beta_2', 0.999);
      const amsgrad = config.amsgrad === true;
      return {
        slots: 3,
        initial: [0, 0, 0],
        step: (v, g, [m, vel, vhat], t) => {
          const alpha = (lr * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
          const m2 = tf.add(m, tf.mul(tf.sub(g, m), 1 - b1));
          const vel2 = tf.add(vel, tf.mul(tf.sub(tf.square(g), vel), 1 - b2));
          const vhat2 = amsgrad ? tf.maximum(vhat, vel2) : vhat;
          const value = tf.sub(v, tf.div(tf.mul(m2, alpha), tf.add(tf.sqrt(amsgrad ? vhat2 : vel2), eps)));
          return { value, slots: [m2, vel2, vhat2] };
        },
      };
    }
  }
}

/** Keras 3's weight decay before the step: `variable - variable * weight_decay * learning_rate`. */
function decayed(v: tf.Tensor, config: Config): tf.Tensor {
  const decay = num(config, 'weight_decay', 0);
  if (!(decay > 0)) return v;
  return tf.sub(v, tf.mul(tf.mul(v, Math.fround(decay)), Math.fround(num(config, 'learning_rate', 0.001))));
}

/** The reference implementation: TensorFlow.js operations per variable. */
export function createPerVariableOptimizer(className: string, config: Config, variables: tf.Variable[]): KerasOptimizer {
  const { slots: slotCount, initial, step } = makeStep(className, config);
  const slots: Slots = variables.map((v) => Array.from({ length: slotCount }, (_, i) => tf.variable(tf.fill(v.shape, initial[i]), false)));
  let iteration = 0;
  return {
    apply(vars, grads) {
      iteration += 1;
      tf.tidy(() => {
        const clipped = clipGradients(grads, config);
        if (num(config, 'weight_decay', 0) > 0) vars.forEach((v) => v.assign(decayed(v, config)));
        vars.forEach((v, i) => {
          const r = step(v, clipped[i], slots[i], iteration);
          v.assign(r.value);
          r.slots.forEach((s, k) => {
            if (s !== slots[i][k]) slots[i][k].assign(s);
          });
        });
      });
    },
    preview(vars, grads) {
      return tf.tidy(() => {
        const clipped = clipGradients(grads, config);
        return vars.map((v, i) => step(decayed(v, config), clipped[i], slots[i], iteration + 1).value);
      });
    },
    dispose() {
      slots.flat().forEach((s) => s.dispose());
    },
  };
}
