import type { ModelSpec } from '../ir';
import { isAdaptiveOptimizer } from '../keras/names';
import { fitAnchor, fmt, fmtRatio, outputActivation, unscaledTrainInput } from './helpers/facts';
import { addClipnormFix } from './helpers/fixes';
import { learningRateFactor } from './helpers/learningRate';
import type { Rule } from './rule';

/**
 * A plain SGD rate that diverges on its own, on data of unit scale: in Keras a small SGD
 * autoencoder on standardised data trained at 1.0 in 8 of 8 seeds and went NaN at 3.0 in 8 of 8
 * (test/evidence/NAN304.py). Below it a high rate alone is no diverging setup.
 */
const SGD_DIVERGES_AT = 2;

/** Why this setup can diverge, or undefined when it is not a diverging setup. */
function divergingSetup(model: ModelSpec, highFactor: number, absMax: number): string | undefined {
  const f = learningRateFactor(model);
  // Adaptive optimizers bound each step near the rate (Adam at 0.5 stalls, never NaN: NAN301), so clipping is no cure there.
  if (f && f.factor > highFactor && !isAdaptiveOptimizer(f.opt.className) && f.lr >= SGD_DIVERGES_AT) return `learning rate ${fmt(f.lr)} is ${fmtRatio(f.factor)} ${f.opt.className}'s default`;
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
      "Flags an optimizer without `clipnorm`, `clipvalue` or `global_clipnorm` in a setup that can diverge: unscaled inputs with an unbounded (linear or relu) output and a non-adaptive optimizer such as SGD, or plain SGD at a rate that diverges even on unit-scale data (2 or more). A high rate for Adam or RMSprop is NAN301's (they stall rather than diverge), and SGD at 1.0 on scaled data trains.",
    whyItFails:
      "When one batch produces a huge gradient (1e6 for a first-layer weight with inputs near 1000), SGD takes a step of lr × 1e6; the next forward pass produces a larger error and a larger gradient, and within a few batches float32 overflows to inf and then NaN. `clipnorm=1.0` rescales any gradient whose norm exceeds 1 down to norm 1, so one bad batch moves the weights by at most the learning rate: the feedback loop is cut. Clipping treats the symptom; scaling the data or lowering the rate treats the cause.",
    example: [
      '```python',
      'X_train = np.random.uniform(0, 1000, size=(256, 8))',
      "autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='mse')",
      '```',
    ].join('\n'),
    fix: ['Clip gradients (and scale the data, NAN101).', '', '```python', "autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, clipnorm=1.0), loss='mse')", '```'].join('\n'),
    measured: 'NaN in the first epoch in 5 of 8 seeds (SGD 0.01), 2 more explode; none with clipnorm=1.0',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN304.py`, 8 seeds, data uniform in [0, 1000], Dense 16-4-16-8 relu with a linear output, SGD 0.01): without clipping the loss is NaN in the first epoch in 5 of 8 seeds and explodes (to 1.0e29 and 7.0e13) in two more; with `clipnorm=1.0` no seed goes NaN (losses 9.9e4-3.3e5 after 5 epochs, still slow because the data is unscaled). A warning rather than an error: the cause (the data or the rate) carries its own rule, and clipping is the safety net. On standardised data (8 seeds each, 10 epochs), plain SGD at 1.0, 100x its default, trained a linear 8-4-8 and a relu 16-4-16-8 autoencoder in 8 of 8 seeds; at 3.0 the linear one went NaN in 8 of 8 and the relu one stalled at the data variance: a high rate alone is flagged from 2 on.',
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
