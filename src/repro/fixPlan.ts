/**
 * "Try the suggested fix": the linter's findings for a model name causes; each cause that has
 * a remedy the reproduction can replay becomes a change to the plan (scaled inputs, a linear
 * output or bottleneck, the optimizer's default learning rate, gradient clipping, ...). The
 * fixed plan trains beside the original so the two curves can be compared. Pure data in,
 * data out: no TensorFlow.js, no editor API.
 */
import type { Cause } from '../core/causes';
import type { DataRecipe, TransformStep } from './data';
import type { KerasLayerJson } from './kerasJson';
import { type ReproPlan } from './plan';
import { defaultLearningRate } from '../core/keras/names';

/** What a finding contributes: its rule, cause, severity and the title of its first quick fix. */
export interface FindingForFix {
  rule: string;
  cause: Cause | string;
  severity: 'error' | 'warning' | 'info';
  /** Title of the finding's first code fix ("Scale X with StandardScaler (fit on X)"), when it has one. */
  fixTitle?: string;
}

export type PlanFixKind = 'scale-inputs' | 'linear-output' | 'bottleneck-activation' | 'default-learning-rate' | 'clipnorm' | 'clean-nan';

/** A fix the reproduction can replay, and the finding it answers. */
export interface PlanFix {
  /** `kind:RULE`, a protocol-safe id ("scale-inputs:NAN101"). */
  id: string;
  kind: PlanFixKind;
  /** The rule whose finding this fix answers (its quick fix is what "Apply to code" performs). */
  rule: string;
  /** For the panel's button and the run's label: what changes ("scale the inputs with StandardScaler"). */
  title: string;
  /** Scaler for `scale-inputs`, activation for `bottleneck-activation`. */
  detail?: string;
}

/** Which remedy each cause gets. Causes absent here have no remedy the reproduction can replay. */
const KIND_OF_CAUSE: Partial<Record<string, PlanFixKind>> = {
  'unscaled-input': 'scale-inputs',
  'feature-scale-disparity': 'scale-inputs',
  outliers: 'scale-inputs',
  'bce-target-out-of-range': 'scale-inputs',
  'output-range-mismatch': 'linear-output',
  'sigmoid-bottleneck': 'bottleneck-activation',
  'high-learning-rate': 'default-learning-rate',
  'low-learning-rate': 'default-learning-rate',
  'no-grad-clipping': 'clipnorm',
  'nan-in-data': 'clean-nan',
};

/**
 * Root causes first: unscaled data is behind most of the other symptoms (saturated sigmoid
 * layers, exploding SGD steps), so scaling is tried before patching the symptoms.
 */
const KIND_PRIORITY: PlanFixKind[] = ['clean-nan', 'scale-inputs', 'default-learning-rate', 'linear-output', 'clipnorm', 'bottleneck-activation'];

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

const SCALERS = ['StandardScaler', 'MinMaxScaler', 'MaxAbsScaler', 'RobustScaler'];

function scalerNamed(title: string | undefined): string {
  return SCALERS.find((s) => title?.includes(s)) ?? 'StandardScaler';
}

function activationNamed(title: string | undefined): string {
  return /'(\w+)'/.exec(title ?? '')?.[1] ?? 'linear';
}

function fixFor(finding: FindingForFix): PlanFix | undefined {
  const kind = KIND_OF_CAUSE[finding.cause];
  if (!kind) return undefined;
  const id = `${kind}:${finding.rule}`;
  switch (kind) {
    case 'scale-inputs': {
      const scaler = scalerNamed(finding.fixTitle);
      return { id, kind, rule: finding.rule, title: `scale the inputs with ${scaler}`, detail: scaler };
    }
    case 'linear-output':
      return { id, kind, rule: finding.rule, title: 'a linear output layer' };
    case 'bottleneck-activation': {
      const activation = activationNamed(finding.fixTitle);
      return { id, kind, rule: finding.rule, title: `a ${activation} bottleneck`, detail: activation };
    }
    case 'default-learning-rate':
      return { id, kind, rule: finding.rule, title: "the optimizer's default learning rate" };
    case 'clipnorm':
      return { id, kind, rule: finding.rule, title: 'gradient clipping (clipnorm=1.0)' };
    case 'clean-nan':
      return { id, kind, rule: finding.rule, title: 'NaN and Inf in the data replaced by numbers' };
  }
}

/**
 * The fixes the reproduction can try for these findings, best first: by remedy (root causes
 * first), then by the finding's severity. One fix per remedy.
 */
export function planFixes(findings: readonly FindingForFix[]): PlanFix[] {
  const candidates = findings
    .map((f) => ({ f, fix: fixFor(f) }))
    .filter((c): c is { f: FindingForFix; fix: PlanFix } => c.fix !== undefined)
    .sort((a, b) => KIND_PRIORITY.indexOf(a.fix.kind) - KIND_PRIORITY.indexOf(b.fix.kind) || SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity]);
  const seen = new Set<PlanFixKind>();
  const out: PlanFix[] = [];
  for (const { fix } of candidates) {
    if (seen.has(fix.kind)) continue;
    seen.add(fix.kind);
    out.push(fix);
  }
  return out;
}

/** The fix to offer first, if any. */
export function suggestedPlanFix(findings: readonly FindingForFix[]): PlanFix | undefined {
  return planFixes(findings)[0];
}

function withTransform(recipe: DataRecipe, step: TransformStep): DataRecipe {
  if (recipe.kind === 'same-as-x') return recipe;
  return { ...recipe, transforms: [...recipe.transforms, step] } as DataRecipe;
}

function layerName(layer: KerasLayerJson): string | undefined {
  const n = layer.config.name ?? layer.name;
  return typeof n === 'string' ? n : undefined;
}

/** The output layer: the functional model's first output, else the last layer of a stack. */
function outputLayerIndex(layers: KerasLayerJson[], outputLayers: unknown): number {
  const first = Array.isArray(outputLayers) ? (Array.isArray(outputLayers[0]) ? outputLayers[0][0] : outputLayers[0]) : undefined;
  if (typeof first === 'string') {
    const i = layers.findIndex((l) => layerName(l) === first);
    if (i >= 0) return i;
  }
  for (let i = layers.length - 1; i >= 0; i--) if ('activation' in layers[i].config) return i;
  return -1;
}

/** The bottleneck: the narrowest layer with units and an activation, before the output. */
function bottleneckIndex(layers: KerasLayerJson[], output: number): number {
  let best = -1;
  layers.forEach((l, i) => {
    if (i === output || typeof l.config.units !== 'number' || !('activation' in l.config)) return;
    if (best < 0 || (l.config.units as number) < (layers[best].config.units as number)) best = i;
  });
  return best;
}

/**
 * The plan with one fix applied, or why it cannot be. The original plan is not changed.
 * Data fixes append a transform to every array the model is fed (an autoencoder's targets
 * follow its inputs); the validation arrays are scaled with their own statistics, a small
 * departure from fitting the scaler on the training data that the notes say.
 */
export function applyPlanFix(plan: ReproPlan, fix: PlanFix): { plan: ReproPlan } | { problem: string } {
  const next: ReproPlan = structuredClone(plan);
  const note = (text: string) => next.notes.push({ kind: 'fix-tried', text });
  switch (fix.kind) {
    case 'scale-inputs':
    case 'clean-nan': {
      const step: TransformStep = fix.kind === 'scale-inputs' ? { kind: 'scaler', scaler: fix.detail ?? 'StandardScaler' } : { kind: 'nan_to_num' };
      const data = next.data;
      data.x = withTransform(data.x, step);
      data.y = withTransform(data.y, step);
      if (data.valX) data.valX = withTransform(data.valX, step);
      if (data.valY) data.valY = withTransform(data.valY, step);
      note(fix.kind === 'scale-inputs' ? `Fix tried: every array fed to the model is scaled with ${fix.detail ?? 'StandardScaler'}.` : 'Fix tried: NaN and Inf in the data are replaced by numbers (np.nan_to_num).');
      if (fix.kind === 'scale-inputs' && data.valX) note('The validation arrays are scaled with their own statistics here, not with the scaler fitted on the training data.');
      return { plan: next };
    }
    case 'linear-output':
    case 'bottleneck-activation': {
      const layers = next.kerasJson.config.layers;
      const output = outputLayerIndex(layers, next.kerasJson.config.output_layers);
      const index = fix.kind === 'linear-output' ? output : bottleneckIndex(layers, output);
      if (index < 0) return { problem: fix.kind === 'linear-output' ? 'the model has no output layer with an activation to change' : 'the model has no bottleneck layer with an activation to change' };
      const activation = fix.kind === 'linear-output' ? 'linear' : (fix.detail ?? 'linear');
      const layer = layers[index];
      const before = String(layer.config.activation);
      layer.config = { ...layer.config, activation };
      note(`Fix tried: ${layerName(layer) ?? 'the layer'} uses ${activation} instead of ${before}.`);
      return { plan: next };
    }
    case 'default-learning-rate': {
      const optimizer = next.compile.optimizer;
      const lr = defaultLearningRate(optimizer.className);
      const before = optimizer.config.learning_rate;
      if (before === lr) return { problem: `the learning rate is already ${optimizer.className}'s default (${lr})` };
      optimizer.config = { ...optimizer.config, learning_rate: lr };
      note(`Fix tried: learning rate ${lr} (${optimizer.className}'s default) instead of ${String(before)}.`);
      return { plan: next };
    }
    case 'clipnorm': {
      const optimizer = next.compile.optimizer;
      if (typeof optimizer.config.clipnorm === 'number') return { problem: `the optimizer already clips gradients (clipnorm=${optimizer.config.clipnorm})` };
      optimizer.config = { ...optimizer.config, clipnorm: 1.0 };
      note('Fix tried: gradients clipped to norm 1.0 (clipnorm=1.0).');
      return { plan: next };
    }
  }
}
