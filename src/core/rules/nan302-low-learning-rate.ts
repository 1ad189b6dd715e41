import { lossName } from '../keras/names';
import type { ModelSpec } from '../ir';
import { describeOrigin, fitAnchor, fmt, fmtRatio, outputActivation, widthOf } from './helpers/facts';
import { addOptimizerArgumentFix, replaceOptimizerFix } from './helpers/fixes';
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

/**
 * Plain SGD's step on one output of a mean-reduced squared error: lr / (1 - momentum) * 2 / D for
 * D outputs per sample. Below this a wide autoencoder crawls (test/evidence/NAN302.py, 784 outputs,
 * 10 epochs, 8 seeds: SGD at 0.001, 0.01 and 0.1, steps of 2.8e-6 to 2.6e-4, ended at 1.45-1.6
 * times the mean predictor's loss in every seed, Adam at 0.29 times; SGD at 1.0, 2.6e-3, at 1.1).
 */
const SGD_CRAWL_STEP = 1e-3;
/** Outputs per sample from which the evidence holds (784 measured; 256 at a step of 1e-3 is SGD 0.13 there). */
const WIDE_OUTPUT = 256;

/** Values the model outputs per sample: the target's shape past the batch, else the last Dense layer's units. */
function outputsPerSample(model: ModelSpec): number | undefined {
  const shape = model.data.target?.shape;
  if (shape && shape.length >= 2 && shape.slice(1).every((d) => typeof d === 'number' && d > 0)) {
    return (shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  }
  const out = outputActivation(model)?.layer;
  return out ? widthOf(out) : undefined;
}

/**
 * Plain SGD on a wide mean-squared-error output: Keras averages the loss over every output value,
 * so each output's gradient is divided by their number, and SGD (unlike Adam) steps in proportion
 * to the gradient. Not a NaN: a loss curve that hardly moves.
 */
function sgdCrawl(ctx: RuleContext): RuleHit[] {
  const { model } = ctx;
  const opt = model.compile?.optimizer;
  if (!opt || opt.className !== 'SGD') return [];
  const loss = lossName(model.compile?.loss.name ?? '');
  if (loss !== 'mse' && loss !== 'mae') return [];
  const outputs = outputsPerSample(model);
  if (outputs === undefined || outputs < WIDE_OUTPUT) return [];
  const lr = opt.learningRate.value;
  const momentum = opt.momentum?.value ?? 0;
  if (typeof lr !== 'number' || !(lr > 0) || !(momentum >= 0 && momentum < 1)) return [];
  const effective = lr / (1 - momentum);
  const step = (effective * 2) / outputs;
  if (step >= SGD_CRAWL_STEP) return [];
  const location = learningRateAnchor(model, opt);
  if (!location) return [];
  const text = opt.location ? ctx.sourceText(opt.location.path) : undefined;
  const adamFix = text !== undefined && opt.location ? replaceOptimizerFix(text, opt.location, 'Adam', 'Use Adam, whose steps do not shrink with the number of outputs') : undefined;
  const momentumNote = momentum > 0 ? ` with momentum ${fmt(momentum)} (an effective ${fmt(effective)})` : '';
  return [
    {
      location,
      message: `SGD at learning rate ${fmt(lr)}${momentumNote} with ${loss.toUpperCase()} averaged over ${outputs} outputs: each output's step is about ${momentum > 0 ? `${fmt(effective)}` : 'lr'} × 2 / ${outputs} = ${fmt(step)}, so the loss crawls (no NaN): in Keras such a run stays above the loss of predicting the mean for tens of epochs, where Adam goes well below it`,
      related: learningRateRelated(opt),
      fixes: adamFix ? [adamFix] : [],
      explanation: `Keras's \`${loss}\` is a mean over all ${outputs} values a sample outputs, so the gradient reaching each output is its error divided by ${outputs}. Plain SGD steps in proportion to the gradient: lr${momentum > 0 ? ' / (1 - momentum)' : ''} × 2 / ${outputs} ≈ ${fmt(step)} per unit of error. In Keras, a 784-100-784 linear autoencoder on digit-like images (10 epochs, 8 seeds) ended at 1.6 times the loss of predicting the mean image with SGD at 0.001 (momentum 0.1) and at the default 0.01, and at 1.45 times with SGD at 0.1; Adam ended at 0.29 times. Adam divides each gradient by its own running size, so the averaging does not slow it down.`,
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
      "Flags a learning rate below `lowLearningRateFactor` (1/1000 by default) of the optimizer's Keras default: under 1e-6 for Adam, under 1e-5 for SGD. The message says where the value comes from. It also flags plain SGD on a mean squared (or absolute) error over 256 or more outputs per sample when lr / (1 - momentum) × 2 / outputs is below 1e-3: the mean over the outputs divides each output's gradient, and SGD, unlike Adam, steps in proportion to it. It also flags Adadelta left at its default learning rate (`optimizer='adadelta'`, `Adadelta()`): 0.001 in tf.keras and Keras 3, where standalone Keras used 1.0, the value code of that era was written for.",
    whyItFails:
      'Adam moves each weight by about the learning rate per step. At 1e-6, a weight that needs to travel 0.5 from its initial value needs 500,000 steps: with 8 batches per epoch that is 60,000 epochs. The loss curve looks flat and users raise the epoch count, which costs time and, in long runs with float32 accumulators, exposes the run to the rarer numerical failures. It does not produce NaN by itself. Adadelta is a trap of its own: its step is the learning rate times a ratio of running averages that starts near 1e-3, so at tf.keras\'s default of 0.001 a weight moves about 1e-6 per step, a thousandth of what the same line of code did in standalone Keras.',
    example: [
      '```python',
      "autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-6), loss='mse')",
      'autoencoder.fit(X_train, X_train, epochs=50)',
      '```',
    ].join('\n'),
    fix: ["Start from the optimizer's default and tune by factors of 3.", '', '```python', "autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss='mse')", '```'].join('\n'),
    measured: 'never NaN; Adam 1e-6 moves the loss under 1% in 8 of 8 seeds; Adadelta stuck in 8 of 8',
    evidence:
      "Trained for real in Keras 3.15 (CPU, `test/evidence/NAN302.py`, data in [0, 1], Dense 16-4-16-8, 50 epochs, 8 seeds): Adam at 1e-6 moves the loss by less than 1% in 8 of 8 seeds (0.344 to 0.343 in the first) (four times the data variance, 0.085), where the default 1e-3 reaches 0.042-0.074. Never NaN. The Adadelta trap, as the Keras blog's autoencoder writes it (784-32-784, sigmoid output, binary cross-entropy, `optimizer='adadelta'`, 4,000 images in [0, 1], 20 epochs, 8 seeds): the loss goes from 0.693 to 0.693 (0.6925-0.6942 at the end) in 8 of 8 seeds, while `Adadelta(learning_rate=1.0)` reaches 0.272-0.276 (the data's floor is 0.069). Never NaN. A warning: the run wastes its epochs; more of them would eventually learn. Plain SGD on a wide output, as keras-team/keras#1604 trains it (a 784-100-784 linear autoencoder, MSE, 2,000 digit-like images, batch 128, 10 epochs, 8 seeds; the mean image's loss is 0.044): SGD at 0.001 with momentum 0.1 ends at 0.069-0.071 and the default 0.01 at 0.068-0.070 in 8 of 8 seeds, 0.1 at 0.063-0.064, 1.0 at 0.047-0.048; Adam ends at 0.012-0.013. Never NaN.",
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const trap = adadeltaDefaultTrap(ctx);
    if (trap.length > 0) return trap;
    const crawl = sgdCrawl(ctx);
    if (crawl.length > 0) return crawl;
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
