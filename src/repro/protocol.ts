/**
 * Messages between the reproduction's host side (CLI, extension) and its worker process.
 * Every message is plain JSON (sent over Node's IPC channel and on to the webview):
 * non-finite numbers travel as the strings "NaN", "Infinity" and "-Infinity".
 * Epochs and batches are 0-based.
 */
import type { TensorKind, WireNumber } from '../shared/wire';
import type { ReproPlan } from './plan';
import type { SeedRun, SeedsRequest } from './seeds';
import type { ReproSummary } from './summary';

export { fromWire, toWire, type TensorKind, type WireNumber } from '../shared/wire';
import { fromWire, toWire } from '../shared/wire';

/** How a non-finite number of a plan travels: JSON would write it as null, and a NaN cell of a data file would train as 0. */
const NON_FINITE_KEY = '$nonFinite';

function encodeNonFinite(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { [NON_FINITE_KEY]: toWire(value) };
  if (Array.isArray(value)) return value.map(encodeNonFinite);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeNonFinite(v)]));
  return value;
}

function decodeNonFinite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeNonFinite);
  if (typeof value === 'object' && value !== null) {
    const wire = (value as Record<string, unknown>)[NON_FINITE_KEY];
    if (wire === 'NaN' || wire === 'Infinity' || wire === '-Infinity') return fromWire(wire);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeNonFinite(v)]));
  }
  return value;
}

/** The plan as the start message carries it (its NaN and infinite values kept, see `planFromWire`). */
export function planToWire(plan: ReproPlan): ReproPlan {
  return encodeNonFinite(plan) as ReproPlan;
}

export function planFromWire(plan: ReproPlan): ReproPlan {
  return decodeNonFinite(plan) as ReproPlan;
}

/** The backends a run may ask for (`auto` picks one by the model and what loads). */
export const BACKEND_CHOICES = ['auto', 'node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = 'node' | 'wasm' | 'cpu';
/** The Keras engine's backends: what `keras.backend.backend()` names in the user's Python. */
export type KerasBackendName = 'tensorflow' | 'jax' | 'torch' | 'numpy';
/**
 * What computes the training steps: nanguard's dense kernels (a Dense/BatchNormalization/Dropout
 * chain on the CPU backend), the tfjs-layers model, or the user's own Keras running their program.
 */
export type TrainingEngine = 'dense' | 'tfjs-layers' | 'keras';


/** Where the first non-finite value appeared. */
export interface NonFinitePoint {
  epoch: number;
  batch: number;
  /** The Keras layer name; for `input` the input layer, for `loss` the output layer. */
  layer: string | null;
  tensor: TensorKind;
  /** True when the batch's inputs or targets already held NaN or Inf. */
  inputsNonFinite: boolean;
  /** One sentence for the user, with the numbers. */
  detail: string;
  /**
   * The loss of each of the last batches up to and including this one (at most
   * RECENT_BATCH_LOSSES, oldest first): how fast it ran away. Each batch's own loss, not the
   * running mean of the epoch that Keras's progress bar prints.
   */
  recentLosses: BatchLoss[];
}

export interface BatchLoss {
  epoch: number;
  batch: number;
  loss: WireNumber;
}

/** How many batch losses a non-finite point carries. */
export const RECENT_BATCH_LOSSES = 12;

/** Statistics of one layer at the end of an epoch. Null where the layer has no such thing. */
export interface LayerStats {
  layer: string;
  className: string;
  /** L2 norm of the layer's gradients on the epoch's last batch. */
  gradientNorm: WireNumber | null;
  /** L2 norm of the layer's trainable weights after the epoch. */
  weightNorm: WireNumber | null;
  /** Range of the layer's outputs on the first training batch (inference mode) after the epoch. */
  activationMin: WireNumber | null;
  activationMax: WireNumber | null;
}

/** Host to worker. */
export type HostMessage =
  /**
   * `warm`: the worker was forked ahead of time and has idled since (`forkWorker`); its clock
   * (timings, the wall-time cap) starts at this message instead of at the process start.
   * `nativeFolder`: a folder holding an installed `@tensorflow/tfjs-node` (else the worker's
   * `NANGUARD_TFJS_NODE`, else ordinary module resolution).
   * `seeds`: train the plan with several seeds, one after the other (plan.seed, plan.seed + 1, ...);
   * every progress message then carries its `seed`, each seed ends with `seedDone`, and `done`
   * carries the combined summary (seeds.ts). Absent: one seed, the plan's.
   */
  | { type: 'start'; plan: ReproPlan; backend: BackendChoice; warm?: boolean; nativeFolder?: string; seeds?: SeedsRequest }
  | { type: 'cancel' };

/**
 * Worker to host. In a run over several seeds, `ready`, `epoch`, `batch` and `nonFinite` carry
 * the `seed` they belong to (each seed sends its own `ready`); in a run of one seed they carry none.
 */
export type WorkerMessage =
  /** TensorFlow.js is loaded and the backend chosen; training starts next. */
  | { type: 'ready'; backend: BackendName | KerasBackendName; engine?: TrainingEngine; parameters: number; loadMs: number; seed?: number }
  /**
   * One epoch done: `loss` is what Keras prints (the mean of the batch losses, weighted by batch size).
   * `layers` holds per-layer statistics at most every 100 ms of training (always for the first, last
   * and non-finite epochs), else null: they cost a forward pass, which would dominate tiny models.
   */
  | { type: 'epoch'; epoch: number; loss: WireNumber; valLoss: WireNumber | null; layers: LayerStats[] | null; elapsedMs: number; seed?: number }
  /** Progress inside an epoch, at most every 100 ms. */
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: WireNumber; seed?: number }
  /** The first non-finite value, found by replaying the step that produced it. */
  | { type: 'nonFinite'; point: NonFinitePoint; seed?: number }
  /**
   * A run over several seeds: one seed is done. `index` counts seeds from 0; `count` is how many
   * the run trains as now known (`--seeds auto` decides it after the first seed).
   */
  | { type: 'seedDone'; seed: number; index: number; count: number; run: SeedRun }
  /** The run is over (finished, stopped at NaN, early-stopped, cancelled or out of time). */
  | { type: 'done'; summary: ReproSummary }
  /** The run could not happen or crashed: a sentence for the user; `detail`, TensorFlow.js's own text, is for the log only. */
  | { type: 'error'; message: string; detail?: string };
