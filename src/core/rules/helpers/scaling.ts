/** Scaling the model's input, as NAN101 and NAN102 offer it: which scaler suits the data and the output, and the fix. */
import type { DataSpec, ModelSpec } from '../../ir';
import type { RuleContext } from '../rule';
import { looksLikePixels, outputActivation, type DataFacts } from './facts';
import { scaleDataFix, scaleTargetFix as scaleTargetEdit, type ScalingKind } from './fixes';

/** Which scaling suits the data and the output: pixels / 255, MinMax for bounded outputs, else standardisation. */
export function scalingFor(model: ModelSpec, data: DataSpec, facts: DataFacts): ScalingKind {
  if (looksLikePixels(data, facts.stats)) return 'pixels';
  const out = outputActivation(model);
  if (out && out.range.low !== null && out.range.low >= 0) return 'minmax';
  return 'standard';
}

export function validationInput(model: ModelSpec): DataSpec | undefined {
  const v = model.fit?.validation;
  return v && v.kind === 'data' ? v.x : undefined;
}

/** A fix that scales the model's training (and validation) input, if one can be placed. */
export function scaleInputFix(ctx: RuleContext, data: DataSpec, facts: DataFacts) {
  const path = data.location?.path;
  const text = path ? ctx.sourceText(path) : undefined;
  if (!path || text === undefined) return undefined;
  return scaleDataFix(text, path, data, validationInput(ctx.model), scalingFor(ctx.model, data, facts));
}

/** A fix that scales a regression target (and the validation target), if one can be placed. */
export function scaleTargetFix(ctx: RuleContext, target: DataSpec, validation: DataSpec | undefined) {
  const path = target.location?.path;
  const text = path ? ctx.sourceText(path) : undefined;
  if (!path || text === undefined) return undefined;
  return scaleTargetEdit(text, path, target, validation);
}
