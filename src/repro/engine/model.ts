/** Builds the tfjs model from a plan and names its parts the way Keras names them. */
import { maskFlow, outputLayerName } from '../kerasJson';
import type { ReproPlan } from '../plan';
import { bindLayerWeights, NanguardInputSlice } from './customLayers';
// Registered over tfjs-layers' Orthogonal, whose QR takes tens of seconds on a large recurrent kernel.
import './orthogonal';
import type { TensorExpr } from '../../core/tensorExpr';
import { describeBuildFailure, ReproductionFailure } from './errors';
import { evaluateExpr } from './expr';
import type { LossFn } from './losses';
import { tf, tfl } from './tf';
import { toTfjsTopology } from './topology';

export interface LayerParts {
  name: string;
  className: string;
  /** Indices into `BuiltModel.variables`. */
  variableIndices: number[];
  /** Names of the layers feeding this one (the input layer included). */
  inbound: string[];
}

export interface BuiltModel {
  model: tfl.LayersModel;
  /** Trainable variables, in layer order. */
  variables: tf.Variable[];
  /** Every layer with weights or an output, in order (the InputLayer excluded). */
  layers: LayerParts[];
  /** A model whose outputs are every layer's output, for activation statistics and the replay; null when the graph does not allow it. */
  probe: tfl.LayersModel | null;
  outputLogits: boolean;
  /** Whether each output gives logits (its sigmoid or softmax moved into the loss), for a model with a loss per output. */
  outputsLogits: boolean[];
  parameters: number;
  inputName: string;
  /** A model of several inputs: where each lies in the flat row the training loop feeds (topology.ts `withOneInput`). */
  inputParts: Array<{ name: string; offset: number; width: number }>;
  /** Names of the weights that stand in for ones Keras does not have (`TfjsTopology.fixedWeights`): never trained. */
  standInWeights: Set<string>;
  /** The layers' activity regularizers, added to the loss by `modelLoss`. */
  activity: ActivityPenalties;
  /**
   * Loss terms added to the compiled loss (`add_loss`), with the model they are computed by: its
   * first output is the model's, the others the layers' outputs the terms read (one forward pass
   * gives all, so a term sees the same noise as the output). Null without added losses.
   */
  added: { model: tfl.LayersModel; terms: Array<{ expression: TensorExpr; outputs: number[] }> } | null;
}

/** While `penalties` is a list, each regularized layer's call adds its penalty to it. */
export interface ActivityPenalties {
  layers: number;
  penalties: tf.Tensor[] | null;
  /**
   * The last pass's penalties: kept out of the model's own tidy (which frees all but its output)
   * until the gradients of that pass are taken, and freed at the start of the next pass.
   */
  kept: tf.Tensor[];
}

/**
 * Keras 3 adds `regularizer(output) / batch size` to the loss for each output of a layer with an
 * activity regularizer, in training and evaluation. The layer's call computes it from the output
 * it just gave, inside the pass the gradients are taken of.
 */
function recordActivityPenalties(model: tfl.LayersModel, expressions: Map<string, TensorExpr>, logitLayers: Map<string, 'sigmoid' | 'softmax'>): ActivityPenalties {
  const activity: ActivityPenalties = { layers: 0, penalties: null, kept: [] };
  for (const layer of model.layers) {
    const expression = expressions.get(layer.name);
    if (!expression) continue;
    activity.layers += 1;
    // An output layer whose sigmoid or softmax the loss takes from its logits: Keras's output, the penalty's argument, is the activated one.
    const activation = logitLayers.get(layer.name);
    const activated = (t: tf.Tensor): tf.Tensor => (activation === 'sigmoid' ? tf.sigmoid(t) : activation === 'softmax' ? tf.softmax(t) : t);
    const call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => {
      const output = call(inputs, kwargs);
      if (activity.penalties) {
        for (const out of Array.isArray(output) ? output : [output]) {
          const penalty = tf.sum(evaluateExpr(expression, [activated(out)]));
          const kept = tf.keep(out.rank > 0 ? tf.div(penalty, out.shape[0] ?? 1) : penalty);
          activity.penalties.push(kept);
          activity.kept.push(kept);
        }
      }
      return output;
    };
  }
  return activity;
}

export async function buildModel(plan: ReproPlan): Promise<BuiltModel> {
  const addedLosses = plan.compile.addedLosses ?? [];
  // A term that reads the output needs its probabilities: the output's sigmoid stays in the model rather than moving into the loss.
  const layersJson = plan.kerasJson.config.layers ?? [];
  const outputName = outputLayerName(plan.kerasJson) ?? layersJson[layersJson.length - 1]?.name ?? layersJson[layersJson.length - 1]?.config?.name;
  const termsReadOutput = addedLosses.some((a) => a.tensors.includes(String(outputName)));
  const topology = toTfjsTopology(plan.kerasJson, plan.seed, plan.outputs ? plan.outputs.map((o) => o.loss) : termsReadOutput ? 'custom' : plan.compile.loss, plan.compile.fromLogits === true);
  let model: tfl.LayersModel;
  try {
    model = await tfl.models.modelFromJSON({ modelTopology: topology.json } as unknown as tf.io.ModelJSON);
  } catch (error) {
    // TensorFlow.js's own words ("Expected units to be a positive integer") stay in the log; the user gets the layer and the reason.
    throw describeBuildFailure(error, plan);
  }
  const unbound = bindLayerWeights(model.layers);
  if (unbound) throw new ReproductionFailure(unbound);
  keepMasksWhereKerasDoes(model, maskFlow(plan.kerasJson).receivers);
  redrawBackwardWeights(model, plan.seed);
  const activity = recordActivityPenalties(model, topology.activityPenalties, topology.logitLayers);
  const variables: tf.Variable[] = [];
  const layers: LayerParts[] = [];
  let fixedParameters = 0;
  const standInWeights = new Set<string>();
  for (const layer of model.layers) {
    // The parts of a model's several inputs (topology.ts) are its inputs, not layers of the user's.
    if (layer.getClassName() === 'InputLayer' || layer.getClassName() === 'NanguardInputSlice') continue;
    const indices: number[] = [];
    const fixed = topology.fixedWeights.get(layer.name);
    for (const w of layer.trainableWeights) {
      if (fixed?.has(w.originalName.split('/').pop() as 'gamma' | 'beta')) {
        // A stand-in for a weight Keras does not have: never trained, not counted.
        fixedParameters += w.read().size;
        standInWeights.add(w.name);
        continue;
      }
      indices.push(variables.length);
      variables.push(w.read() as tf.Variable);
    }
    const inbound = layer.inboundNodes[0]?.inboundLayers.map((l) => l.name) ?? [];
    layers.push({ name: layer.name, className: layer.getClassName(), variableIndices: indices, inbound });
  }
  let probe: tfl.LayersModel | null = null;
  try {
    const outputs = model.layers.filter((l) => l.getClassName() !== 'InputLayer' && l.getClassName() !== 'NanguardInputSlice').map((l) => l.output as tfl.SymbolicTensor);
    probe = tfl.model({ inputs: model.inputs, outputs });
  } catch {
    probe = null;
  }
  const inputParts = model.layers
    .filter((l): l is NanguardInputSlice => l instanceof NanguardInputSlice)
    .map((l) => ({ name: l.name, offset: l.offset, width: l.shape.reduce((a, b) => a * b, 1) }));
  const inputLayer = model.layers.find((l) => l.getClassName() === 'InputLayer');
  const inputName = inputLayer?.name ?? 'input';
  let added: BuiltModel['added'] = null;
  if (addedLosses.length > 0) {
    // Output 0 is the model's; the input is output -1 (read from the batch itself).
    const read: string[] = [];
    // A chain of layers is built as a Sequential model, whose input layer tfjs names itself: the plan's name for it is the input too.
    const planInputs = new Set(layersJson.filter((l) => l.class_name === 'InputLayer').map((l) => String(l.config?.name ?? l.name)));
    const terms = addedLosses.map((a) => ({
      expression: a.expression,
      outputs: a.tensors.map((name) => {
        // One of several inputs is its part of the joined row (a NanguardInputSlice), read as a layer's output; a single input is the batch itself.
        const part = inputParts.some((p) => p.name === name);
        if (!part && (name === inputName || planInputs.has(name))) return -1;
        if (model.outputs[0].sourceLayer.name === name) return 0;
        if (!read.includes(name)) read.push(name);
        return 1 + read.indexOf(name);
      }),
    }));
    const outputs = [model.outputs[0], ...read.map((name) => model.getLayer(name).output as tfl.SymbolicTensor)];
    added = { model: tfl.model({ inputs: model.inputs, outputs }), terms };
  }
  return { model, variables, layers, probe, outputLogits: topology.outputLogits, outputsLogits: topology.outputsLogits, activity, parameters: model.countParams() - fixedParameters, inputName, inputParts, standInWeights, added };
}

/** The initializer fields of a recurrent cell, by the weight they draw. */
const CELL_INITIALIZERS: Record<string, string> = { kernel: 'kernelInitializer', recurrent_kernel: 'recurrentInitializer', bias: 'biasInitializer' };

/**
 * tfjs-layers builds a Bidirectional's backward layer from the forward one's config, seeds
 * included, so both would start from the same weights; Keras draws the backward layer's afresh.
 * Its weights are drawn again from the same initializers with seeds of their own.
 */
function redrawBackwardWeights(model: tfl.LayersModel, seed: number): void {
  let counter = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Bidirectional') continue;
    const backward = (layer as unknown as { backwardLayer?: tfl.layers.Layer & { cell?: Record<string, unknown> } }).backwardLayer;
    const cell = backward?.cell;
    if (!backward || !cell) continue;
    for (const weight of backward.weights) {
      const field = CELL_INITIALIZERS[weight.originalName.split('/').pop() ?? ''];
      const initializer = field ? (cell[field] as { getClassName(): string; getConfig(): tf.serialization.ConfigDict } | undefined) : undefined;
      if (!initializer) continue;
      const config = initializer.getConfig();
      if (!('seed' in config)) continue; // Zeros, Ones, Constant: the same values either way.
      const entry = tf.serialization.SerializationMap.getMap().classNameMap[initializer.getClassName()];
      if (!entry) continue;
      const [cls, fromConfig] = entry;
      const fresh = fromConfig(cls, { ...config, seed: (Math.abs(Math.imul(seed + 7, 104729)) + 7919 * ++counter) % 2147483647 }) as unknown as { apply(shape: number[]): tf.Tensor };
      const values = fresh.apply(weight.shape as number[]);
      weight.write(values);
      values.dispose();
    }
  }
}

/** Layers whose `call` reads a mask (recurrent layers and their wrapper). */
const MASK_READERS = new Set(['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional']);

/**
 * tfjs-layers hands a Masking layer's mask on to layers Keras gives none (it goes past a
 * recurrent layer without return_sequences into the decoder after a RepeatVector): a
 * recurrent layer reads a mask only where Keras gives it one (`maskFlow`).
 */
function keepMasksWhereKerasDoes(model: tfl.LayersModel, receivers: Set<string>): void {
  for (const layer of model.layers) {
    if (!MASK_READERS.has(layer.getClassName()) || receivers.has(layer.name)) continue;
    const call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => {
      if (!kwargs || kwargs['mask'] === undefined) return call(inputs, kwargs);
      const { mask: _mask, ...rest } = kwargs;
      void _mask;
      return call(inputs, rest);
    };
  }
}

/**
 * The model's loss on a batch as Keras reports it: the compiled loss, the terms added with
 * `add_loss` (each summed to a scalar, as Keras 3's `_aggregate_additional_loss` does) and the
 * penalties of its regularizers (Keras adds them in training and in evaluation alike).
 */
export function modelLoss(built: BuiltModel, loss: LossFn, x: tf.Tensor, y: tf.Tensor, training: boolean): tf.Scalar {
  const penalties: tf.Tensor[] = [];
  if (built.activity.layers > 0) {
    tf.dispose(built.activity.kept.splice(0));
    built.activity.penalties = penalties;
  }
  let total: tf.Scalar;
  try {
    if (built.added) {
      // A model of one output (the terms read only the input and the output) gives a tensor, not a list.
      const applied = built.added.model.apply(x, { training }) as tf.Tensor | tf.Tensor[];
      const outputs = Array.isArray(applied) ? applied : [applied];
      total = loss(y, outputs[0]);
      for (const term of built.added.terms) {
        total = tf.add(total, tf.sum(evaluateExpr(term.expression, term.outputs.map((i) => (i < 0 ? x : outputs[i])))));
      }
    } else total = loss(y, built.model.apply(x, { training }) as tf.Tensor | tf.Tensor[]);
  } finally {
    built.activity.penalties = null;
  }
  for (const penalty of [...built.model.calculateLosses(), ...penalties]) total = tf.add(total, penalty);
  return total;
}
