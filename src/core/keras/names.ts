/**
 * Keras's names for optimizers and losses, and their defaults, in one place so that JSON
 * (`"adam"`, `"Custom>Adam"`, `{"class_name": "Adam"}`) and configs (`"optimizer": "ADAM"`)
 * normalise to the same IR value.
 */
import type { OptimizerClassName } from './format';

const OPTIMIZER_BY_LOWER: Record<string, OptimizerClassName> = {
  adam: 'Adam',
  adamw: 'AdamW',
  adamax: 'Adamax',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  nadam: 'Nadam',
  rmsprop: 'RMSprop',
  sgd: 'SGD',
  ftrl: 'Ftrl',
  lion: 'Lion',
};

/** Keras 3 default learning rates (keras.optimizers.*). */
export const DEFAULT_LEARNING_RATE: Record<OptimizerClassName, number> = {
  Adam: 0.001,
  AdamW: 0.001,
  Adamax: 0.001,
  Adagrad: 0.001,
  Adadelta: 0.001,
  Nadam: 0.001,
  RMSprop: 0.001,
  SGD: 0.01,
  Ftrl: 0.001,
  Lion: 0.001,
};

/**
 * `"adam"`, `"Adam"`, `"Custom>Adam"`, `"keras.optimizers.Adam"`, `"tf.keras.optimizers.legacy.Adam"` -> `Adam`.
 * Unknown names come back as written (trimmed, prefix removed), so a message can still quote them.
 */
export function normalizeOptimizerName(name: string): string {
  let n = name.trim();
  const gt = n.lastIndexOf('>');
  if (gt >= 0) n = n.slice(gt + 1);
  const dot = n.lastIndexOf('.');
  if (dot >= 0) n = n.slice(dot + 1);
  return OPTIMIZER_BY_LOWER[n.toLowerCase()] ?? n;
}

export function isKnownOptimizer(name: string): name is OptimizerClassName {
  return Object.prototype.hasOwnProperty.call(DEFAULT_LEARNING_RATE, name);
}

/** Keras's default learning rate for an optimizer, when it has one we know. */
export function defaultLearningRate(optimizer: string): number | undefined {
  return isKnownOptimizer(optimizer) ? DEFAULT_LEARNING_RATE[optimizer] : undefined;
}

/** `MeanSquaredError` -> `mean_squared_error`; `mse` stays `mse`; `Custom>MyLoss` -> `my_loss`. */
export function normalizeLossName(name: string): string {
  let n = name.trim();
  const gt = n.lastIndexOf('>');
  if (gt >= 0) n = n.slice(gt + 1);
  const dot = n.lastIndexOf('.');
  if (dot >= 0) n = n.slice(dot + 1);
  if (/[A-Z]/.test(n) && !n.includes('_')) {
    return n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
  }
  return n.toLowerCase();
}
