/**
 * The one message protocol between the extension and the loss-curve panel (a webview).
 * Both sides import these types; every message is a discriminated union member, and the
 * receiving side validates what it gets with the guards below before using it (a webview is
 * a web page: treat what it sends as untrusted input).
 *
 * VS Code serialises webview messages as JSON, so non-finite numbers travel as the strings
 * "NaN", "Infinity" and "-Infinity", as in the reproduction's JSON summary.
 */

import type { TensorKind, Verdict, WireNumber } from './wire';

export { fromWire, toWire, type TensorKind, type Verdict, type WireNumber } from './wire';

export interface FirstNonFinite {
  epoch: number;
  batch: number;
  layer: string | null;
  tensor: TensorKind;
  /** The loss of each of the last batches up to and including this one, oldest first. */
  recentLosses?: BatchLossPoint[];
}

export interface BatchLossPoint {
  epoch: number;
  batch: number;
  loss: WireNumber;
}

export interface EpochPoint {
  epoch: number;
  loss: WireNumber;
  valLoss?: WireNumber;
}

export interface LayerRow {
  layer: string;
  className: string;
  activationMin?: WireNumber;
  activationMax?: WireNumber;
  gradientNorm?: WireNumber;
  weightNorm?: WireNumber;
}

export interface FindingSummary {
  rule: string;
  cause: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** How the run bears the finding out, in words, when known ("confirmed: loss stalled at 2.3e6"). */
  bearing?: string;
}

/** One seed of a run over several seeds, as the panel draws it. */
export interface SeedTrack {
  seed: number;
  points: EpochPoint[];
  /** Where this seed's loss first went non-finite. */
  nonFinite?: { epoch: number; batch: number };
  /** Set when the seed is done. */
  verdict?: Verdict;
  finalLoss?: WireNumber;
}

/** What the panel knows about a run before it starts. */
export interface RunInfo {
  runId: string;
  /** "original" or the fix that was applied to the plan ("inputs scaled with StandardScaler"). */
  label: string;
  model: string;
  file: string;
  seed: number;
  epochs: number;
  /** Where the data came from, in plain words ("literal arrays in the code", "synthetic stand-in: ..."). */
  data: string;
  /** True when some data is a synthetic stand-in: the panel says so plainly. */
  synthetic: boolean;
  findings: FindingSummary[];
  /** A fix the panel can offer to try, when one exists. */
  suggestedFix?: { id: string; title: string };
  /** What trains: `tfjs`, nanguard's rebuild of the model in TensorFlow.js; `keras`, the program itself in the user's Keras. */
  engine?: 'tfjs' | 'keras';
  /** The other engine, when "Compare engines" can run the same model in it. */
  compareWith?: 'tfjs' | 'keras';
  /** Seeds the run trains one after the other (`seed`, `seed` + 1, ...); absent for one seed. */
  seeds?: number;
}

export interface RunResult {
  verdict: Verdict;
  /** The verdict in words: "Loss became NaN at epoch 3, batch 2: the gradient of dense_1 overflowed first." */
  verdictText: string;
  timings: { totalMs: number; firstPointMs?: number };
  /** A run over several seeds: the counts and the statement in words ("NaN in 3 of 8 seeds, all in epoch 0; ..."). */
  seeds?: { count: number; nan: number; agreement: 'unanimous' | 'coin-flip'; statement: string };
}

/** The whole state of one run as the panel shows it; resent when the panel is shown again or restored. */
export interface RunState {
  info: RunInfo;
  backend?: string;
  points: EpochPoint[];
  /**
   * A run over several seeds: each seed's losses. `points` is then the median over the seeds of
   * each epoch's finite losses (the line), and the chart draws their spread as a band.
   */
  seedRuns?: SeedTrack[];
  /** Seeds the run trains, as now known (a run may stop early at its time limit). */
  seedCount?: number;
  /** Per-batch losses of the current epoch are not kept; only the count of batches seen. */
  batchesSeen: number;
  firstNonFinite?: FirstNonFinite;
  layersLastFinite?: LayerRow[];
  layersFirstNonFinite?: LayerRow[];
  result?: RunResult;
  error?: string;
  cancelled?: boolean;
}

export interface PanelState {
  runs: RunState[];
  logScale: boolean;
  /**
   * Counts the changes the state went through (the reducer adds one per message that changes
   * it): of two copies of the panel's state, the higher revision is the newer one.
   */
  revision?: number;
}

export type ExtensionToPanel =
  | { type: 'state'; state: PanelState }
  | { type: 'runStarted'; info: RunInfo }
  | { type: 'backend'; runId: string; backend: string }
  | { type: 'epoch'; runId: string; point: EpochPoint }
  /** A run over several seeds: one seed's epoch (its seed's line; the run's median and band follow). */
  | { type: 'seedEpoch'; runId: string; seed: number; point: EpochPoint }
  | { type: 'seedNonFinite'; runId: string; seed: number; at: { epoch: number; batch: number } }
  /** One seed is done; `count`: the seeds the run trains, as now known. */
  | { type: 'seedDone'; runId: string; seed: number; count: number; verdict: Verdict; finalLoss: WireNumber | null }
  | { type: 'batch'; runId: string; epoch: number; batch: number; loss: WireNumber }
  | { type: 'nonFinite'; runId: string; at: FirstNonFinite }
  | { type: 'layers'; runId: string; when: 'lastFinite' | 'firstNonFinite'; rows: LayerRow[] }
  | { type: 'done'; runId: string; result: RunResult }
  | { type: 'error'; runId: string; message: string }
  | { type: 'cancelled'; runId: string };

export type ExportFormat = 'csv' | 'json' | 'png';

export type PanelToExtension =
  | { type: 'ready' }
  | { type: 'cancel'; runId: string }
  | { type: 'tryFix'; runId: string; fixId: string }
  | { type: 'applyFix'; runId: string; fixId: string }
  /** Train the same model in the other engine and overlay it on this run. */
  | { type: 'compareEngines'; runId: string }
  | { type: 'export'; format: 'csv' | 'json'; runId?: string }
  /** The chart as a PNG data URL, rendered by the webview (only it has the canvas). */
  | { type: 'exportPng'; dataUrl: string }
  | { type: 'setLogScale'; value: boolean };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Validates a message from the webview; anything malformed is `undefined` and is ignored. */
export function parsePanelMessage(raw: unknown): PanelToExtension | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  const id = (k: string) => typeof raw[k] === 'string' && ID.test(raw[k] as string);
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'cancel':
      return id('runId') ? { type: 'cancel', runId: raw.runId as string } : undefined;
    case 'compareEngines':
      return id('runId') ? { type: 'compareEngines', runId: raw.runId as string } : undefined;
    case 'tryFix':
    case 'applyFix':
      return id('runId') && id('fixId') ? { type: raw.type, runId: raw.runId as string, fixId: raw.fixId as string } : undefined;
    case 'export':
      if (raw.format !== 'csv' && raw.format !== 'json') return undefined;
      if (raw.runId !== undefined && !id('runId')) return undefined;
      return { type: 'export', format: raw.format, runId: raw.runId as string | undefined };
    case 'exportPng':
      // A PNG of a chart is small; refuse anything that is not a PNG data URL or is absurdly large.
      return typeof raw.dataUrl === 'string' && raw.dataUrl.startsWith('data:image/png;base64,') && raw.dataUrl.length < 20_000_000
        ? { type: 'exportPng', dataUrl: raw.dataUrl }
        : undefined;
    case 'setLogScale':
      return typeof raw.value === 'boolean' ? { type: 'setLogScale', value: raw.value } : undefined;
    default:
      return undefined;
  }
}
