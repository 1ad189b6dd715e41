/**
 * The `nanguard.*` settings, read through a getter so that this module never touches the
 * editor API and runs in unit tests. Values a user typed by hand can be of any shape: each
 * is checked and falls back to its default rather than reaching the rules malformed.
 */
import { DEFAULT_THRESHOLDS, resolveSettings, type Settings, type Thresholds } from '../../core/settings';
import type { Severity } from '../../core/findings';

export type RunMode = 'onType' | 'onSave';
export type ReproductionBackend = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface EditorOptions {
  enable: boolean;
  run: RunMode;
  /** Delay between the last keystroke and the lint, in milliseconds. */
  debounceMs: number;
  codeLens: boolean;
  /** Read data files (`.csv`, `.npy`, ...) the code loads, to learn their value ranges. */
  readDataFiles: boolean;
  /** Files larger than this many bytes are not analysed (and not read as data). */
  maxFileBytes: number;
  reproduction: {
    maxEpochs: number;
    maxParameters: number;
    maxSeconds: number;
    /** Seeds a TensorFlow.js reproduction trains (1: one seed). */
    seeds: number;
    backend: ReproductionBackend;
  };
}

export interface ExtensionConfiguration {
  core: Settings;
  editor: EditorOptions;
}

/** Bounds of every numeric setting; the manifest declares the same `minimum`/`maximum`. */
export const NUMERIC_BOUNDS: Record<string, { min: number; max: number; default: number; integer?: boolean }> = {
  debounceMs: { min: 0, max: 5000, default: 50, integer: true },
  maxFileBytes: { min: 1024, max: 50_000_000, default: 2_000_000, integer: true },
  'reproduction.maxEpochs': { min: 1, max: 10_000, default: 200, integer: true },
  'reproduction.maxParameters': { min: 1, max: 100_000_000, default: 5_000_000, integer: true },
  'reproduction.maxSeconds': { min: 1, max: 3600, default: 60, integer: true },
  'reproduction.seeds': { min: 1, max: 64, default: 1, integer: true },
  'thresholds.unscaledAbsMax': { min: 0.001, max: 1e12, default: DEFAULT_THRESHOLDS.unscaledAbsMax },
  'thresholds.scaleDisparityRatio': { min: 1, max: 1e12, default: DEFAULT_THRESHOLDS.scaleDisparityRatio },
  'thresholds.outlierRatio': { min: 1, max: 1e12, default: DEFAULT_THRESHOLDS.outlierRatio },
  'thresholds.highLearningRateFactor': { min: 1, max: 1e6, default: DEFAULT_THRESHOLDS.highLearningRateFactor },
  'thresholds.lowLearningRateFactor': { min: 1e-12, max: 1, default: DEFAULT_THRESHOLDS.lowLearningRateFactor },
  'thresholds.bottleneckRatio': { min: 1, max: 1e6, default: DEFAULT_THRESHOLDS.bottleneckRatio },
  'thresholds.maxSaturatingDepth': { min: 1, max: 1000, default: DEFAULT_THRESHOLDS.maxSaturatingDepth, integer: true },
  'thresholds.longRunEpochs': { min: 1, max: 1e9, default: DEFAULT_THRESHOLDS.longRunEpochs, integer: true },
};

export const THRESHOLD_KEYS = Object.keys(DEFAULT_THRESHOLDS) as (keyof Thresholds)[];

const SEVERITIES = new Set<string>(['error', 'warning', 'info', 'off']);
const RUN_MODES = new Set<string>(['onType', 'onSave']);
const BACKENDS = new Set<string>(['auto', 'tensorflow', 'wasm', 'cpu']);

/** Reads one setting by its key below `nanguard.`; undefined when unset. */
export type SettingGetter = (key: string) => unknown;

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function numberSetting(get: SettingGetter, key: string): number {
  const bounds = NUMERIC_BOUNDS[key];
  const value = get(key);
  if (typeof value !== 'number' || !Number.isFinite(value)) return bounds.default;
  const clamped = Math.min(bounds.max, Math.max(bounds.min, value));
  return bounds.integer ? Math.round(clamped) : clamped;
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v.trim().length > 0).map((v) => v.trim());
}

function severityMap(value: unknown): Record<string, Severity | 'off'> {
  const out: Record<string, Severity | 'off'> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [rule, severity] of Object.entries(value as Record<string, unknown>)) {
    if (typeof severity === 'string' && SEVERITIES.has(severity)) out[rule.trim().toUpperCase()] = severity as Severity | 'off';
  }
  return out;
}

export function readConfiguration(get: SettingGetter): ExtensionConfiguration {
  const thresholds: Partial<Thresholds> = {};
  for (const key of THRESHOLD_KEYS) thresholds[key] = numberSetting(get, `thresholds.${key}`);
  const run = get('run');
  const backend = get('reproduction.backend');
  return {
    core: resolveSettings({ select: stringList(get('select')), ignore: stringList(get('ignore')), severity: severityMap(get('severity')), thresholds }),
    editor: {
      enable: bool(get('enable'), true),
      run: typeof run === 'string' && RUN_MODES.has(run) ? (run as RunMode) : 'onType',
      debounceMs: numberSetting(get, 'debounceMs'),
      codeLens: bool(get('codeLens.enable'), true),
      readDataFiles: bool(get('readDataFiles'), true),
      maxFileBytes: numberSetting(get, 'maxFileBytes'),
      reproduction: {
        maxEpochs: numberSetting(get, 'reproduction.maxEpochs'),
        maxParameters: numberSetting(get, 'reproduction.maxParameters'),
        maxSeconds: numberSetting(get, 'reproduction.maxSeconds'),
        seeds: numberSetting(get, 'reproduction.seeds'),
        backend: typeof backend === 'string' && BACKENDS.has(backend) ? (backend as ReproductionBackend) : 'auto',
      },
    },
  };
}
