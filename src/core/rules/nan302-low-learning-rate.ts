import { describeOrigin, fitAnchor, fmt, fmtRatio } from './helpers/facts';
import { addOptimizerArgumentFix } from './helpers/fixes';
import { learningRateAnchor, learningRateFactor, learningRateRelated, resetLearningRateFix } from './helpers/learningRate';
import type { Rule, RuleContext, RuleHit } from './rule';

/** Adadelta's default learning rate in standalone (multi-backend) Keras up to 2.3, which code of that era relies on. */
const OLD_ADADELTA_DEFAULT = '1.0';

/**
 * `optimizer='adadelta'` (or `Adadelta()`) with no learning rate: 1.0 in standalone Keras, 0.001 in
 * tf.keras and Keras 3. Tutorials written for the old default then crawl, and nothing says why.
 */
function adadeltaDefaultTrap(ctx: RuleContext): RuleHit[] {
  const { model } = ctx;
  const opt = model.compile?.optimizer;
  if (!opt || opt.className !== 'Adadelta' || opt.learningRate.origin.kind !== 'default') return [];
  const location = opt.location ?? fitAnchor(model);
  if (!location) return [];
  const lr = opt.learningRate.value;
  const text = opt.location ? ctx.sourceText(opt.location.path) : undefined;
  const fix = text !== undefined && opt.location ? addOptimizerArgumentFix(text, opt.location, 'Adadelta', 'learning_rate', OLD_ADADELTA_DEFAULT, `Give Adadelta the learning rate the code was written for: ${OLD_ADADELTA_DEFAULT}`) : undefined;
  return [
    {
      location,
      message: `Adadelta with no learning rate gets ${fmt(lr)} in tf.keras and Keras 3, where standalone Keras used ${OLD_ADADELTA_DEFAULT}: code written for the old default (as the classic Keras autoencoder tutorials are) barely learns (no NaN)`,
      fixes: fix ? [fix] : [],
      explanation: `Adadelta's step is its learning rate times a ratio of running averages that starts near 1e-3 (\`sqrt(epsilon) / sqrt(epsilon + g²)\`). Standalone Keras multiplied that by ${OLD_ADADELTA_DEFAULT}; tf.keras and Keras 3 multiply it by ${fmt(lr)}, a thousandth, so each weight moves about a millionth per step. A binary cross-entropy autoencoder then sits at 0.693 (the loss of predicting 0.5 everywhere) for tens of epochs. Pass \`learning_rate=${OLD_ADADELTA_DEFAULT}\` to keep the behaviour the code expects, or switch to Adam.`,
    },
  ];
}

export const lowLearningRate: Rule = {
  id: 'NAN302',
  name: 'low-learning-rate',
  cause: 'low-learning-rate',
  title: "Learning rate far below the optimizer's default",
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Flags a learning rate below `lowLearningRateFactor` (1/1000 by default) of the optimizer's Keras default: under 1e-6 for Adam, under 1e-5 for SGD. The message says where the value comes from. It also flags Adadelta left at its default learning rate (`optimizer='adadelta'`, `Adadelta()`): 0.001 in tf.keras and Keras 3, where standalone Keras used 1.0, the value code of that era was written for.",
    whyItFails:
      'Adam moves each weight by about the learning rate per step. At 1e-6, a weight that needs to travel 0.5 from its initial value needs 500,000 steps: with 8 batches per epoch that is 60,000 epochs. The loss curve looks flat and users raise the epoch count, which costs time and, in long runs with float32 accumulators, exposes the run to the rarer numerical failures. It does not produce NaN by itself. Adadelta is a trap of its own: its step is the learning rate times a ratio of running averages that starts near 1e-3, so at tf.keras\'s default of 0.001 a weight moves about 1e-6 per step, a thousandth of what the same line of code did in standalone Keras.',
    example: [
      '```python',
      "autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-6), loss='mse')",
      'autoencoder.fit(X_train, X_train, epochs=50)',
      '```',
    ].join('\n'),
    fix: ["Start from the optimizer's default and tune by factors of 3.", '', '```python', "autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss='mse')", '```'].join('\n'),
    evidence:
      "Trained for real in Keras 3.15 (CPU, `test/evidence/NAN302.py`, data in [0, 1], Dense 16-4-16-8, 50 epochs): Adam at 1e-6 moves the loss from 0.344 to 0.343 (four times the data variance, 0.085), where the default 1e-3 reaches 0.074. Never NaN. The Adadelta trap, as the Keras blog's autoencoder writes it (784-32-784, sigmoid output, binary cross-entropy, `optimizer='adadelta'`, 4,000 images in [0, 1], 20 epochs, 8 seeds): the loss goes from 0.693 to 0.693 (0.6925-0.6942 at the end) in 8 of 8 seeds, while `Adadelta(learning_rate=1.0)` reaches 0.272-0.276 (the data's floor is 0.069). Never NaN. A warning: the run wastes its epochs; more of them would eventually learn.",
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const trap = adadeltaDefaultTrap(ctx);
    if (trap.length > 0) return trap;
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
