/**
 * The fidelity case: one reproduction plan as plain data for a Keras script (the Keras
 * side of the fidelity suite loads `kerasJson` with `keras.models.model_from_json`,
 * compiles with `optimizer` and `loss`, fits on `x`/`y` with the same settings) so that
 * the Keras outcome and the TensorFlow.js outcome of the same plan can be compared.
 */
import { materializeData, type ReproPlan } from './plan';
import type { KerasModelJson } from './kerasJson';

export interface FidelityCase {
  name: string;
  /** What `model.to_json()` writes (Keras 3): a Sequential with an InputLayer carrying `batch_shape`, or a Functional. */
  kerasJson: KerasModelJson;
  /** `keras.optimizers.deserialize` input: class name and config with every Keras default written out. */
  optimizer: { class_name: string; config: Record<string, number | boolean | null> };
  loss: string;
  /** With `loss: "custom"`: the user's loss translated to tensor operations (core/tensorExpr.ts), for the Keras side to evaluate with keras.ops. */
  lossExpression?: unknown;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validationSplit: number | null;
  /** Training data after the plan's transforms (before any validation split: Keras splits it itself). */
  x: number[][];
  y: number[][];
  valX: number[][] | null;
  valY: number[][] | null;
  seed: number;
  /** EarlyStopping as the plan reproduces it, for `keras.callbacks.EarlyStopping(**earlyStopping)`. */
  earlyStopping: { monitor: string; patience: number; min_delta: number; restore_best_weights: boolean; start_from_epoch: number } | null;
}

export function toFidelityCase(plan: ReproPlan, name = plan.name): FidelityCase {
  // The Keras side compiles the loss alone: a comparison without the added terms would compare two different losses.
  if (plan.compile.addedLosses) throw new Error(`${name} trains on added losses (add_loss or a train_step), which a fidelity case does not carry`);
  // Keras applies validation_split itself, so the case carries the unsplit arrays.
  const data = materializeData({ ...plan, fit: { ...plan.fit, validationSplit: null } });
  const config = Object.fromEntries(Object.entries(plan.compile.optimizer.config).filter(([, v]) => v !== null));
  const es = plan.fit.earlyStopping;
  return {
    name,
    kerasJson: plan.kerasJson,
    optimizer: { class_name: plan.compile.optimizer.className, config },
    loss: plan.compile.loss,
    ...(plan.compile.lossExpression ? { lossExpression: plan.compile.lossExpression } : {}),
    epochs: plan.fit.epochs,
    batchSize: plan.fit.batchSize,
    shuffle: plan.fit.shuffle,
    validationSplit: plan.fit.validationSplit,
    x: data.x,
    y: data.y,
    valX: data.valX ?? null,
    valY: data.valY ?? null,
    seed: plan.seed,
    earlyStopping: es ? { monitor: es.monitor, patience: es.patience, min_delta: es.minDelta, restore_best_weights: es.restoreBestWeights, start_from_epoch: es.startFromEpoch } : null,
  };
}
