/**
 * Facts observed by running the program up to its first `fit` (the Keras engine's observe mode):
 * exact statistics of the arrays training receives, whatever loader, helper or pipeline built
 * them. They take the place of what the static analysis inferred (or could not infer) for that
 * fit's data, so that the rules find a NaN cell, a constant column divided by its std or unscaled
 * pixels the static reading lost. Pure data in, analysis out: this module runs nothing.
 */
import type { Finding } from './findings';
import type { DataSpec, FeatureStats, FileAnalysis, ModelSpec, SourceLocation } from './ir';

/** One array as `fit` received it. */
export interface ObservedArray {
  shape: number[];
  /** Per feature (the array as rows x features), as many as were listed. */
  features: FeatureStats[];
  /** How many features there are in all (more than `features.length` for very wide arrays). */
  featureCount: number;
  /** A tf.data dataset: only its first batches were read. */
  batchesRead?: number;
}

export interface ObservedFit {
  /** The fit call's 0-based line in the analysed text, when it is in this file. */
  line: number | null;
  modelName: string;
  x: ObservedArray | null;
  y: ObservedArray | null;
  validation: { x: ObservedArray | null; y: ObservedArray | null } | null;
  /** `fit(x, x)`: the targets are the inputs. */
  yIsX: boolean;
}

/** The words every finding that rests on observed facts carries. */
export const OBSERVED_WORDS = 'observed at fit';

function observedSpec(array: ObservedArray, base: DataSpec | undefined, fallbackName: string, at: SourceLocation | undefined): DataSpec {
  const wide = array.featureCount > array.features.length ? `; the first ${array.features.length} of ${array.featureCount} features` : '';
  const partial = array.batchesRead !== undefined ? `; the dataset's first ${array.batchesRead} batches` : '';
  return {
    ...(base ?? { name: fallbackName, source: { kind: 'unknown', note: `measured at fit${wide}${partial}`, location: at }, transforms: [] }),
    ...(base?.location || at ? { location: base?.location ?? at } : {}),
    shape: array.shape,
    stats: array.features,
    statsKind: 'observed',
  };
}

/** The model whose fit was observed: the one fitted on that line, else the only fitted one, else the one of that name. */
function observedModel(models: ModelSpec[], observed: ObservedFit): ModelSpec | undefined {
  const onLine = observed.line !== null ? models.find((m) => m.fit?.location?.range.start.line === observed.line) : undefined;
  if (onLine) return onLine;
  const fitted = models.filter((m) => m.fit);
  if (fitted.length === 1) return fitted[0];
  return models.find((m) => m.name === observed.modelName);
}

/**
 * The analysis with the observed fit's data in place of what was inferred. A fit the static
 * reading did not find (a subclassed model trained through a helper, say) becomes a model with
 * no layers but with its data, so that the data rules still see it.
 */
export function withObservedFit(analysis: FileAnalysis, observed: ObservedFit): FileAnalysis {
  const found = observedModel(analysis.models, observed);
  const at: SourceLocation | undefined =
    found?.fit?.location ?? (observed.line !== null ? { path: analysis.path, range: { start: { line: observed.line, character: 0 }, end: { line: observed.line, character: 0 } } } : undefined);
  const model: ModelSpec = found ?? { name: observed.modelName, path: analysis.path, kind: 'subclassed', layers: [], data: {}, numerics: [], location: at };
  const train = observed.x ? observedSpec(observed.x, model.data.train, 'x', at) : model.data.train;
  const target = observed.yIsX ? train : observed.y ? observedSpec(observed.y, model.data.target, 'y', at) : model.data.target;
  let fit = model.fit;
  if (fit && observed.validation && fit.validation.kind === 'data') {
    const v = fit.validation;
    fit = {
      ...fit,
      validation: {
        ...v,
        x: observed.validation.x ? observedSpec(observed.validation.x, v.x, 'x_val', at) : v.x,
        y: observed.validation.y ? observedSpec(observed.validation.y, v.y, 'y_val', at) : v.y,
      },
    };
  }
  const updated: ModelSpec = { ...model, data: { ...model.data, train, target }, ...(fit ? { fit } : {}) };
  const models = found ? analysis.models.map((m) => (m === found ? updated : m)) : [...analysis.models, updated];
  return { ...analysis, models };
}

/** One rule's claim at one place: the observed run's version of a static finding has the same key. */
const key = (f: Finding): string => `${f.rule}|${f.model ?? ''}|${f.path}|${f.cell ?? ''}|${f.range.start.line}`;

/**
 * The static findings, and beside them each finding that only the observed facts give, marked:
 * its message ends with "(observed at fit)" and it carries `observed: true`. Static findings stay:
 * they are claims about the code (a division with no epsilon is one whatever the data became),
 * and the static reading never states what numpy contradicts, so the observed data cannot refute
 * them. Where both give the same rule at the same place, the static one is kept.
 */
export function markObservedFindings(staticFindings: Finding[], observedFindings: Finding[]): Finding[] {
  const known = new Set(staticFindings.map(key));
  const added = observedFindings.filter((f) => !known.has(key(f))).map((f) => ({ ...f, observed: true, message: `${f.message} (${OBSERVED_WORDS})` }));
  return [...staticFindings, ...added];
}
