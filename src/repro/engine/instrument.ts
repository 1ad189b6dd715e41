/**
 * The instrumented replay of the step where a non-finite value first appeared, in the
 * order the numbers are computed (like `tf.debugging.enable_check_numerics`): inputs,
 * weights, each layer's output, the loss, the gradients (from the output layer back),
 * then the weights the optimizer would write.
 */
import type { NonFinitePoint, TensorKind } from '../protocol';
import type { LossFn } from './losses';
import { modelLoss, type BuiltModel } from './model';
import type { KerasOptimizer } from './optimizers';
import { tf } from './tf';

function maxAbs(t: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);
}

function allFinite(t: tf.Tensor): boolean {
  return tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0] === 1);
}

const fmt = (n: number): string => (Number.isFinite(n) ? n.toExponential(2) : String(n));

export function replayStep(built: BuiltModel, xb: tf.Tensor, yb: tf.Tensor, lossFn: LossFn, optimizer: KerasOptimizer, epoch: number, batch: number): Omit<NonFinitePoint, 'recentLosses'> {
  const point = (layer: string | null, tensor: TensorKind, inputsNonFinite: boolean, detail: string): Omit<NonFinitePoint, 'recentLosses'> => ({ epoch, batch, layer, tensor, inputsNonFinite, detail });
  const outputLayer = built.layers[built.layers.length - 1]?.name ?? null;

  const inputsNonFinite = !allFinite(xb) || !allFinite(yb);
  if (inputsNonFinite) {
    return point(built.inputName, 'input', true, `The batch's ${!allFinite(xb) ? 'inputs' : 'targets'} already hold NaN or Inf: the data, not the training, brings them in.`);
  }
  for (const layer of built.layers) {
    for (const i of layer.variableIndices) {
      if (!allFinite(built.variables[i])) {
        return point(layer.name, 'weight', false, `${layer.name}'s weights were already non-finite when this batch started (the previous update overflowed them).`);
      }
    }
  }
  // Largest |value| of each layer's output so far, to say what fed the layer that overflowed.
  const largest = new Map<string, number>([[built.inputName, maxAbs(xb)]]);
  let previousMax = largest.get(built.inputName)!;
  // A model's several inputs, each its part of the batch's rows.
  for (const part of built.inputParts) largest.set(part.name, tf.tidy(() => maxAbs(tf.slice(tf.reshape(xb, [xb.shape[0], -1]), [0, part.offset], [-1, part.width]))));
  const inputNames = new Set([built.inputName, ...built.inputParts.map((p) => p.name)]);
  const describeInputs = (inbound: string[]): string => {
    const known = inbound.filter((name) => largest.has(name));
    if (known.length === 0) return `inputs with values up to ${fmt(previousMax)}`;
    return known.map((name) => `${name === built.inputName ? 'the input' : inputNames.has(name) ? `the input ${name}` : `${name}'s outputs`} (up to ${fmt(largest.get(name)!)})`).join(' and ');
  };
  /** The least value of the last output, for a NaN loss of a log of it. */
  let lowestOutput: number | undefined;
  if (built.probe) {
    const outputs = tf.tidy(() => {
      const out = built.probe!.apply(xb, { training: true });
      return Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
    });
    try {
      for (let i = 0; i < outputs.length && i < built.layers.length; i++) {
        const layer = built.layers[i];
        if (!allFinite(outputs[i])) {
          return point(layer.name, 'activation', false, `${layer.name} (${layer.className}) produced non-finite outputs from ${describeInputs(layer.inbound)}.`);
        }
        previousMax = maxAbs(outputs[i]);
        largest.set(layer.name, previousMax);
        if (i === outputs.length - 1) lowestOutput = tf.tidy(() => tf.min(outputs[i]).dataSync()[0]);
      }
    } finally {
      tf.dispose(outputs);
    }
  }
  const { value, grads } = tf.variableGrads(() => modelLoss(built, lossFn, xb, yb, true), built.variables);
  try {
    const loss = value.dataSync()[0];
    if (!Number.isFinite(loss)) {
      // NaN from finite outputs is no overflow: a log (poisson, a custom loss) or a root of an output at or below 0, or 0/0.
      if (Number.isNaN(loss) && lowestOutput !== undefined && lowestOutput <= 0) {
        return point(outputLayer, 'loss', false, `Every layer's output is finite, but the output goes down to ${fmt(lowestOutput)} and the loss is NaN: it is undefined there (the log of a value at or below 0, which the poisson loss or a custom loss takes of the output, is NaN).`);
      }
      return point(outputLayer, 'loss', false, `Every layer's output is finite (the output reaches ${fmt(previousMax)}), but the loss ${Number.isNaN(loss) ? 'is NaN' : `overflows to ${loss}`}.`);
    }
    for (let k = built.layers.length - 1; k >= 0; k--) {
      const layer = built.layers[k];
      for (const i of layer.variableIndices) {
        const g = grads[built.variables[i].name];
        if (g && !allFinite(g)) {
          return point(layer.name, 'gradient', false, `The loss is finite (${fmt(loss)}) but ${layer.name}'s gradient overflows: the update would write Inf/NaN into its weights.`);
        }
      }
    }
    const ordered = built.variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
    const updated = optimizer.preview(built.variables, ordered);
    try {
      for (const layer of built.layers) {
        for (const i of layer.variableIndices) {
          if (!allFinite(updated[i])) {
            return point(layer.name, 'weight', false, `The loss (${fmt(loss)}) and gradients are finite, but the update overflows ${layer.name}'s weights.`);
          }
        }
      }
    } finally {
      tf.dispose(updated);
    }
    return point(outputLayer, 'loss', false, `The replayed step stayed finite (loss ${fmt(loss)}); the non-finite value came from randomness in training (dropout or noise).`);
  } finally {
    value.dispose();
    tf.dispose(grads);
  }
}
