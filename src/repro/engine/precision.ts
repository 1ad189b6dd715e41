/**
 * Half precision in a reproduction (plan.ts `PrecisionPlan`), on the TensorFlow.js model:
 * the float16 layers round their inputs and outputs to float16 (and the gradients through
 * them, see `castToFloat16`); float16 variables start and stay float16 (the optimizer steps
 * them in float16 arithmetic); the loop rounds their gradients. Under `mixed_float16` the
 * variables are float32 masters that the layers read as float16 copies, and the loss is
 * scaled as Keras 3's LossScaleOptimizer does: gradients of the loss times the scale (2^15 at
 * first), a step with a non-finite gradient skipped and the scale halved, the scale doubled
 * after 2000 finite steps.
 */
import type { PrecisionPlan } from '../plan';
import { castToFloat16, roundFloat16InPlace } from './float16';
import type { BuiltModel } from './model';
import type { FlatKerasOptimizer } from './optimizers';
import type { FlatLayout } from './optimizersFlat';
import { tf, type tfl } from './tf';

const INITIAL_LOSS_SCALE = 2 ** 15;
const LOSS_SCALE_GROWTH_STEPS = 2000;

export interface HalfPrecision {
  policy: PrecisionPlan['policy'];
  /** Per element of the flat layout: 1 where the variable is float16 (under mixed_float16: read as float16). */
  half: Uint8Array;
  /** What the loss is multiplied by before the gradients are taken (1 without loss scaling). */
  lossScale(): number;
  /**
   * The gradients of a step, as the optimizer receives them: rounded to float16 where they are
   * float16, unscaled. False when the step is skipped (mixed_float16: a non-finite gradient).
   */
  prepareGradients(grads: Float32Array): boolean;
  /** Under mixed_float16: wraps the optimizer so that it steps float32 masters and writes float16 copies to the variables. */
  wrapOptimizer(optimizer: FlatKerasOptimizer): FlatKerasOptimizer;
}

function castAll(value: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
  return Array.isArray(value) ? value.map((t) => castToFloat16(t)) : castToFloat16(value);
}

/** Makes a layer compute in float16: inputs cast to float16 (as a Keras layer casts them to its compute dtype), output rounded. */
function halveLayer(layer: tfl.layers.Layer): void {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => castAll(call(castAll(inputs), kwargs));
}

function halveLayers(layers: tfl.layers.Layer[], names: Set<string> | null): void {
  for (const layer of layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const inner = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
    // A nested model's own layers are the ones that compute.
    if (Array.isArray(inner)) halveLayers(inner, names === null || names.has(layer.name) ? null : names);
    else if (names === null || names.has(layer.name)) halveLayer(layer);
  }
}

export function emulateHalfPrecision(built: BuiltModel, layout: FlatLayout, plan: PrecisionPlan): HalfPrecision {
  const names = plan.layers ? new Set(plan.layers) : null;
  halveLayers(built.model.layers, names);
  const half = new Uint8Array(layout.total);
  for (const layer of built.layers) {
    if (names && !names.has(layer.name)) continue;
    for (const i of layer.variableIndices) half.fill(1, layout.offsets[i], layout.offsets[i] + layout.sizes[i]);
  }
  const mixed = plan.policy === 'mixed_float16';
  // The initial weights in float16 (mixed: the float32 masters stay as drawn, see wrapOptimizer).
  const roundVariables = (values: Float32Array): void => {
    roundFloat16InPlace(values, half);
    layout.assign(built.variables, values);
  };
  if (!mixed) roundVariables(layout.read(built.variables));
  let scale = mixed ? INITIAL_LOSS_SCALE : 1;
  let goodSteps = 0;
  return {
    policy: plan.policy,
    half,
    lossScale: () => scale,
    prepareGradients(grads) {
      roundFloat16InPlace(grads, half);
      if (!mixed) return true;
      for (let k = 0; k < grads.length; k++) {
        if (!Number.isFinite(grads[k])) {
          scale /= 2;
          goodSteps = 0;
          return false;
        }
      }
      // Keras grows the scale before it unscales this step's gradients, so they are divided by the new scale.
      if (goodSteps === LOSS_SCALE_GROWTH_STEPS - 1) {
        scale *= 2;
        goodSteps = 0;
      } else {
        goodSteps++;
      }
      for (let k = 0; k < grads.length; k++) grads[k] = Math.fround(grads[k] / scale);
      return true;
    },
    wrapOptimizer(optimizer) {
      if (!mixed) return optimizer;
      const masters = layout.read(built.variables);
      const copies = new Float32Array(layout.total);
      const publish = (): void => {
        copies.set(masters);
        roundVariables(copies);
      };
      publish();
      return {
        ...optimizer,
        applyFlat(_variables, grads) {
          optimizer.stepFlat(masters, grads);
          publish();
        },
      };
    },
  };
}
