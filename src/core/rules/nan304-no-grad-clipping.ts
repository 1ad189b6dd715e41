import type { ModelSpec } from '../ir';
import { isAdaptiveOptimizer } from '../keras/names';
import { fitAnchor, fmt, fmtRatio, outputActivation, unscaledTrainInput } from './facts';
import { addClipnormFix } from './fixes';
import { learningRateFactor } from './nan301-high-learning-rate';
import type { Rule } from './rule';

/** Why this setup can diverge, or undefined when it is not a diverging setup. */
function divergingSetup(model: ModelSpec, highFactor: number, absMax: number): string | undefined {
  const f = learningRateFactor(model);
  if (f && f.factor > highFactor) return `learning rate ${fmt(f.lr)} is ${fmtRatio(f.factor)} ${f.opt.className}'s default`;
  const out = outputActivation(model);
  const unbounded = out ? out.range.high === null : true;
  const unscaled = unscaledTrainInput(model, absMax);
  if (unscaled && unbounded && !isAdaptiveOptimizer(model.compile?.optimizer.className ?? '')) {
    return `${unscaled.data.name} reaches the network unscaled (up to ${fmt(unscaled.worst.maxAbs)}) with a ${out?.activation ?? 'linear'} output`;
  }
  return undefined;
}

export const noGradClipping: Rule = {
  id: 'NAN304',
  name: 'no-grad-clipping',
  cause: 'no-grad-clipping',
  title: 'A diverging setup with no clipnorm/clipvalue',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Flags an optimizer without `clipnorm`, `clipvalue` or `global_clipnorm` in a setup that can diverge: a learning rate far above the optimizer's default, or unscaled inputs with an unbounded (linear or relu) output and a non-adaptive optimizer such as SGD.",
    whyItFails:
      "When one batch produces a huge gradient (1e6 for a first-layer weight with inputs near 1000), SGD takes a step of lr × 1e6; the next forward pass produces a larger error and a larger gradient, and within a few batches float32 overflows to inf and then NaN. `clipnorm=1.0` rescales any gradient whose norm exceeds 1 down to norm 1, so one bad batch moves the weights by at most the learning rate: the feedback loop is cut. Clipping treats the symptom; scaling the data or lowering the rate treats the cause.",
    example: [
      '```python',
      'X_train = np.random.uniform(0, 1000, size=(256, 8))',
      "autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='mse')",
      '```',
    ].join('\n'),
    fix: ['Clip gradients (and scale the data, NAN101).', '', '```python', "autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, clipnorm=1.0), loss='mse')", '```'].join('\n'),
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN304.py`, 5 seeds, data uniform in [0, 1000], Dense 16-4-16-8 relu with a linear output, SGD 0.01): without clipping the loss is NaN in the first epoch in 4 of 5 seeds; with `clipnorm=1.0` no seed goes NaN (losses 1.5e5-3.3e5 after 5 epochs, still slow because the data is unscaled). A warning rather than an error: the cause (the data or the rate) carries its own rule, and clipping is the safety net.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const opt = model.compile?.optimizer;
    if (!opt || opt.clipnorm || opt.clipvalue) return [];
    const reason = divergingSetup(model, thresholds.highLearningRateFactor, thresholds.unscaledAbsMax);
    if (!reason) return [];
    const location = opt.location ?? model.compile?.location ?? fitAnchor(model);
    if (!location) return [];
    const text = opt.location ? ctx.sourceText(opt.location.path) : undefined;
    const fix = text !== undefined && opt.location ? addClipnormFix(text, opt.location, opt.className) : undefined;
    return [
      {
        location,
        message: `${opt.className} has no gradient clipping while ${reason}: one large gradient can start a divergence to inf and NaN; clipnorm=1.0 caps each step`,
        fixes: fix ? [fix] : [],
        explanation: `Because ${reason}, a single batch can produce a gradient large enough that ${opt.className}'s step overshoots, and each overshoot makes the next gradient larger. \`clipnorm=1.0\` rescales any gradient with norm above 1 to norm 1, which breaks that loop. Fix the cause too (scale the data, lower the rate).`,
      },
    ];
  },
};
