import type { RelatedInformation, Severity } from '../findings';
import type { DataSpec, FeatureStats, ModelSpec } from '../ir';
import { lossName } from '../keras/names';
import { dataFacts, featureName, fmt, lastValueChange, layerAnchor, outputActivation, range, type ActivationRange } from './helpers/facts';
import { replaceActivationFix } from './helpers/fixes';
import type { Rule, RuleHit } from './rule';

type LossKind = 'mse' | 'mae' | 'other';

function lossKind(name: string | undefined): LossKind {
  const loss = lossName(name ?? 'mse');
  return loss === 'mse' || loss === 'mae' ? loss : 'other';
}

function clamp(v: number, r: ActivationRange): number {
  if (r.low !== null && v < r.low) return r.low;
  if (r.high !== null && v > r.high) return r.high;
  return v;
}

/** mean over samples of the loss between y and the closest value the activation can produce. */
function featureFloorFromValues(values: number[], r: ActivationRange, kind: LossKind): number {
  let sum = 0;
  for (const y of values) {
    const d = Math.abs(y - clamp(y, r));
    sum += kind === 'mae' ? d : d * d;
  }
  return values.length > 0 ? sum / values.length : 0;
}

/**
 * The same floor from summary statistics, exact when the whole feature lies on one side of
 * the range (E[(y - c)^2] = (mean - c)^2 + std^2); undefined when the feature straddles a bound.
 */
function featureFloorFromStats(s: FeatureStats, r: ActivationRange, kind: LossKind): number | undefined {
  const inside = (r.low === null || s.min >= r.low) && (r.high === null || s.max <= r.high);
  if (inside) return 0;
  let c: number | undefined;
  if (r.high !== null && s.min >= r.high) c = r.high;
  else if (r.low !== null && s.max <= r.low) c = r.low;
  if (c === undefined) return undefined;
  return kind === 'mae' ? Math.abs(s.mean - c) : (s.mean - c) ** 2 + s.std ** 2;
}

function erf(x: number): number {
  // Abramowitz and Stegun 7.1.26, |error| < 1.5e-7: plenty for a loss floor.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** E[(y - c)^2 for the part of y beyond c] for y uniform on [a, b]; `above` picks the side. */
function uniformTail(a: number, b: number, c: number, above: boolean, kind: LossKind): number {
  if (b <= a) return 0;
  const len = above ? Math.max(0, b - Math.max(a, c)) : Math.max(0, Math.min(b, c) - a);
  const offset = above ? Math.max(0, a - c) : Math.max(0, c - b);
  // The tail is [c + offset, c + offset + len] (or its mirror): integrate d^2 (or |d|) over it.
  const hi = offset + len;
  return kind === 'mae' ? (hi * hi - offset * offset) / (2 * (b - a)) : (hi ** 3 - offset ** 3) / (3 * (b - a));
}

/** The same for y normal with mean m and standard deviation s (MSE only). */
function normalTail(m: number, sd: number, c: number, above: boolean): number {
  if (sd <= 0) return above ? Math.max(0, m - c) ** 2 : Math.max(0, c - m) ** 2;
  const z = above ? (c - m) / sd : (m - c) / sd;
  const pdf = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
  const tail = 0.5 * (1 - erf(z / Math.SQRT2));
  return sd * sd * ((1 + z * z) * tail - z * pdf);
}

/** The floor of one feature of `np.random.*` data, from its distribution; undefined when not computable. */
function featureFloorFromDistribution(data: DataSpec, r: ActivationRange, kind: LossKind): number | undefined {
  const src = data.source;
  if (src.kind !== 'random' || data.transforms.length > 0) return undefined;
  let sum = 0;
  if (src.distribution === 'rand' || src.distribution === 'random' || src.distribution === 'uniform' || src.distribution === 'randint') {
    const a = src.distribution === 'rand' || src.distribution === 'random' ? 0 : (src.low ?? 0);
    const b = src.distribution === 'rand' || src.distribution === 'random' ? 1 : (src.high ?? 1);
    if (r.high !== null) sum += uniformTail(a, b, r.high, true, kind);
    if (r.low !== null) sum += uniformTail(a, b, r.low, false, kind);
    return sum;
  }
  if (kind !== 'mse') return undefined;
  const m = src.mean ?? 0;
  const sd = src.std ?? 1;
  if (r.high !== null) sum += normalTail(m, sd, r.high, true);
  if (r.low !== null) sum += normalTail(m, sd, r.low, false);
  return sum;
}

export interface LossFloor {
  /** Mean over features of the per-feature floor; undefined when it cannot be computed. */
  floor?: number;
  /** Mean over features of the target variance, for comparison. */
  variance: number;
  /** The feature reaching furthest outside the output range. */
  worst: { index: number; stats: FeatureStats; distance: number };
}

/** How far the targets lie outside what the output activation can produce, and the loss that leaves. */
export function lossFloor(data: DataSpec, r: ActivationRange, kind: LossKind): LossFloor | undefined {
  const facts = dataFacts(data);
  if (!facts || facts.stats.length === 0) return undefined;
  let worst: LossFloor['worst'] | undefined;
  facts.stats.forEach((s, index) => {
    const distance = Math.max(r.high !== null ? s.max - r.high : 0, r.low !== null ? r.low - s.min : 0);
    if (distance > 0 && (!worst || distance > worst.distance)) worst = { index, stats: s, distance };
  });
  if (!worst) return undefined;
  const variance = facts.stats.reduce((a, s) => a + s.std * s.std, 0) / facts.stats.length;
  if (kind === 'other') return { variance, worst };
  if (facts.kind === 'bounds') {
    // Every feature of np.random.* data has the same distribution: one feature's floor is the mean.
    const floor = featureFloorFromDistribution(data, r, kind);
    return floor === undefined ? { variance, worst } : { floor, variance, worst };
  }
  let total = 0;
  for (let f = 0; f < facts.stats.length; f++) {
    const column = facts.kind === 'exact' && facts.values ? facts.values.map((row) => row[f]).filter((v) => typeof v === 'number' && Number.isFinite(v)) : undefined;
    const part = column && column.length > 0 ? featureFloorFromValues(column, r, kind) : featureFloorFromStats(facts.stats[f], r, kind);
    if (part === undefined) return { variance, worst };
    total += part;
  }
  return { floor: total / facts.stats.length, variance, worst };
}

function rangeText(r: ActivationRange): string {
  if (r.low !== null && r.high !== null) return `(${r.low}, ${r.high})`;
  if (r.low !== null) return `values >= ${r.low}`;
  return `values <= ${r.high}`;
}

function targetOf(model: ModelSpec): DataSpec | undefined {
  return model.data.target ?? model.data.train;
}

function validationTarget(model: ModelSpec): DataSpec | undefined {
  const v = model.fit?.validation;
  return v && v.kind === 'data' ? (v.y ?? v.x) : undefined;
}

/** Losses that compare with the targets through a log: out-of-range targets are NAN402's. */
const CLASSIFICATION_LOSSES = new Set(['binary_crossentropy', 'binary_focal_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'categorical_focal_crossentropy']);
const CROSS_ENTROPIES = new Set(['binary_crossentropy', 'binary_focal_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'kl_divergence', 'poisson']);

/**
 * Targets standardised or mean-centred on the way to fit, whatever their values: about half of
 * them are below 0, which an output that cannot go negative (sigmoid, softmax, relu) never
 * produces. In Keras (test/evidence/NAN201.py, 8 seeds) such an autoencoder stalled at 0.63-0.66
 * of the targets' variance, just above its floor (0.59); a linear output reached 0.02-0.10.
 */
function centredTargetHits(model: ModelSpec, target: DataSpec, out: NonNullable<ReturnType<typeof outputActivation>>): RuleHit[] {
  if (out.range.low === null || out.range.low < 0) return [];
  const loss = lossName(model.compile?.loss.name ?? 'mse');
  if (loss !== undefined && CROSS_ENTROPIES.has(loss)) return [];
  // Known values speak for themselves (lossFloor); this is for targets whose values are not known.
  if (dataFacts(target)) return [];
  const centring = centringOf(target);
  if (!centring) return [];
  const location = layerAnchor(model, out.layer);
  if (!location) return [];
  const related: RelatedInformation[] = centring.location ? [{ location: centring.location, message: `${target.name} is centred here (${centring.name})` }] : [];
  return [
    {
      location,
      severity: 'warning',
      message: `${out.activation} output can only produce ${rangeText(out.range)} but the targets (${target.name}) are centred by ${centring.name}: about half of their values are below 0, so training stalls above zero loss (in Keras, at about 0.6 of the targets' variance for standardised data), not NaN`,
      related,
      explanation:
        `${centring.name} leaves each value's mean at 0, so about half of the targets **${target.name}** are negative, while the output layer **${out.layer.name}** uses \`${out.activation}\`, which never goes below ${out.range.low}. ` +
        `No weights can reconstruct the negative half: under a squared error the loss cannot go below the mean squared distance from the targets to ${rangeText(out.range)} (0.59 of the variance for normally distributed standard scores with a sigmoid). In Keras a Dense autoencoder on standardised data stalled at 0.63-0.66 of the variance in 8 of 8 seeds with a sigmoid output and reached 0.02-0.10 with a linear one.\n\n` +
        `Use a \`linear\` output for standardised targets, or scale them into ${rangeText(out.range)} (MinMaxScaler) instead.`,
    },
  ];
}

/** The last transform that changes values, when it centres them: a StandardScaler, `- mean`, `/ std` after centring. */
function centringOf(data: DataSpec): { name: string; location?: DataSpec['location'] } | undefined {
  const last = lastValueChange(data.transforms);
  if (!last) return undefined;
  if (last.kind === 'scaler' && (last.scaler === 'StandardScaler' || last.scaler === 'RobustScaler')) return { name: last.scaler, location: last.location };
  const previous = data.transforms[data.transforms.indexOf(last) - 1];
  if (last.kind === 'divide' && last.by === 'std' && previous?.kind === 'subtract' && previous.what === 'mean') return { name: 'standardisation ((x - mean) / std)', location: last.location };
  if (last.kind === 'subtract' && last.what === 'mean') return { name: 'mean-centring (x - mean)', location: last.location };
  return undefined;
}

export const outputRangeMismatch: Rule = {
  id: 'NAN201',
  name: 'output-range-mismatch',
  cause: 'output-range-mismatch',
  title: 'The output activation cannot produce the target range',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      "Compares the range the output layer's activation can produce (sigmoid and softmax: (0, 1); tanh: (-1, 1); relu: >= 0) with the range of the targets passed to `fit`, and computes the smallest loss the model can ever reach: for MSE, the mean over features of mean((y - clamp(y))^2), where clamp moves each target to the nearest value the output can produce. Targets whose values are not known but which are standardised or mean-centred on the way to `fit` are flagged when the output cannot go below 0 (sigmoid, softmax, relu): about half of them are negative. A classifier's cross-entropy is left alone: its targets are class indices or one-hot rows, not values to reach (binary cross-entropy on targets outside [0, 1] is NAN402's).",
    whyItFails:
      "No weights can make a sigmoid output 3000, so the loss has a floor it can never go below. For the targets 1-3 and 1000-3000 the closest a sigmoid can get is 1, leaving squared errors of 0-4 and 998001-8994001: an MSE floor of 2.33e6, seven times the targets' own variance (3.33e5), so the model cannot even beat predicting the mean. Worse, the output sigmoid is pushed to saturation (its pre-activation grows without bound chasing the targets), where its gradient sigmoid'(z) = s(1 - s) is below 1.3e-4 for |z| > 9, and learning stops. This does not produce NaN: training stalls at the floor, which is what users of such code actually see.",
    example: [
      '```python',
      'import numpy as np',
      'from tensorflow import keras',
      'from tensorflow.keras.layers import Input, Dense',
      '',
      'X_train = np.array([[1, 1000], [2, 2000], [3, 3000]])',
      'X_val = np.array([[4, 4000], [5, 5000]])',
      '',
      'input_layer = Input(shape=(2,))',
      "encoder = Dense(1, activation='sigmoid')(input_layer)",
      "decoder = Dense(2, activation='sigmoid')(encoder)  # can only produce (0, 1)",
      '',
      'autoencoder = keras.Model(inputs=input_layer, outputs=decoder)',
      "autoencoder.compile(optimizer='adam', loss='mse')",
      'autoencoder.fit(X_train, X_train, epochs=100, validation_data=(X_val, X_val))',
      '```',
    ].join('\n'),
    fix: [
      "Bring the targets into the output's range (min-max scaling for a sigmoid output, fitted on the training data), or use a `linear` output for targets that are not bounded.",
      '',
      '```python',
      'from sklearn.preprocessing import MinMaxScaler',
      '',
      'scaler = MinMaxScaler()',
      'X_train = scaler.fit_transform(X_train)',
      'X_val = scaler.transform(X_val)',
      '```',
    ].join('\n'),
    measured: 'never NaN; stuck at the floor its output range allows (2.33e6) in 8 of 8 seeds',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN201.py`, 8 seeds): the example stalls at a training loss of 2.33e6 after 100 epochs in 8 of 8 seeds (validation 1.02e7) and never goes NaN; the floors computed from the data are 2.33e6 (training) and 1.02e7 (validation), so the model ends at the floor, within 0.04% of it. Min-max scaled into [0, 1], the same model has no floor and its loss is 0.16-0.18 after 100 epochs in 8 of 8 (one Adam step per epoch on three samples), still finite and falling. Standardised targets whose values are not known (`(x - x.mean()) / x.std()`, as the World Models VAE prepares its frames) through a sigmoid output (a 64-32-8-32-64 Dense autoencoder, MSE, 20 epochs, 8 seeds) stall at 0.63-0.66 in 8 of 8 seeds, just above their floor of 0.59 (the variance is 1); with a linear output they reach 0.02-0.10. Never NaN.',
  },
  check(ctx) {
    const { model } = ctx;
    const out = outputActivation(model);
    if (!out || (out.range.low === null && out.range.high === null)) return [];
    const target = targetOf(model);
    if (!target) return [];
    // A classifier's targets are class indices (sparse) or one-hot rows, not values the output must reach;
    // binary cross-entropy's targets outside [0, 1] are NAN402's.
    if (CLASSIFICATION_LOSSES.has(lossName(model.compile?.loss.name ?? '') ?? '')) return [];
    const kind = lossKind(model.compile?.loss.name);
    const found = lossFloor(target, out.range, kind);
    if (!found) return centredTargetHits(model, target, out);
    const { floor, variance, worst } = found;
    const lossLabel = kind === 'mse' ? 'MSE' : kind === 'mae' ? 'MAE' : (model.compile?.loss.name ?? 'loss');
    const targetWords = `${featureName(worst.stats, worst.index)} of the targets (${target.name}) spans ${range(worst.stats)}`;
    let message = `${out.activation} output can only produce ${rangeText(out.range)} but ${targetWords}`;
    let severity: Severity;
    let floorWords = '';
    if (floor !== undefined) {
      // Predicting each feature's mean scores the variance under MSE: a floor above it means nothing useful can be learnt.
      const useless = kind === 'mse' ? floor >= variance : floor >= Math.sqrt(variance);
      severity = useless ? 'error' : 'warning';
      floorWords = `the ${lossLabel} cannot go below ${fmt(floor)}`;
      message += `: ${floorWords}, so training stalls there${useless ? ' without learning' : ''} (it does not go NaN)`;
    } else {
      const entirely = (out.range.high !== null && worst.stats.min >= out.range.high) || (out.range.low !== null && worst.stats.max <= out.range.low);
      severity = entirely ? 'error' : 'warning';
      message += ': training stalls above zero loss rather than going NaN';
    }
    const valTarget = validationTarget(model);
    const valFloor = valTarget ? lossFloor(valTarget, out.range, kind) : undefined;
    const related: RelatedInformation[] = [];
    if (target.location) related.push({ location: target.location, message: `targets ${target.name} defined here (${range(worst.stats)})` });
    if (valTarget?.location && valFloor?.floor !== undefined) {
      related.push({ location: valTarget.location, message: `validation targets ${valTarget.name}: the validation ${lossLabel} cannot go below ${fmt(valFloor.floor)}` });
    }
    const activationLocation = out.layer.origins?.['activation'];
    const fixes = [];
    if (activationLocation && (activationLocation.kind === 'literal' || activationLocation.kind === 'config')) {
      const text = ctx.sourceText(activationLocation.location.path);
      const fix = text !== undefined ? replaceActivationFix(text, activationLocation.location, 'linear', false) : undefined;
      if (fix) fixes.push(fix);
    }
    const location = layerAnchor(model, out.layer);
    if (!location) return [];
    const valSentence = valFloor?.floor !== undefined ? ` On the validation data (${valTarget?.name}) the floor is ${fmt(valFloor.floor)}.` : '';
    const hit: RuleHit = {
      location,
      severity,
      message,
      related,
      fixes,
      explanation:
        `The output layer **${out.layer.name}** uses \`${out.activation}\`, which can only produce ${rangeText(out.range)}. ` +
        `The targets reach ${fmt(worst.stats.max > (out.range.high ?? Infinity) ? worst.stats.max : worst.stats.min)}` +
        (floor !== undefined
          ? `, so even a perfect model misses by the distance to that range: ${floorWords} (mean over features of the squared distance from each target to the nearest reachable value), against a target variance of ${fmt(variance)}.${valSentence}`
          : '.') +
        `\n\nChasing the targets drives the output's pre-activation to saturation, where the ${out.activation} gradient vanishes: the loss stays put instead of going NaN. Scale the targets into ${rangeText(out.range)} or use a \`linear\` output.`,
    };
    return [hit];
  },
};
