import type { Severity } from './findings';

/** Numbers the rules compare against; every one is a setting. */
export interface Thresholds {
  /** |x| above this reaching the network unscaled is flagged. */
  unscaledAbsMax: number;
  /** Ratio between the largest and smallest feature scale that is flagged. */
  scaleDisparityRatio: number;
  /** max|x| / median|x| within a feature above this is an outlier. */
  outlierRatio: number;
  /** Learning rate above this multiple of the optimizer's default is flagged. */
  highLearningRateFactor: number;
  /** Learning rate below this fraction of the optimizer's default is flagged. */
  lowLearningRateFactor: number;
  /** Bottleneck narrower than input_dim / this is flagged. */
  bottleneckRatio: number;
  /** This many saturating layers in a row without normalization is "too deep". */
  maxSaturatingDepth: number;
  /** Epochs above which a run without EarlyStopping or TerminateOnNaN is noted. */
  longRunEpochs: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  unscaledAbsMax: 10,
  scaleDisparityRatio: 100,
  outlierRatio: 50,
  highLearningRateFactor: 10,
  lowLearningRateFactor: 1e-3,
  bottleneckRatio: 64,
  maxSaturatingDepth: 4,
  longRunEpochs: 200,
};

export interface Settings {
  /** Rule ids or prefixes to run (`NAN1`, `NAN101`); empty: all. */
  select: string[];
  /** Rule ids or prefixes never to run. */
  ignore: string[];
  /** Per-rule severity overrides; `off` disables. */
  severity: Record<string, Severity | 'off'>;
  thresholds: Thresholds;
}

export const DEFAULT_SETTINGS: Settings = {
  select: [],
  ignore: [],
  severity: {},
  thresholds: DEFAULT_THRESHOLDS,
};

export function resolveSettings(partial?: Partial<Omit<Settings, 'thresholds'>> & { thresholds?: Partial<Thresholds> }): Settings {
  return {
    select: partial?.select ?? [],
    ignore: partial?.ignore ?? [],
    severity: partial?.severity ?? {},
    thresholds: { ...DEFAULT_THRESHOLDS, ...(partial?.thresholds ?? {}) },
  };
}
