import type { Fix, RelatedInformation } from '../findings';
import type { ModelSpec, OptimizerSpec } from '../ir';
import { describeOrigin, fitAnchor, fmt, fmtRatio, optimizerDefaultLr, originLocation } from './facts';
import { replaceNumberFix } from './fixes';
import type { RuleContext } from './rule';
import type { Rule } from './rule';

/** The learning rate compared with the optimizer's Keras default, or undefined when either is unknown. */
export function learningRateFactor(model: ModelSpec): { opt: OptimizerSpec; lr: number; def: number; factor: number } | undefined {
  const opt = model.compile?.optimizer;
  if (!opt) return undefined;
  const def = optimizerDefaultLr(opt.className);
  const lr = opt.learningRate.value;
  if (def === undefined || typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) return undefined;
  return { opt, lr, def, factor: lr / def };
}

/** Where a learning-rate finding points: the value itself (code or config), else the optimizer, else compile. */
export function learningRateAnchor(model: ModelSpec, opt: OptimizerSpec) {
  return originLocation(opt.learningRate.origin) ?? opt.location ?? model.compile?.location ?? fitAnchor(model);
}

export function learningRateRelated(opt: OptimizerSpec): RelatedInformation[] {
  const related: RelatedInformation[] = [];
  const origin = opt.learningRate.origin;
  if (origin.kind === 'config' && origin.via) related.push({ location: origin.via, message: `read from the config here` });
  if (opt.location && opt.location !== originLocation(origin)) related.push({ location: opt.location, message: `${opt.className} optimizer` });
  return related;
}

export function resetLearningRateFix(ctx: RuleContext, opt: OptimizerSpec, def: number): Fix[] {
  const origin = opt.learningRate.origin;
  const loc = originLocation(origin);
  const text = loc ? ctx.sourceText(loc.path) : undefined;
  if (text === undefined) return [];
  const fix = replaceNumberFix(text, origin, def, `Set the learning rate to ${opt.className}'s default, ${def}`);
  return fix ? [fix] : [];
}

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
      "Gradient descent only decreases the loss when each step is smaller than the curvature allows (for a quadratic with curvature h, the step must stay below 2/h). Adam moves every weight by roughly the learning rate each step whatever the gradient, so at 0.5 (500x its default) weights that start near ±0.3 jump by ±0.5 per step: relu units are knocked into their dead zone for every input, and the network collapses to predicting a constant. Plain SGD scales steps by the gradient itself, so too large a rate makes each step overshoot by more than the last: the loss grows geometrically and overflows to inf, then NaN.",
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
    evidence: 'See `test/evidence/NAN301.py` and `results.json`.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const f = learningRateFactor(model);
    if (!f || f.factor <= thresholds.highLearningRateFactor) return [];
    const location = learningRateAnchor(model, f.opt);
    if (!location) return [];
    const from = describeOrigin(f.opt.learningRate.origin);
    return [
      {
        location,
        message: `learning rate ${fmt(f.lr)} ${from} is ${fmtRatio(f.factor)} ${f.opt.className}'s default (${f.def})`,
        related: learningRateRelated(f.opt),
        fixes: resetLearningRateFix(ctx, f.opt, f.def),
        explanation: `${f.opt.className} at ${fmt(f.lr)} takes steps ${fmtRatio(f.factor)} larger than at its default ${f.def}.`,
      },
    ];
  },
};
