/**
 * What computes the training: the run loop (train.ts) steps batches, evaluates, collects the
 * layers' statistics and replays the first non-finite step through this interface, whichever
 * engine trains. Two exist: nanguard's dense kernels (a Dense/BatchNormalization/Dropout
 * chain on the CPU backend, dense.ts) and the TensorFlow.js model (tfjs-layers). Gradients
 * travel as one flat vector in the FlatLayout's order, which the loop checks and measures.
 */
import type { LayerStats, NonFinitePoint, TrainingEngine, WireNumber } from '../protocol';
import { toWire } from '../protocol';
import type { DenseTrainer } from './dense';
import { replayStep } from './instrument';
import type { LossFn } from './losses';
import { modelLoss, type BuiltModel } from './model';
import type { FlatKerasOptimizer } from './optimizers';
import type { FlatLayout } from './optimizersFlat';
import { tf } from './tf';

/** Samples as one row-major float32 vector and as a tensor over it. */
export interface Samples {
  flat: Float32Array;
  tensor: tf.Tensor;
}

export interface Engine {
  readonly name: TrainingEngine;
  /**
   * One training step's forward and backward pass on the rows `rows` of the training data: the loss;
   * the gradients land in `grads`. A step in micro-batches throws `StepOverTime` as soon as its pace
   * says it would end past `deadline` (performance.now()'s clock).
   */
  step(rows: Int32Array, grads: Float32Array, deadline?: number): number;
  /** The optimizer's step with the gradients of the last step. */
  applyGradients(grads: Float32Array): void;
  /** Frees what the last step kept for a replay. */
  endStep(): void;
  /** The loss on validation data, in inference mode. */
  evaluate(x: Samples, y: Samples, rows: number): number;
  /** Per-layer statistics at the current weights, with the given gradient norms. */
  layerStats(gradNorms: (number | null)[] | null): LayerStats[];
  /** Where the last step first went non-finite: the step replayed layer by layer from the weights it started from. */
  findNonFinite(epoch: number, batch: number): Omit<NonFinitePoint, 'recentLosses'>;
}

/** What both engines train: the TensorFlow.js model, its variables' flat layout, the loss and the optimizer, the training data. */
export interface EngineContext {
  built: BuiltModel;
  layout: FlatLayout;
  lossFn: LossFn;
  optimizer: FlatKerasOptimizer;
  x: Samples;
  y: Samples;
  /** The first batch of the training data, on which activation ranges are measured. */
  probeX: tf.Tensor;
  /** What the training loss is multiplied by before the gradients are taken (mixed_float16's loss scale); the step still returns the loss itself. */
  lossScale?: () => number;
  /**
   * Rows per batch of the validation pass: Keras's, the fit's batch size, for a model with added
   * losses or a sampling step (a term summed over its batch, or noise of a fixed batch size,
   * depends on it); otherwise chunks of 4096, which give a mean loss the same value.
   */
  evaluationBatch?: number;
  /** Samples per forward and backward pass of a batch too large for memory at once (the plan's `fit.microBatch`); absent: the whole batch. */
  microBatch?: number;
}

function evaluateModel(built: BuiltModel, lossFn: LossFn, x: tf.Tensor, y: tf.Tensor, chunk = 4096): number {
  const n = x.shape[0];
  if (n <= chunk) return tf.tidy(() => modelLoss(built, lossFn, x, y, false).dataSync()[0]);
  let total = 0;
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    total += tf.tidy(() => {
      const xb = tf.slice(x, start, size);
      const yb = tf.slice(y, start, size);
      return modelLoss(built, lossFn, xb, yb, false).dataSync()[0] * size;
    });
  }
  return total / n;
}

export /**
 * Each layer's L2 norm over its variables' parts of a flat vector (null for a layer without
 * weights). Summed in double precision, so squares of large float32 values do not overflow;
 * the norm is then rounded to float32 (Infinity if it exceeds float32's range).
 */
function layerNorms(built: BuiltModel, layout: FlatLayout, values: Float32Array): (number | null)[] {
  return built.layers.map((layer) => {
    if (layer.variableIndices.length === 0) return null;
    let sum = 0;
    for (const i of layer.variableIndices) {
      for (let k = layout.offsets[i], end = k + layout.sizes[i]; k < end; k++) sum += values[k] * values[k];
    }
    return Math.fround(Math.sqrt(sum));
  });
}

/** Per-layer statistics: gradient norms (given), weight norms, activation ranges (one forward pass and one read-back). */
function layerStats(built: BuiltModel, layout: FlatLayout, gradNorms: (number | null)[] | null, probeX: tf.Tensor): LayerStats[] {
  const L = built.layers.length;
  const weightNorms = layerNorms(built, layout, layout.read(built.variables));
  const ranges = built.probe
    ? tf.tidy(() => {
        const out = built.probe!.apply(probeX, { training: false });
        const outs = Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
        const parts: tf.Tensor[] = [];
        for (let k = 0; k < L; k++) {
          parts.push(outs[k] ? tf.min(outs[k]) : tf.scalar(NaN));
          parts.push(outs[k] ? tf.max(outs[k]) : tf.scalar(NaN));
        }
        return tf.stack(parts).dataSync();
      })
    : null;
  const orNull = (n: number | null | undefined): WireNumber | null => (n === null || n === undefined ? null : toWire(n));
  return built.layers.map((layer, k) => ({
    layer: layer.name,
    className: layer.className,
    weightNorm: orNull(weightNorms[k]),
    gradientNorm: gradNorms ? orNull(gradNorms[k]) : null,
    activationMin: ranges ? toWire(ranges[2 * k]) : null,
    activationMax: ranges ? toWire(ranges[2 * k + 1]) : null,
  }));
}

/** A step in micro-batches that would end past its deadline, stopped early: how long the whole step would have taken. */
export class StepOverTime extends Error {
  constructor(
    readonly estimatedMs: number,
    readonly samplesDone: number,
    readonly elapsedMs: number,
  ) {
    super(`the step would take about ${Math.round(estimatedMs)} ms`);
    this.name = 'StepOverTime';
  }
}

/** True when no value is NaN or infinite. */
export function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** Every step on the TensorFlow.js model: gather the batch, gradients by autodiff, read back as one flat vector. */
export function tfjsLayersEngine(ctx: EngineContext): Engine {
  const { built, layout, lossFn, optimizer, x, y, probeX, lossScale, microBatch } = ctx;
  let xb: tf.Tensor | null = null;
  let yb: tf.Tensor | null = null;
  const partGrads = microBatch !== undefined ? new Float32Array(layout.total) : null;
  /** The loss of the rows (times `share`) and its gradients, read into `into`. */
  const pass = (rows: Int32Array, share: number, into: Float32Array): number => {
    const indices = tf.tensor1d(rows, 'int32');
    const batchX = tf.gather(x.tensor, indices);
    const batchY = tf.gather(y.tensor, indices);
    indices.dispose();
    xb?.dispose();
    yb?.dispose();
    xb = batchX;
    yb = batchY;
    const scale = (lossScale?.() ?? 1) * share;
    const { value, grads: byName } = tf.variableGrads(() => (scale === 1 ? modelLoss(built, lossFn, batchX, batchY, true) : tf.mul(modelLoss(built, lossFn, batchX, batchY, true), scale)), built.variables);
    const loss = value.dataSync()[0] / scale;
    // One flat vector of every gradient: checked, measured and applied in plain arithmetic, not a kernel per variable.
    layout.read(built.variables.map((v) => byName[v.name]), into);
    value.dispose();
    tf.dispose(byName);
    return loss;
  };
  return {
    name: 'tfjs-layers',
    step(rows, grads, deadline) {
      if (!partGrads || rows.length <= microBatch!) return pass(rows, 1, grads);
      const started = performance.now();
      let firstMs = 0;
      // Every term of the loss is a mean over the batch's samples (plan.ts, microBatchProblem): the batch's
      // loss and gradients are the micro-batches' weighted by their shares. The first micro-batch that goes
      // non-finite is the one kept for the replay.
      grads.fill(0);
      let loss = 0;
      for (let start = 0; start < rows.length; start += microBatch!) {
        const part = rows.subarray(start, Math.min(rows.length, start + microBatch!));
        const share = part.length / rows.length;
        const partLoss = pass(part, share, partGrads);
        loss += partLoss * share;
        for (let i = 0; i < partGrads.length; i++) grads[i] += partGrads[i];
        if (!Number.isFinite(partLoss) || !allFinite(partGrads)) break;
        // A batch of minutes is not run to its end past the deadline: its first micro-batches tell its pace. The
        // first pays for the backend's warm-up (11 s of a sample that then took 4.7 s), so it alone decides only
        // when it says twice over; later ones are paced without it.
        const done = start + part.length;
        const elapsed = performance.now() - started;
        const first = start === 0;
        if (first) firstMs = elapsed;
        const estimated = first ? (elapsed / done) * rows.length : firstMs + ((elapsed - firstMs) / (done - microBatch!)) * (rows.length - microBatch!);
        const margin = first ? 2 : 1;
        if (deadline !== undefined && done < rows.length && started + estimated / margin > deadline) throw new StepOverTime(estimated, done, elapsed);
      }
      return loss;
    },
    applyGradients(grads) {
      optimizer.applyFlat(built.variables, grads);
    },
    endStep() {
      xb?.dispose();
      yb?.dispose();
      xb = yb = null;
    },
    evaluate(vx, vy) {
      return evaluateModel(built, lossFn, vx.tensor, vy.tensor, ctx.evaluationBatch);
    },
    layerStats(gradNorms) {
      return layerStats(built, layout, gradNorms, probeX);
    },
    findNonFinite(epoch, batch) {
      return replayStep(built, xb!, yb!, lossFn, optimizer, epoch, batch);
    },
  };
}

/** nanguard's dense kernels: steps in plain float32 arithmetic; the TensorFlow.js model gets the weights for statistics and the replay. */
export function denseEngine(ctx: EngineContext, dense: DenseTrainer): Engine {
  const { built, layout, lossFn, optimizer, x, y, probeX } = ctx;
  let replayed: [tf.Tensor, tf.Tensor] | null = null;
  return {
    name: 'dense',
    step(rows, grads) {
      return dense.step(x.flat, y.flat, rows, grads);
    },
    applyGradients(grads) {
      optimizer.stepFlat(dense.params, grads);
    },
    endStep() {
      replayed?.[0].dispose();
      replayed?.[1].dispose();
      replayed = null;
    },
    evaluate(vx, vy, rows) {
      return dense.evaluate(vx.flat, vy.flat, rows);
    },
    layerStats(gradNorms) {
      dense.sync();
      return layerStats(built, layout, gradNorms, probeX);
    },
    findNonFinite(epoch, batch) {
      // The replay runs on the TensorFlow.js model: give it the weights this step started from.
      dense.sync();
      replayed = dense.batchTensors();
      return replayStep(built, replayed[0], replayed[1], lossFn, optimizer, epoch, batch);
    },
  };
}
