import { describeOrigin, fmt, fmtRatio } from './facts';
import { learningRateAnchor, learningRateFactor, learningRateRelated, resetLearningRateFix } from './nan301-high-learning-rate';
import type { Rule } from './rule';

export const lowLearningRate: Rule = {
  id: 'NAN302',
  name: 'low-learning-rate',
  cause: 'low-learning-rate',
  title: "Learning rate far below the optimizer's default",
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Flags a learning rate below `lowLearningRateFactor` (1/1000 by default) of the optimizer's Keras default: under 1e-6 for Adam, under 1e-5 for SGD. The message says where the value comes from.",
    whyItFails:
      'Adam moves each weight by about the learning rate per step. At 1e-6, a weight that needs to travel 0.5 from its initial value needs 500,000 steps: with 8 batches per epoch that is 60,000 epochs. The loss curve looks flat and users raise the epoch count, which costs time and, in long runs with float32 accumulators, exposes the run to the rarer numerical failures. It does not produce NaN by itself.',
    example: [
      '```python',
      "autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-6), loss='mse')",
      'autoencoder.fit(X_train, X_train, epochs=50)',
      '```',
    ].join('\n'),
    fix: ["Start from the optimizer's default and tune by factors of 3.", '', '```python', "autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss='mse')", '```'].join('\n'),
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN302.py`, data in [0, 1], Dense 16-4-16-8, 50 epochs): Adam at 1e-6 moves the loss from 0.344 to 0.343 (four times the data variance, 0.085), where the default 1e-3 reaches 0.074. Never NaN. A warning: the run wastes its epochs; more of them would eventually learn.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const f = learningRateFactor(model);
    if (!f || f.factor >= thresholds.lowLearningRateFactor) return [];
    const location = learningRateAnchor(model, f.opt);
    if (!location) return [];
    const from = describeOrigin(f.opt.learningRate.origin);
    const stepsFor = 0.5 / f.lr;
    return [
      {
        location,
        message: `learning rate ${fmt(f.lr)} ${from} is 1/${fmt(Math.round(1 / f.factor))} of ${f.opt.className}'s default (${f.def}): training will barely move (no NaN)`,
        related: learningRateRelated(f.opt),
        fixes: resetLearningRateFix(ctx, f.opt, f.def),
        explanation: `At ${fmt(f.lr)}, ${f.opt.className} moves a weight by about ${fmt(f.lr)} per step${f.opt.className === 'SGD' ? ' times its gradient' : ''}: a weight that must travel 0.5 needs about ${fmt(stepsFor)} steps. The loss curve looks flat; this is ${fmtRatio(1 / f.factor)} below the default ${f.def}.`,
      },
    ];
  },
};
