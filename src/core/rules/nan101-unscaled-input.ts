import type { Severity } from '../findings';
import { isAdaptiveOptimizer } from '../keras/names';
import { featureName, fitAnchor, fitRelated, fmt, outputActivation, range, unscaledRegressionTarget, unscaledTrainInput } from './helpers/facts';
import { scaleTargetFix } from './helpers/scaling';
import { scaleInputFix } from './helpers/scaling';
import { lossName, type LossName } from '../keras/names';
import type { DataSpec } from '../ir';
import type { Rule, RuleContext, RuleHit } from './rule';

/** Losses that compare predictions with targets as numbers, where the target's scale is the loss's. */
const REGRESSION_LOSSES: ReadonlySet<LossName> = new Set<LossName>(['mse', 'mae', 'huber', 'log_cosh']);

/**
 * lr * max|x|^2 roughly sizes the first SGD step on an MSE autoencoder. In Keras (5 seeds),
 * data up to 200 with SGD 0.01 (400) went NaN or inf in 3 of 8 seeds and past 1e12 in 3 more;
 * data up to 50 (25) diverged in 2 of 8 seeds.
 */
const EXPLOSIVE_STEP_SCALE = 100;

/**
 * lr * max|y| sizes the first SGD step of the output layer chasing an unscaled regression target
 * (its bias gradient under MSE is 2 * (prediction - y)). In Keras (8 seeds), targets up to 7000
 * with SGD 0.01 (70) went NaN in the first epoch in every seed.
 */
const EXPLOSIVE_TARGET_STEP = 10;

export const unscaledInput: Rule = {
  id: 'NAN101',
  name: 'unscaled-input',
  cause: 'unscaled-input',
  title: 'Inputs reach the network far outside [-10, 10] with no scaling',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Checks the arrays passed to `fit` for values far outside roughly [-10, 10] (the threshold is `unscaledAbsMax`, 10 by default) that reach the first layer without a scaler, a division, or a `Normalization`/`Rescaling` layer on the way. Statistics come from literal arrays, `np.random.*` bounds, or workspace data files. A regression target that is not the input (prices, remaining useful life) is checked too when the output is unbounded (linear, relu) and the loss compares numbers (MSE, MAE, Huber, log-cosh); a bounded output is NAN201\'s case.',
    whyItFails:
      'A Dense layer computes `w·x + b` with weights initialised around ±0.5. With inputs near 1000 the pre-activations are in the hundreds, the reconstruction error of an MSE autoencoder is in the thousands, and the gradient of a weight is error × input: about 1e6. Plain SGD with learning rate 0.01 then moves a weight by about 1e4 in one step; the next forward pass is 1e4 times larger again, and within a few batches the activations overflow float32 (3.4e38) to `inf`, and `inf - inf` gives NaN. Adaptive optimizers (Adam, RMSprop) divide the gradient by its own running magnitude, so each step stays near the learning rate: they do not blow up, but with steps of 0.001 against values of 1000 they barely move. A sigmoid or tanh output cannot reach such targets at all (see NAN201).',
    example: [
      '```python',
      'import numpy as np',
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      '',
      'X_train = np.random.uniform(0, 1000, size=(256, 8))  # raw sensor readings',
      '',
      'autoencoder = keras.Sequential([',
      '    keras.Input(shape=(8,)),',
      "    layers.Dense(16, activation='relu'),",
      "    layers.Dense(4, activation='relu'),",
      "    layers.Dense(16, activation='relu'),",
      "    layers.Dense(8, activation='linear'),",
      '])',
      "autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='mse')",
      'autoencoder.fit(X_train, X_train, epochs=5, batch_size=32)',
      '```',
    ].join('\n'),
    fix: [
      'Scale the data before it reaches the network: fit the scaler on the training data only and apply the same transform to validation data (`/ 255.` for 8-bit images). A `keras.layers.Normalization` layer adapted on the training data works too.',
      '',
      '```python',
      'from sklearn.preprocessing import StandardScaler',
      '',
      'X_train = np.random.uniform(0, 1000, size=(256, 8))',
      'scaler = StandardScaler()',
      'X_train = scaler.fit_transform(X_train)',
      '```',
    ].join('\n'),
    measured: 'NaN in epoch 1 in 5 of 8 seeds (SGD 0.01), 2 more explode; Adam stalls in 8 of 8',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN101.py`, 8 seeds, 5 epochs): the example goes NaN in the first epoch in 5 of 8 seeds, and two more explode (to 1.0e29 and 7.0e13); the remaining seed\'s relu units die and it stalls at a loss of 3.0e5. The same model with Adam never goes NaN but crawls: losses of 1.8e5-3.9e5 after 5 epochs against a data mean square of 3.3e5. Standardised with `StandardScaler`, SGD never goes NaN in any of the 8 seeds. Data up to 200 went NaN or inf in 3 of 8 seeds and past 1e12 in 3 more; data up to 50 still diverged in 2 of 8 (NaN in one). The rule therefore reports an error when a non-adaptive optimizer meets an unbounded output and learning rate × max|x|² is at least 100, and a warning otherwise (with a sigmoid or tanh output the run stalls instead, see NAN201). An unscaled regression target (standardised inputs, targets 4000-7000, Dense 32 relu and a linear output, MSE, 20 epochs, 8 seeds): SGD at 0.01 goes NaN in the first epoch in 8 of 8 seeds; Adam never goes NaN but stalls in 8 of 8, from 3.0e7-3.1e7 to 3.0e7-3.1e7 (31 times the targets\' variance); with the target standardised both train (SGD and Adam end at 0.04-0.11 of a variance of 1). Hence an error for a non-adaptive optimizer when learning rate × max|y| is at least 10, and a warning otherwise.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const found = unscaledTrainInput(model, thresholds.unscaledAbsMax);
    if (!found) return unscaledTargetHits(ctx);
    const { data, facts, worst } = found;
    const by = boundsNote(data, facts.kind);
    const head = `${data.name} reaches the network unscaled: ${featureName(worst.stats, worst.index)} spans ${range(worst.stats)}${by}`;
    const out = outputActivation(model);
    const opt = model.compile?.optimizer;
    let consequence: string;
    let severity: Severity = 'warning';
    let mechanism: string;
    const big = worst.maxAbs;
    if (out && out.range.high !== null && out.range.low !== null) {
      consequence = `; with a ${out.activation} output the loss stalls far above zero rather than going NaN (see NAN201)`;
      mechanism = `The ${out.activation} output can only produce values in (${out.range.low}, ${out.range.high}), so training does not diverge: it stalls. The inputs still saturate the first layers (pre-activations of order ${fmt(big * 0.5)}).`;
    } else if (opt && !isAdaptiveOptimizer(opt.className)) {
      const lr = opt.learningRate.value;
      const stepScale = lr * big * big;
      const clipped = opt.clipnorm ?? opt.clipvalue;
      if (clipped) {
        consequence = `; ${opt.className}'s gradient clipping keeps each step bounded, so it should not go NaN, but it learns slowly`;
      } else if (stepScale >= EXPLOSIVE_STEP_SCALE) {
        severity = 'error';
        consequence = `; with ${opt.className} at learning rate ${fmt(lr)} and a ${out?.activation ?? 'linear'} output, one gradient step is of order ${fmt(stepScale)}: expect NaN in the first epoch`;
      } else {
        consequence = `; with ${opt.className} at learning rate ${fmt(lr)} steps are of order ${fmt(stepScale)}: it may diverge (in Keras, data up to 50 with SGD 0.01 diverged in 2 of 8 seeds)`;
      }
      mechanism = `The gradient of a first-layer weight is about (reconstruction error) × (input) ≈ ${fmt(big)} × ${fmt(big)} = ${fmt(big * big)}. ${opt.className} multiplies it by the learning rate ${fmt(lr)}: a step of about ${fmt(stepScale)} on weights that start near ±0.5. The next forward pass is that much larger, and after a few batches float32 overflows (above 3.4e38) to inf; inf - inf is NaN.`;
    } else if (opt) {
      consequence = `; ${opt.className} keeps each step near its learning rate (${fmt(opt.learningRate.value)}), so it does not go NaN, but it learns very slowly against values up to ${fmt(big)}`;
      mechanism = `${opt.className} divides each gradient by its running magnitude, so a weight moves by about ${fmt(opt.learningRate.value)} per step whatever the gradient. Values up to ${fmt(big)} need outputs of that size: thousands of steps before the reconstruction gets close, and the large errors dominate the loss.`;
    } else {
      consequence = '';
      mechanism = `Gradients scale with the inputs (about ${fmt(big)} × ${fmt(big)} = ${fmt(big * big)} for a first-layer weight under MSE), which makes plain SGD diverge to NaN and adaptive optimizers crawl.`;
    }
    const fix = scaleInputFix(ctx, data, facts);
    const location = data.location ?? fitAnchor(model);
    if (!location) return [];
    const related = fitRelated(model, `${data.name} is passed to fit here`);
    const hit: RuleHit = {
      location,
      message: head + consequence,
      severity,
      related,
      fixes: fix ? [fix] : [],
      explanation: `**${data.name}** spans ${range(worst.stats)} in ${featureName(worst.stats, worst.index)}${by}, far outside [-${thresholds.unscaledAbsMax}, ${thresholds.unscaledAbsMax}].\n\n${mechanism}\n\nScale it first (fit the scaler on the training data, apply it to validation data).`,
    };
    return [hit];
  },
};

/** A regression target passed to fit unscaled (inputs scaled or not), chased by an unbounded output. */
function unscaledTargetHits(ctx: RuleContext): RuleHit[] {
  const { model, thresholds } = ctx;
  const found = unscaledRegressionTarget(model, thresholds.unscaledAbsMax);
  if (!found) return [];
  const loss = lossName(model.compile?.loss.name ?? '');
  if (loss !== undefined && !REGRESSION_LOSSES.has(loss)) return [];
  const { data, facts, worst } = found;
  const by = boundsNote(data, facts.kind);
  const big = worst.maxAbs;
  const opt = model.compile?.optimizer;
  const head = `${data.name}, the target of fit, is unscaled: ${featureName(worst.stats, worst.index)} spans ${range(worst.stats)}${by}`;
  let severity: Severity = 'warning';
  let consequence: string;
  let mechanism: string;
  if (opt && !isAdaptiveOptimizer(opt.className) && !(opt.clipnorm ?? opt.clipvalue)) {
    const lr = opt.learningRate.value;
    const step = lr * big;
    severity = step >= EXPLOSIVE_TARGET_STEP ? 'error' : 'warning';
    consequence = step >= EXPLOSIVE_TARGET_STEP ? `; with ${opt.className} at learning rate ${fmt(lr)} the output layer's first steps are of order ${fmt(2 * step)}: expect NaN in the first epoch` : `; with ${opt.className} at learning rate ${fmt(lr)} the output layer's steps are of order ${fmt(2 * step)}: it may diverge`;
    mechanism = `Under a squared error the gradient of the output layer's bias is 2 × (prediction - target), about ${fmt(2 * big)} while the predictions start near 0. ${opt.className} multiplies it by ${fmt(lr)}: a step of about ${fmt(2 * step)} on weights that start near ±0.5, which overshoots, makes the next error larger still, and overflows to inf and NaN within a few batches.`;
  } else {
    const lr = opt?.learningRate.value ?? 0.001;
    const meanAbs = Math.abs(worst.stats.mean);
    const steps = Math.max(meanAbs, big / 2) / lr;
    consequence = `; ${opt?.className ?? 'the optimizer'} moves each weight by about its learning rate (${fmt(lr)}) per step, so the predictions need about ${fmt(steps)} steps to reach values near ${fmt(Math.max(meanAbs, big / 2))}: the loss stays near the targets' mean square (no NaN)`;
    mechanism = `The output layer starts by predicting values near 0, so the first losses are about the mean square of the targets. ${opt?.className ?? 'An adaptive optimizer'} divides each gradient by its running magnitude, so a weight moves by about the learning rate per step whatever the error: reaching targets near ${fmt(Math.max(meanAbs, big / 2))} takes on the order of ${fmt(steps)} steps, and the loss curve looks flat for all the epochs the run has.`;
  }
  const location = data.location ?? fitAnchor(model);
  if (!location) return [];
  const fix = scaleTargetFix(ctx, data, model.fit?.validation?.kind === 'data' ? model.fit.validation.y : undefined);
  return [
    {
      location,
      message: head + consequence,
      severity,
      related: fitRelated(model, `${data.name} is passed to fit as the target here`),
      fixes: fix ? [fix] : [],
      explanation: `**${data.name}** (the target) spans ${range(worst.stats)} in ${featureName(worst.stats, worst.index)}${by}, far outside [-${thresholds.unscaledAbsMax}, ${thresholds.unscaledAbsMax}].\n\n${mechanism}\n\nScale the target (fit a scaler on the training targets) and turn predictions back with the scaler's \`inverse_transform\`.`,
    },
  ];
}

/** Where bound statistics come from: a distribution's support, or the rows of a data file the values are taken from. */
function boundsNote(data: DataSpec, kind: string): string {
  if (kind !== 'bounds') return '';
  if (data.valuesFrom) return ` (within ${data.valuesFrom.path}'s column range)`;
  // Values not known, their range is (pixels read from image files: 0 to 255).
  return data.source.kind === 'unknown' ? ' (the range its values can take)' : ' (by its distribution)';
}
