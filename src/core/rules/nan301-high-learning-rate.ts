import type { Severity } from '../findings';
import { isAdaptiveOptimizer } from '../keras/names';
import { describeOrigin, fmt, fmtRatio, unscaledTrainInput } from './helpers/facts';
import { learningRateAnchor, learningRateFactor, learningRateRelated, resetLearningRateFix } from './helpers/learningRate';
import type { Rule } from './rule';

export const highLearningRate: Rule = {
  id: 'NAN301',
  name: 'high-learning-rate',
  cause: 'high-learning-rate',
  title: "Learning rate far above the optimizer's default",
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Compares the learning rate with the optimizer's Keras default (Adam, RMSprop, Nadam, Adamax, Adagrad, Adadelta: 0.001; SGD: 0.01) and flags a rate more than `highLearningRateFactor` (10 by default) times higher. The message says where the value comes from: a literal in the code, a key of a JSON config, or a default.",
    whyItFails:
      "Adam moves every weight by roughly the learning rate each step whatever the gradient, so at 0.5 (500x its default) weights that start near ±0.3 jump by ±0.5 per step: the loss of a small autoencoder on standardised data jumps from 1 to 20-117 in the first epoch, relu units are knocked into their dead zone for every input, and the network collapses to predicting the mean: the loss settles at the data's variance and learning stops. Plain SGD scales each step by the gradient itself, so it only diverges once the rate exceeds about 2 / curvature; on standardised data a small network tolerates SGD at 1.0, while unscaled data (curvature grows with the square of the inputs) makes even 0.01 overflow to inf and NaN (see NAN101).",
    example: [
      '```python',
      'import json',
      'from tensorflow import keras',
      '',
      'cfg = json.load(open("config.json"))   # {"learning_rate": 0.5}',
      "autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=cfg['learning_rate']), loss='mse')",
      '```',
    ].join('\n'),
    fix: [
      "Start from the optimizer's default and tune from there (a factor of 3 at a time), or use a schedule with warm-up.",
      '',
      '```json',
      '{"learning_rate": 0.001}',
      '```',
    ].join('\n'),
    measured: 'never NaN; stalls at the data variance (0.99-1.06) in 8 of 8 seeds (Adam 0.5)',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN301.py`, 8 seeds, standardised data, Dense 32-8-32-16, 10 epochs): Adam at 0.5 goes NaN in none of the 8 seeds, but its first-epoch loss is 3.4-117 and it ends at 0.99-1.06 in all 8, the data\'s variance (the network outputs the mean), where the default rate reaches 0.70-0.80. Adam at 0.5 with tanh ends at 1.4-1.7. SGD at 1.0 (100x its default) trained fine on this standardised data in all 8 seeds (0.58-0.66). Hence a warning for adaptive optimizers (a stall, not NaN) and a note for SGD on data that is not known to be unscaled.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const f = learningRateFactor(model);
    if (!f || f.factor <= thresholds.highLearningRateFactor) return [];
    const location = learningRateAnchor(model, f.opt);
    if (!location) return [];
    const from = describeOrigin(f.opt.learningRate.origin);
    const adaptive = isAdaptiveOptimizer(f.opt.className);
    const unscaled = unscaledTrainInput(model, thresholds.unscaledAbsMax);
    const what = adaptive
      ? `: each step moves every weight by about ${fmt(f.lr)}, which kills relu units and leaves the network predicting the mean (a stall at the data's variance, not NaN)`
      : unscaled
        ? `: with ${unscaled.data.name} unscaled (up to ${fmt(unscaled.worst.maxAbs)}) SGD steps overshoot and the loss overflows to inf and NaN`
        : ': steps this large can overshoot; on standardised data a small network may still train';
    const severity: Severity = adaptive || unscaled ? 'warning' : 'info';
    return [
      {
        location,
        severity,
        message: `learning rate ${fmt(f.lr)} ${from} is ${fmtRatio(f.factor)} ${f.opt.className}'s default (${f.def})${what}`,
        related: learningRateRelated(f.opt),
        fixes: resetLearningRateFix(ctx, f.opt, f.def),
        explanation: adaptive
          ? `${f.opt.className} normalises each gradient by its running magnitude, so every weight moves by about the learning rate per step: ${fmt(f.lr)} here, ${fmtRatio(f.factor)} the default ${f.def}, against initial weights of about ±0.3. In Keras such runs jump to a large loss in the first epoch, then settle at the data's variance: dead relu units, a network that outputs the mean. Start from ${f.def}.`
          : `SGD's step is the learning rate times the gradient; it diverges once the rate exceeds about 2 / curvature of the loss. ${unscaled ? `Unscaled inputs (up to ${fmt(unscaled.worst.maxAbs)}) raise the curvature with the square of the inputs, so ${fmt(f.lr)} overshoots and the loss overflows to inf, then NaN.` : `At ${fmt(f.lr)} (${fmtRatio(f.factor)} the default ${f.def}) that depends on the data and the network; on standardised data small networks often survive it.`}`,
      },
    ];
  },
};
