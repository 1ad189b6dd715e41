/**
 * The training loop, Keras's `fit` step for step: shuffle before each epoch, batches of
 * `batch_size` (the last one smaller), one optimizer step per batch, the epoch loss as the
 * batch losses' mean weighted by batch size, validation loss at the epoch's end in
 * inference mode, EarlyStopping as Keras 3 decides it. Per batch the loss and the gradients
 * are read back as one flat vector: checked for NaN/Inf, and stepped by the optimizer in
 * plain float32 arithmetic (small models are dominated by per-kernel overhead, so a dozen
 * kernels per variable cost more than the arithmetic). Per-layer statistics are computed
 * at most every STATS_MS and at the last epoch. The loop knows no engine: it steps batches,
 * evaluates, collects statistics and finds the first non-finite point through `Engine`
 * (engines.ts: nanguard's dense kernels or the TensorFlow.js model).
 */
import { seededRandom } from '../data';
import { materializeData, targetShapeOf, type ReproPlan } from '../plan';
import { type BackendChoice, type BatchLoss, type WireNumber, type LayerStats, type NonFinitePoint, RECENT_BATCH_LOSSES, type WorkerMessage, toWire } from '../protocol';
import type { ReproSummary } from '../summary';
import { judge, lossBounds } from '../verdict';
import { drawsNoise, inputEmbeddings, outputActivation } from '../kerasJson';
import { modelTraits, selectBackend } from './backend';
import { denseTrainer } from './dense';
import { allFinite, denseEngine, layerNorms, StepOverTime, tfjsLayersEngine, type Engine } from './engines';
import { ReproductionFailure } from './errors';
import { float16LossFunction, lossFunction, multiOutputLoss } from './losses';
import { buildModel } from './model';
import { isDataNote, noteTexts } from '../notes';
import { createOptimizer } from './optimizers';
import { FlatLayout } from './optimizersFlat';
import { emulateHalfPrecision } from './precision';
import { tf } from './tf';

export interface RunHooks {
  emit(message: WorkerMessage): void;
  cancelled(): boolean;
}

const BATCH_EVENT_MS = 100;
const YIELD_MS = 20;
/** Per-layer statistics are computed at most this often (and on the first, last and non-finite epochs). */
const STATS_MS = 100;

function widthOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The rows as one row-major float32 vector and as a tensor over it (the CPU backend keeps the vector, it does not copy it). */
function tensorFor(rows: number[][], shape: number[]): { flat: Float32Array; tensor: tf.Tensor } {
  const width = widthOf(shape);
  const flat = new Float32Array(rows.length * width);
  rows.forEach((r, i) => flat.set(r.length === width ? r : r.slice(0, width), i * width));
  return { flat, tensor: tf.tensor(flat, [rows.length, ...shape]) };
}

function shuffled(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** The last few batch losses, in a ring: how the loss ran away before the first non-finite step. */
export class RecentLosses {
  private readonly epochs = new Int32Array(RECENT_BATCH_LOSSES);
  private readonly batches = new Int32Array(RECENT_BATCH_LOSSES);
  private readonly losses = new Float64Array(RECENT_BATCH_LOSSES);
  private count = 0;

  push(epoch: number, batch: number, loss: number): void {
    const i = this.count % RECENT_BATCH_LOSSES;
    this.epochs[i] = epoch;
    this.batches[i] = batch;
    this.losses[i] = loss;
    this.count++;
  }

  /** Oldest first. */
  list(): BatchLoss[] {
    const out: BatchLoss[] = [];
    for (let k = Math.max(0, this.count - RECENT_BATCH_LOSSES); k < this.count; k++) {
      const i = k % RECENT_BATCH_LOSSES;
      out.push({ epoch: this.epochs[i], batch: this.batches[i], loss: toWire(this.losses[i]) });
    }
    return out;
  }
}

class EarlyStopping {
  private best = Infinity;
  private wait = 0;
  constructor(private readonly config: NonNullable<ReproPlan['fit']['earlyStopping']>) {}
  /** Keras 3's `EarlyStopping.on_epoch_end` (mode min). */
  shouldStop(epoch: number, loss: number, valLoss: number | null): boolean {
    const current = this.config.monitor === 'loss' ? loss : valLoss;
    if (current === null || epoch < this.config.startFromEpoch) return false;
    this.wait += 1;
    // Keras's MonitorCallback in mode min: an improvement is a loss lower than the best by more than min_delta.
    if (current + this.config.minDelta < this.best) {
      this.best = current;
      this.wait = 0;
      return false;
    }
    return this.wait >= this.config.patience && epoch > 0;
  }
}

/** Keras 3's `ReduceLROnPlateau.on_epoch_end` on a loss: the learning rate it sets after the epoch, or null when it keeps it. */
class ReduceLrOnPlateau {
  private best: number | null = null;
  private wait = 0;
  private cooldownCounter = 0;
  constructor(private readonly config: NonNullable<ReproPlan['fit']['reduceLrOnPlateau']>) {}
  newRate(loss: number, valLoss: number | null, rate: number): number | null {
    const current = this.config.monitor === 'loss' ? loss : valLoss;
    if (current === null) return null;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.best === null || current + this.config.minDelta < this.best) {
      this.best = current;
      this.wait = 0;
      return null;
    }
    if (this.cooldownCounter > 0) return null;
    this.wait += 1;
    if (this.wait < this.config.patience || !(rate > Math.fround(this.config.minLr))) return null;
    this.cooldownCounter = this.config.cooldown;
    this.wait = 0;
    return Math.max(rate * this.config.factor, this.config.minLr);
  }
}

export interface RunOptions {
  /** Train a qualifying model on the dense engine's kernels (default); false keeps every step on tfjs-layers (tests compare the two). */
  denseKernels?: boolean;
  /** A folder holding an installed `@tensorflow/tfjs-node` (see native/locate.ts). */
  nativeFolder?: string;
  /**
   * When training stops for time, on performance.now()'s clock (default: `startedAt` plus the
   * plan's maxWallMs). A run over several seeds gives every seed the run's own deadline.
   */
  deadline?: number;
}

export async function runReproduction(plan: ReproPlan, backendChoice: BackendChoice, hooks: RunHooks, startedAt: number, options: RunOptions = {}): Promise<ReproSummary> {
  // tfjs draws unseeded randomness (dropout, noise, unseeded initializers) from Math.random: seed it so that runs repeat.
  const originalRandom = Math.random;
  Math.random = seededRandom(plan.seed, 104729);
  try {
    return await reproduce(plan, backendChoice, hooks, startedAt, options);
  } finally {
    Math.random = originalRandom;
  }
}

async function reproduce(plan: ReproPlan, backendChoice: BackendChoice, hooks: RunHooks, startedAt: number, options: RunOptions): Promise<ReproSummary> {
  let data = materializeData(plan);
  if (data.x.length === 0) throw new ReproductionFailure('the training data is empty after its transforms (dropna removed every row?)');
  const chosen = await selectBackend(backendChoice, modelTraits(plan, data.x.length), { nativeFolder: options.nativeFolder });
  if ('problem' in chosen) throw new ReproductionFailure(chosen.problem);
  const built = await buildModel(plan);
  if (built.parameters > plan.caps.maxParameters) {
    throw new ReproductionFailure(`the model has ${built.parameters} parameters, over the limit of ${plan.caps.maxParameters} (maxParameters)`);
  }
  const outputShapes = built.model.outputs.map((o) => (o.shape.slice(1) as number[]).map((d) => d ?? 1));
  // The targets of an output trained with a sparse cross-entropy are integer labels, not rows like the output.
  const targetShapes = outputShapes.map((s, i) => targetShapeOf(plan.outputs?.[i]?.loss ?? plan.compile.loss, s));
  const outWidth = targetShapes.reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1), 0);
  // With several outputs, each sample's targets are one row of every output's, one after the other (materializeData).
  const outputShape = plan.outputs ? [outWidth] : targetShapes[0];
  if (plan.outputs && plan.outputs.length !== outputShapes.length) throw new ReproductionFailure(`the model has ${outputShapes.length} outputs but ${plan.outputs.length} losses`);
  // A model trained on its added losses alone reads no targets (they stand in as its inputs).
  const targetShape = plan.compile.loss === 'none' ? plan.inputShape : outputShape;
  // Stand-in targets drawn at a width the plan could only guess (the output's shape was not worked out
  // before the model was built): drawn again, in the same range, at the width the built model gives.
  const standIn = (r: ReproPlan['data']['y'] | null | undefined) => (r?.kind === 'synthetic' && !r.labels ? r : undefined);
  // Targets taken to be the inputs (`fit(gen)` of a generator nanguard cannot follow, read as an autoencoder's) when the inputs are a stand-in themselves.
  const asInputs = plan.data.y.kind === 'same-as-x' ? standIn(plan.data.x) : undefined;
  const guessedY = standIn(plan.data.y) ?? (asInputs && { ...asInputs, stream: asInputs.stream + 7919 });
  let planNotes = plan.notes;
  if (plan.compile.loss !== 'none' && !plan.outputs && guessedY && (data.y[0]?.length ?? 0) !== outWidth) {
    const reshaped = (r: NonNullable<ReturnType<typeof standIn>>) => ({ ...r, shape: [r.shape[0], ...outputShape] });
    const guessedValY = standIn(plan.data.valY) ?? (plan.data.valY?.kind === 'same-as-x' ? standIn(plan.data.valX) : undefined);
    data = materializeData({ ...plan, data: { ...plan.data, y: reshaped(guessedY), ...(guessedValY ? { valY: reshaped(guessedValY) } : {}) } });
    // The plan's note gave the width it guessed (or none, for targets taken to be the inputs): the note says the width used.
    const redrawn = `the training targets: nanguard could not work out their shape before the model was built; a stand-in of ${guessedY.shape[0]} samples x ${outWidth} values (the shape ${JSON.stringify(outputShape)} of the model's output) is used instead, drawn in the same range as ${asInputs ? 'the stand-in inputs' : 'the guessed targets'}.`;
    const guessedNote = standIn(plan.data.y) ? planNotes.findIndex((n) => n.text === guessedY.reason) : -1;
    planNotes = guessedNote >= 0 ? planNotes.map((n, i) => (i === guessedNote ? { kind: n.kind, text: redrawn } : n)) : [...planNotes, { kind: 'stand-in', text: redrawn }];
  }
  if (plan.compile.loss !== 'none' && (data.y[0]?.length ?? 0) !== outWidth) {
    const sparse = targetShapes[0] !== outputShapes[0];
    const what = plan.outputs
      ? `its ${outputShapes.length} outputs take ${outWidth} (output shapes ${outputShapes.map((s) => JSON.stringify(s)).join(', ')})`
      : sparse
        ? `the sparse cross-entropy takes ${outWidth} integer label${outWidth === 1 ? '' : 's'} (output shape ${JSON.stringify(outputShapes[0])})`
        : `the model outputs ${outWidth} (shape ${JSON.stringify(outputShape)})`;
    throw new ReproductionFailure(`the targets have ${data.y[0]?.length ?? 0} values per sample but ${what}`);
  }
  // Integer labels of a sparse cross-entropy outside the output's classes (labels 1 to 7 for 7 outputs): Keras raises on a CPU and gives NaN on a GPU; no run of it means anything.
  if (!plan.outputs && targetShapes[0] !== outputShapes[0]) {
    const classes = outputShapes[0][outputShapes[0].length - 1];
    const labels = [...data.y, ...(data.valY ?? [])].flat();
    const outside = labels.find((v) => !(v >= 0 && v < classes && Number.isInteger(v)));
    if (outside !== undefined) {
      const [low, high] = labels.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
      throw new ReproductionFailure(
        `the sparse cross-entropy's labels run from ${low} to ${high}, but the output's ${classes} classes are 0 to ${classes - 1}: the label ${outside} has no output. Keras raises on a CPU ("Received a label value of ${outside} which is outside the valid range of [0, ${classes})") and gives NaN losses on a GPU${low === 1 && high === classes ? '; number the classes from 0 (y - 1)' : ''}`,
      );
    }
  }
  // Token ids past an Embedding's table (Embedding(100, 32) on ids up to 149): Keras raises on a CPU and reads zeros on a GPU; no run of it means anything.
  for (const embedding of inputEmbeddings(plan.kerasJson)) {
    let high = -Infinity;
    let low = Infinity;
    for (const row of [...data.x, ...(data.valX ?? [])]) {
      for (const v of row) {
        if (v > high) high = v;
        if (v < low) low = v;
      }
    }
    if (high >= embedding.inputDim || low < 0) {
      const outside = high >= embedding.inputDim ? high : low;
      throw new ReproductionFailure(
        `the token ids run from ${low} to ${high}, but ${embedding.name}'s table has ${embedding.inputDim} rows (input_dim=${embedding.inputDim}), ids 0 to ${embedding.inputDim - 1}: the id ${outside} has no row. Keras raises on a CPU ("indices[...] = ${outside} is not in [0, ${embedding.inputDim})") and reads zeros for it on a GPU, where the loss may go NaN${high >= embedding.inputDim && low >= 0 ? `; give the Embedding input_dim=${high + 1} (the largest id plus one), or the tokenizer a vocabulary of ${embedding.inputDim}` : ''}`,
      );
    }
  }
  const x = tensorFor(data.x, plan.inputShape);
  const y = tensorFor(data.y, targetShape);
  const validation = data.valX && data.valX.length > 0 && data.valY && data.valY.length > 0 ? { x: tensorFor(data.valX, plan.inputShape), y: tensorFor(data.valY, targetShape), rows: data.valX.length } : null;
  const layout = FlatLayout.of(built.variables);
  // float16 (everywhere, in some layers, or mixed) is emulated on the TensorFlow.js model (precision.ts); the loss is float16 only under set_floatx('float16').
  const precision = plan.precision ? emulateHalfPrecision(built, layout, plan.precision) : null;
  const lossFn = plan.outputs
    ? multiOutputLoss(plan.outputs.map((o, i) => ({ loss: o.loss, lossExpression: o.lossExpression, weight: o.weight, logits: built.outputsLogits[i] ?? false, shape: outputShapes[i] })))
    : (plan.precision?.float16Loss ? float16LossFunction : lossFunction)(plan.compile.loss, built.outputLogits, plan.compile.lossExpression);
  // Under float16 emulation the loss scale of mixed_float16 is the emulation's own (precision.ts); a LossScaleOptimizer in float32 scales here.
  const optimizer = precision
    ? precision.wrapOptimizer(createOptimizer(plan.compile.optimizer.className, plan.compile.optimizer.config, built.variables, precision.policy === 'float16' ? precision.half : undefined))
    : createOptimizer(plan.compile.optimizer.className, plan.compile.optimizer.config, built.variables, undefined, plan.compile.optimizer.lossScale);
  const flatGrads = new Float32Array(layout.total);
  // A batch split into micro-batches for memory is probed and validated a micro-batch at a time too.
  const microBatch = plan.fit.microBatch !== undefined && plan.fit.microBatch < plan.fit.batchSize ? plan.fit.microBatch : undefined;
  const probeX = tf.slice(x.tensor, 0, Math.min(microBatch ?? plan.fit.batchSize, data.x.length));
  // Validation in Keras's batches where the batch matters: added terms summed over it, noise drawn in a fixed batch size;
  // and under float16 emulation, whose rounding holds a dozen temporaries the size of each layer's output (a conv layer's
  // over 1,000 validation images at once ran the worker out of memory).
  const evaluationBatch = microBatch ?? (built.added || drawsNoise(plan.kerasJson) || precision ? plan.fit.batchSize : undefined);
  const context = { built, layout, lossFn, optimizer, x, y, probeX, ...(precision ? { lossScale: precision.lossScale } : {}), ...(evaluationBatch !== undefined ? { evaluationBatch } : {}), ...(microBatch !== undefined ? { microBatch } : {}) };
  // A chain of Dense / BatchNormalization / Dropout layers on the CPU backend trains on the dense engine's own kernels (dense.ts).
  // Its buffers hold one batch (no more rows than there are), and validation is evaluated in chunks of that size.
  const denseRows = Math.max(1, Math.min(plan.fit.batchSize, Math.max(data.x.length, data.valX?.length ?? 0)));
  const dense = chosen.backend === 'cpu' && options.denseKernels !== false && !precision && !built.added && microBatch === undefined ? denseTrainer(built, layout, plan.compile.loss, plan.seed, denseRows) : null;
  const engine: Engine = dense ? denseEngine(context, dense) : tfjsLayersEngine(context);
  const loadMs = performance.now() - startedAt;
  hooks.emit({ type: 'ready', backend: chosen.backend, engine: engine.name, parameters: built.parameters, loadMs: Math.round(loadMs) });

  const n = data.x.length;
  const batchSize = plan.fit.batchSize;
  const batches = Math.ceil(n / batchSize);
  const random = seededRandom(plan.seed, 7919);
  const early = plan.fit.earlyStopping ? new EarlyStopping(plan.fit.earlyStopping) : null;
  const reduceLr = plan.fit.reduceLrOnPlateau ? new ReduceLrOnPlateau(plan.fit.reduceLrOnPlateau) : null;
  const rateChanges: string[] = [];
  const history: { loss: number[]; val: number[] } = { loss: [], val: [] };
  let firstNonFinite: NonFinitePoint | null = null;
  const recentLosses = new RecentLosses();
  let stopped: ReproSummary['stopped'] = null;
  let slowBatch: ReproSummary['slowBatch'];
  let lastStats: LayerStats[] = [];
  let lastYield = performance.now();
  let lastStatsAt = -Infinity;
  let lastBatchEvent = 0;
  let lastBatchMs = 0;
  let validationMs = 0;
  let statsMs = 0;
  const trainStart = performance.now();
  const deadline = options.deadline ?? startedAt + plan.caps.maxWallMs;

  try {
    for (let epoch = 0; epoch < plan.fit.epochs && !stopped; epoch++) {
      const order = plan.fit.shuffle ? shuffled(n, random) : Int32Array.from({ length: n }, (_, i) => i);
      let sum = 0;
      let seen = 0;
      let lossWentNonFinite = false;
      let gradNorms: (number | null)[] | null = null;
      for (let b = 0; b < batches; b++) {
        // A batch that would end past the deadline is not started: the answer comes within the limit (one conv batch took 15 s).
        // A quarter more than the last batch took, as batches on a busy machine vary.
        const batchStart = performance.now();
        if (batchStart + 1.25 * lastBatchMs > deadline) {
          stopped = 'wall-time';
          break;
        }
        const start = b * batchSize;
        const size = Math.min(batchSize, n - start);
        const rows = order.subarray(start, start + size);
        let loss: number;
        try {
          loss = engine.step(rows, flatGrads, deadline);
        } catch (error) {
          if (!(error instanceof StepOverTime)) throw error;
          // Stopped at the limit before the batch's end; without an epoch, its pace says why there is no verdict.
          if (history.loss.length === 0) slowBatch = { batchSize: plan.fit.batchSize, estimatedMs: Math.round(error.estimatedMs), samplesDone: error.samplesDone, elapsedMs: Math.round(error.elapsedMs) };
          stopped = 'wall-time';
          break;
        }
        // Under mixed_float16 a step whose gradients overflowed is skipped (the loss scale halves), not a NaN.
        const applied = precision ? precision.prepareGradients(flatGrads) : true;
        const gradientsFinite = !applied || allFinite(flatGrads);
        sum += loss * size;
        seen += size;
        recentLosses.push(epoch, b, loss);
        if ((!Number.isFinite(loss) || !gradientsFinite) && !firstNonFinite) {
          firstNonFinite = { ...engine.findNonFinite(epoch, b), recentLosses: recentLosses.list() };
          // The replay names the tensor; the precision it overflowed in is the program's.
          if (precision) firstNonFinite.detail += ` ${precision.policy === 'mixed_float16' ? 'The layers compute in float16 (mixed_float16)' : 'These values are float16, as in the program'}: the largest finite float16 is 65504.`;
          hooks.emit({ type: 'nonFinite', point: firstNonFinite });
        }
        if (!Number.isFinite(loss)) {
          lossWentNonFinite = true;
          // The table of the first non-finite step shows that step's gradients (NaN or Inf where they broke).
          gradNorms = layerNorms(built, layout, flatGrads);
        } else {
          if (b === batches - 1) gradNorms = layerNorms(built, layout, flatGrads);
          if (applied) engine.applyGradients(flatGrads);
        }
        engine.endStep();
        const now = performance.now();
        lastBatchMs = now - batchStart;
        if (now - lastBatchEvent >= BATCH_EVENT_MS) {
          lastBatchEvent = now;
          hooks.emit({ type: 'batch', epoch, batch: b, batches, loss: toWire(loss) });
        }
        if (now - lastYield >= YIELD_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
        if (hooks.cancelled()) {
          stopped = 'cancelled';
          break;
        }
        if (now > deadline) {
          stopped = 'wall-time';
          break;
        }
        // Keras would go on with NaN weights; the run stops at the first non-finite loss.
        if (lossWentNonFinite) break;
      }
      if (stopped === 'cancelled' || (stopped === 'wall-time' && seen < n)) break;
      const epochLoss = lossWentNonFinite ? NaN : sum / seen;
      const validationStart = performance.now();
      const valLoss = validation ? (lossWentNonFinite ? NaN : engine.evaluate(validation.x, validation.y, validation.rows)) : null;
      validationMs += performance.now() - validationStart;
      history.loss.push(epochLoss);
      if (valLoss !== null) history.val.push(valLoss);
      let ending: ReproSummary['stopped'] = null;
      if (lossWentNonFinite || (valLoss !== null && !Number.isFinite(valLoss)) || (firstNonFinite && !Number.isFinite(epochLoss))) {
        ending = 'non-finite';
      } else if (!firstNonFinite && early?.shouldStop(epoch, epochLoss, valLoss)) {
        // (After a gradient overflowed with a finite loss Keras applied it and the next epoch shows the NaN: no early stop then.)
        ending = 'early-stopping';
      }
      // Keras calls EarlyStopping and ReduceLROnPlateau after each epoch, in the order given; the rate matters only if training goes on.
      const rate = ending === null && reduceLr ? reduceLr.newRate(epochLoss, valLoss, optimizer.learningRate()) : null;
      if (rate !== null) {
        optimizer.setLearningRate(rate);
        rateChanges.push(`${Number(rate.toPrecision(3))} after epoch ${epoch}`);
      }
      // Statistics cost a forward pass and a few reductions: at most every STATS_MS, and always at the end (so the summary's are the last epoch's).
      const lastEpoch = epoch === plan.fit.epochs - 1 || stopped !== null || ending !== null;
      const now = performance.now();
      const withStats = lastEpoch || now - lastStatsAt >= STATS_MS || firstNonFinite !== null;
      if (withStats) {
        lastStats = engine.layerStats(gradNorms);
        lastStatsAt = now;
        statsMs += performance.now() - now;
      }
      hooks.emit({ type: 'epoch', epoch, loss: toWire(epochLoss), valLoss: valLoss === null ? null : toWire(valLoss), layers: withStats ? lastStats : null, elapsedMs: Math.round(performance.now() - startedAt) });
      if (ending) stopped = ending;
    }
  } finally {
    optimizer.dispose();
    tf.dispose([x.tensor, y.tensor, probeX, ...(validation ? [validation.x.tensor, validation.y.tensor] : [])]);
    // A worker may train the next seed: the model's weights go too.
    built.model.dispose();
    tf.dispose(built.activity.kept.splice(0));
  }

  const trainMs = performance.now() - trainStart;
  // A weighted sum of several outputs' losses has no single output's bounds; with added terms the loss is no longer the compiled loss alone.
  const bounds = lossBounds(plan.outputs ? 'multiple' : plan.compile.addedLosses ? 'custom' : plan.compile.loss, data.y, outputActivation(plan.kerasJson));
  const judged = judge(history.loss, history.val, firstNonFinite !== null, bounds);
  // Stand-in class labels are random, unrelated to the inputs: a classifier's loss cannot fall on them, whatever the program.
  const standInLabels = [plan.data.y, ...(plan.outputs ?? []).map((o) => o.y)].find((r) => r?.kind === 'synthetic' && r.labels);
  if (judged.verdict === 'stalled' && standInLabels?.kind === 'synthetic' && standInLabels.labels) {
    const classes = standInLabels.labels.classes;
    judged.explanation += ` The class labels are random stand-ins, unrelated to the inputs: no model beats predicting each class's frequency on them (a cross-entropy of ln ${classes} = ${Math.log(classes).toFixed(3)}), so this stall is the stand-in's and says nothing about the real labels.`;
  }
  const notes = noteTexts(planNotes);
  if (chosen.nativeProblem) notes.push(`Native TensorFlow (tfjs-node) would train this model faster but is not available: ${chosen.nativeProblem}.`);
  if (stopped === 'wall-time') notes.push(`Stopped after ${history.loss.length} epoch${history.loss.length === 1 ? '' : 's'} at the wall-time limit of ${Math.round(plan.caps.maxWallMs / 1000)} s (maxWallMs).`);
  if (stopped === 'early-stopping') notes.push(`EarlyStopping ended training after epoch ${history.loss.length - 1}.`);
  if (rateChanges.length > 0) notes.push(`ReduceLROnPlateau set the learning rate to ${rateChanges.join(', then ')}.`);
  const toJson = (xs: number[]): WireNumber[] => xs.map(toWire);
  return {
    version: 1,
    verdict: judged.verdict,
    explanation: firstNonFinite ? `${judged.explanation} ${firstNonFinite.detail}` : judged.explanation,
    backend: chosen.backend,
    engine: engine.name,
    seed: plan.seed,
    firstNonFinite,
    history: { loss: toJson(history.loss), val_loss: toJson(history.val) },
    data: { train: plan.data.provenance.train, validation: plan.data.provenance.validation, notes: noteTexts(planNotes.filter(isDataNote)) },
    timings: { totalMs: Math.round(performance.now() - startedAt), loadMs: Math.round(loadMs), trainMs: Math.round(trainMs), perEpochMs: history.loss.length ? Number((trainMs / history.loss.length).toFixed(3)) : 0, validationMs: Math.round(validationMs), statsMs: Math.round(statsMs) },
    model: { name: plan.name, source: plan.source, parameters: built.parameters },
    epochsRun: history.loss.length,
    epochsPlanned: plan.fit.epochs,
    stopped,
    ...(slowBatch ? { slowBatch } : {}),
    bounds: { meanPredictor: bounds.meanPredictor, outputFloor: bounds.outputFloor, lossFloor: bounds.lossFloor },
    layers: lastStats,
    notes,
  };
}
