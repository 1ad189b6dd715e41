/**
 * What the Keras engine's Python bootstrap (`python/nanguard_keras.py`) tells the host: one JSON
 * object a line, on a pipe of its own (file descriptor 3), never on the program's stdout or
 * stderr, which belong to the user's program and go to the log. Non-finite numbers travel as
 * the strings "NaN", "Infinity" and "-Infinity" (WireNumber), as everywhere in nanguard.
 * Epochs and batches are 0-based. Lines are the program's 1-based line numbers as Python reports
 * them (a notebook: the line in its code cells joined in order).
 *
 * The order of a run: `started`, then (at the first `fit`, or the first step of a custom loop)
 * `observed`; in train mode `batch`/`epoch` while it trains and `nonFinite` at most once; then
 * exactly one of `done`, `programError`, `noFit` (or, instead of everything, `missing`). A bootstrap that dies without one of those
 * (killed, out of memory) is reported by the host from its exit status and stderr.
 */
import type { LayerStats, NonFinitePoint, WireNumber } from '../protocol';

/** Version of this protocol: the host refuses a bootstrap that speaks another. */
export const KERAS_EVENTS_VERSION = 1;

/** How the bootstrap is asked to run (one JSON object, argv[1] of the bootstrap). */
export interface KerasRunRequest {
  version: typeof KERAS_EVENTS_VERSION;
  /** The program to run: a `.py` file, or a notebook whose code cells run in order. */
  file: string;
  /** `observe`: stop at the first `fit` (or custom-loop step) before any training; `train`: train under the caps. */
  mode: 'observe' | 'train';
  /** The seed set (keras.utils.set_random_seed) before the program starts; the program may set its own. */
  seed: number | null;
  caps: {
    /** Epochs a `fit` may run: its own `epochs`, at most this. */
    maxEpochs: number;
    /** Batches an epoch may run; past it the epoch is cut short (and said so). Null: no cap. */
    maxStepsPerEpoch: number | null;
    /** Wall time for the whole program (import, loading, training), then it is stopped with `stopped: "wall-time"`. */
    maxSeconds: number;
  };
  /** For a `tf.data` dataset at `fit`: how many batches the statistics read. */
  datasetBatches: number;
}

/** Exact statistics of one array the program passed to `fit` (x, y or validation data). */
export interface ArrayStats {
  shape: number[];
  dtype: string;
  /** All values (not rows). */
  count: number;
  nanCount: number;
  infCount: number;
  /** Over the finite values of the whole array; null when there are none. */
  min: WireNumber | null;
  max: WireNumber | null;
  mean: WireNumber | null;
  std: WireNumber | null;
  /**
   * Per feature, the array seen as rows x features (its first axis the rows, the others flattened):
   * each over the finite values of the column (null where a column has none). At most
   * `FEATURE_LIMIT` features are listed; `features` says how many there are.
   */
  features: number;
  perFeature: {
    min: (WireNumber | null)[];
    max: (WireNumber | null)[];
    mean: (WireNumber | null)[];
    std: (WireNumber | null)[];
    /** Per column: finite values, NaN values and infinite values. */
    count: number[];
    nanCount: number[];
    infCount: number[];
  } | null;
  /** Columns whose finite values are all equal (std 0): their indices, at most 64, and how many in all. */
  constantColumns: number[];
  constantColumnCount: number;
  /** Columns holding at least one NaN: their indices, at most 64, and how many in all. */
  nanColumns: number[];
  nanColumnCount: number;
  /** For a tf.data dataset: the statistics cover only its first `batchesRead` batches. */
  batchesRead?: number;
}

/** How many features `perFeature` lists at most. */
export const FEATURE_LIMIT = 4096;

/** Where in the program: 1-based line, and the file (the program's own, or a module it imported). */
export interface ProgramLocation {
  file: string;
  line: number;
}

export type KerasEvent =
  /** Python, Keras and its backend loaded; the program starts next. */
  | { type: 'started'; version: number; python: string; keras: string; tensorflow: string | null; backend: string; loadMs: number }
  /**
   * The first `fit` (or, for a custom loop, its first `apply_gradients`): what training will see.
   * `x`/`y` are null when they could not be read as arrays (a generator, say).
   */
  | {
      type: 'observed';
      at: ProgramLocation | null;
      kind: 'fit' | 'custom-loop';
      /** `variable`: the program's name for the model (`autoencoder` in `autoencoder.fit(...)`), where one names it. */
      model: { name: string; variable: string | null; className: string; parameters: number; subclassed: boolean; json: string | null; outputActivation: string | null };
      optimizer: { className: string; learningRate: WireNumber | null; config: Record<string, unknown> } | null;
      /** The compiled loss: its Keras name (`mse`, `binary_crossentropy`), a function's name, or null (add_loss / a custom train_step only). */
      loss: string | null;
      fit: { epochs: number | null; batchSize: number | null; shuffle: boolean | null; validationSplit: number | null; stepsPerEpoch: number | null };
      x: ArrayStats | null;
      y: ArrayStats | null;
      validation: { x: ArrayStats | null; y: ArrayStats | null } | null;
      /** x is y: an autoencoder trained on its own input. */
      yIsX: boolean;
    }
  /** Progress inside an epoch (at most every 100 ms): that batch's own loss, not Keras's running mean. */
  | { type: 'batch'; epoch: number; batch: number; batches: number | null; loss: WireNumber }
  /** One epoch done: the loss Keras prints for it, and the validation loss. */
  | { type: 'epoch'; epoch: number; loss: WireNumber; valLoss: WireNumber | null; elapsedMs: number; layers: LayerStats[] | null }
  /** The first non-finite batch, with the layer and tensor named by replaying it. */
  | { type: 'nonFinite'; point: NonFinitePoint }
  /**
   * Training ended (or, in observe mode, the program reached `fit`). The program is then ended, so
   * nothing after its first `fit` runs. `bounds` are computed on the training targets as
   * src/repro/verdict.ts's lossBounds does (null fields where it gives none, and where it would
   * give NaN: MSE or MAE on targets that are not all finite); a relu output's range is [0, "Infinity"].
   */
  | {
      type: 'done';
      history: { loss: WireNumber[]; val_loss: WireNumber[] };
      epochsRun: number;
      epochsPlanned: number;
      /** Batches each epoch ran, when an epoch was cut short by maxStepsPerEpoch; else null. */
      shortenedTo: number | null;
      stopped: 'non-finite' | 'early-stopping' | 'wall-time' | null;
      bounds: { meanPredictor: number | null; outputFloor: number | null; outputRange: [WireNumber, WireNumber] | null; lossFloor: number | null; bceTargetRange?: [number, number] };
      layers: LayerStats[];
      notes: string[];
      timings: { programMs: number; trainMs: number; perEpochMs: number };
    }
  /** The program raised (before or during `fit`): the exception and the last lines of its traceback. */
  | { type: 'programError'; phase: 'before-fit' | 'during-fit'; exception: string; message: string; traceback: string[]; at: ProgramLocation | null }
  /** The program ended without ever calling `fit` or stepping an optimizer. */
  | { type: 'noFit'; message: string }
  /** The interpreter lacks what the engine needs (numpy, Keras, TensorFlow): sent instead of `started`. */
  | { type: 'missing'; module: string; python: string; executable: string; message: string };
