/**
 * Models whose sizes come from data nanguard cannot see: `Input(shape=(x.shape[1],))` on a CSV
 * that is not in the workspace, `Dense(units=time_window_size)` where a module's `fit(self,
 * data)` sets it from data another program passes. The plan is refused for the unknown size;
 * since the data itself would be a stand-in anyway, the run can still train the model's code (its
 * layers, loss, optimizer and learning rate) at an assumed size, said as such. The findings never
 * use an assumed size: only this second analysis, for the reproduction, does.
 */
import type { FileAnalysis, ModelSpec } from '../core/ir';
import { ASSUMED_SIZE, buildPlan, type PlanOptions, type PlanResult } from './plan';

export { ASSUMED_SIZE };

/** Larger sizes tried in turn when the model's pooling and strides leave nothing of the first (a deep conv stack). */
const LARGER_SIZES = [256, 2048];

/** The model of `analysis` that is `model` (the same name, defined on the same line), or undefined. */
function sameModel(analysis: FileAnalysis, model: ModelSpec): ModelSpec | undefined {
  const line = (m: ModelSpec) => m.location?.range.start.line;
  return analysis.models.find((m) => m.name === model.name && line(m) === line(model) && m.path === model.path);
}

/**
 * The plan of `model`, or where its sizes come from unseen data, the plan of the same model in an
 * analysis that assumes them (`reanalyze` runs it with `{ assumeUnseenSize: ASSUMED_SIZE }`).
 * The first refusal stands when the assumption does not give a plan that trains on stand-in data:
 * it names the user's code, where a refusal of the assumed model would not.
 */
export async function planAssumingUnseenSizes(
  model: ModelSpec,
  options: PlanOptions,
  reanalyze: (assumeUnseenSize: number) => Promise<FileAnalysis>,
): Promise<PlanResult> {
  const first = buildPlan(model, options);
  if (!('refused' in first) || first.cause !== 'unseen-size') return first;
  for (const size of [ASSUMED_SIZE, ...LARGER_SIZES]) {
    let analysis: FileAnalysis;
    try {
      analysis = await reanalyze(size);
    } catch {
      return first;
    }
    const assumedSizes = analysis.assumedSizes;
    const assumedModel = sameModel(analysis, model);
    if (!assumedSizes?.length || !assumedModel) return first;
    const second = buildPlan(assumedModel, { ...options, assumedSizes });
    if ('refused' in second && second.cause === 'too-small') continue;
    if ('refused' in second || second.plan.data.provenance.train !== 'synthetic') return first;
    return second;
  }
  return first;
}
