/** The summary of a reproduction: what `nanguard reproduce --format json` prints (the stable object of docs/reproduction.md, "Events and the summary"). */
import type { BackendName, KerasBackendName, WireNumber, LayerStats, NonFinitePoint, TrainingEngine } from './protocol';
import type { DataKind } from './data';
import type { SeedsSummary } from './seeds';
import type { Verdict } from './verdict';
import { formatSeconds } from '../core/numberFormat';

export interface ReproSummary {
  version: 1;
  verdict: Verdict;
  /** The verdict in words, with the numbers (how far from what the data allows, where it went NaN). */
  explanation: string;
  /** The TensorFlow.js backend, or for the Keras engine the Keras backend of the user's Python. */
  backend: BackendName | KerasBackendName;
  /**
   * What computed the training steps: `dense`, nanguard's own float32 kernels for a chain of
   * Dense, BatchNormalization, Dropout and Activation layers (CPU backend only), or
   * `tfjs-layers`, the TensorFlow.js model on the backend. Absent in summaries from before it was reported.
   */
  engine?: TrainingEngine;
  seed: number;
  firstNonFinite: NonFinitePoint | null;
  history: { loss: WireNumber[]; val_loss: WireNumber[] };
  /** Where the data came from; `program`: the program's own arrays as its first `fit` got them (the Keras engine). */
  data: { train: DataKind | 'program'; validation: DataKind | 'program' | 'split' | 'none'; notes: string[] };
  /**
   * Milliseconds: `totalMs` from the worker's start to the summary, `loadMs` of it loading
   * TensorFlow.js, the data and the model, `trainMs` training. `cpuMs` is the worker
   * process's CPU time (user + system) over its life, steadier than wall time on a busy machine.
   */
  timings: { totalMs: number; loadMs: number; trainMs: number; perEpochMs: number; cpuMs?: number; validationMs?: number; statsMs?: number };
  model: { name: string; source: string; parameters: number };
  epochsRun: number;
  epochsPlanned: number;
  /** Why training ended before the planned epochs, if it did. */
  stopped: 'non-finite' | 'early-stopping' | 'wall-time' | 'cancelled' | null;
  /**
   * A first batch, run in micro-batches, stopped at the wall-time limit as soon as its pace showed
   * it would not end in time: the batch's size, how long it would take, and the samples that
   * showed it with their time (ms). Absent otherwise.
   */
  slowBatch?: { batchSize: number; estimatedMs: number; samplesDone: number; elapsedMs: number };
  /**
   * Loss reference points for the verdict (MSE, MAE and binary cross-entropy): the mean
   * predictor's loss, the output activation's floor, and the loss function's own floor
   * (`lossFloor`: 0 for MSE and MAE, the targets' mean entropy for binary cross-entropy).
   */
  bounds: { meanPredictor: number | null; outputFloor: number | null; lossFloor: number | null };
  /** Per-layer statistics after the last epoch. */
  layers: LayerStats[];
  notes: string[];
  /**
   * A run over several seeds (`--seeds`): each seed's outcome, the counts and the statement. The
   * verdict is then the multi-seed verdict (seeds.ts) and the other fields are those of the seed
   * named in `seeds.shown`. Absent for a run of one seed.
   */
  seeds?: SeedsSummary;
  /** With `seeds`: the share of seeds whose verdict is `nan` (0 to 1). */
  nanFraction?: number;
}

/**
 * The run trained on a stand-in for the training data (values nanguard could not know before
 * running the code, replaced by draws of the known shape and range). Its verdict is then about
 * the stand-in, not a fact about the user's training: it is said as such, and a problem verdict
 * on it alone does not fail the command.
 */
export function onStandInData(summary: Pick<ReproSummary, 'data'>): boolean {
  return summary.data.train === 'synthetic';
}

/** Why a run gave no verdict at the time limit: no epoch ended (with the pace of a first batch stopped early, when that is why). */
export function timeLimitText(summary: Pick<ReproSummary, 'slowBatch'>, raise: string): string {
  const slow = summary.slowBatch;
  if (!slow) return `the time limit came before the first epoch ended (${raise} to give the run the time of an epoch)`;
  const samples = slow.samplesDone === 1 ? 'sample' : `${slow.samplesDone} samples`;
  return `one batch of ${slow.batchSize} would take about ${formatSeconds(slow.estimatedMs)} here at the pace of its first ${samples} (${formatSeconds(slow.elapsedMs)}), so no epoch ends within the time limit (${raise}, or use a smaller batch_size or smaller inputs; the Keras engine trains it in your own Keras)`;
}

/** How the CLI and the panel say it, after the verdict word. */
export const STAND_IN_WORDS = 'on stand-in data (not a fact about your training: the real values were not known)';
