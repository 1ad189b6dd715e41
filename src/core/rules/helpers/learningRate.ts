/** What NAN301 and NAN302 both ask of a learning rate: how far from the default, where to point, and the fix back to it. */
import type { Fix, RelatedInformation } from '../../findings';
import type { ModelSpec, OptimizerSpec } from '../../ir';
import { defaultLearningRate } from '../../keras/names';
import type { RuleContext } from '../rule';
import { fitAnchor, originLocation } from './facts';
import { replaceNumberFix } from './fixes';

/** The learning rate compared with the optimizer's Keras default, or undefined when either is unknown. */
export function learningRateFactor(model: ModelSpec): { opt: OptimizerSpec; lr: number; def: number; factor: number } | undefined {
  const opt = model.compile?.optimizer;
  if (!opt) return undefined;
  const def = defaultLearningRate(opt.className);
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
