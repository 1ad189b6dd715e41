/** Builds the tfjs model from a plan and names its parts the way Keras names them. */
import { maskFlow } from '../kerasJson';
import type { ReproPlan } from '../plan';
import './customLayers';
import type { TensorExpr } from '../../core/tensorExpr';
import { describeBuildFailure } from './errors';
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
  /** Names of the weights that stand in for ones Keras does not have (`TfjsTopology.fixedWeights`): never trained. */
  standInWeights: Set<string>;
  /** The layers' activity regularizers, added to the loss by `modelLoss`. */
  activity: ActivityPenalties;
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
  const topology = toTfjsTopology(plan.kerasJson, plan.seed, plan.outputs ? plan.outputs.map((o) => o.loss) : plan.compile.loss);
  let model: tfl.LayersModel;
  try {
    model = await tfl.models.modelFromJSON({ modelTopology: topology.json } as unknown as tf.io.ModelJSON);
  } catch (error) {
    // TensorFlow.js's own words ("Expected units to be a positive integer") stay in the log; the user gets the layer and the reason.
    throw describeBuildFailure(error, plan);
  }
  keepMasksWhereKerasDoes(model, maskFlow(plan.kerasJson).receivers);
  redrawBackwardWeights(model, plan.seed);
  const activity = recordActivityPenalties(model, topology.activityPenalties, topology.logitLayers);
  const variables: tf.Variable[] = [];
  const layers: LayerParts[] = [];
  let fixedParameters = 0;
  const standInWeights = new Set<string>();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
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
    const outputs = model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.output as tfl.SymbolicTensor);
    probe = tfl.model({ inputs: model.inputs, outputs });
  } catch {
    probe = null;
  }
  const inputLayer = model.layers.find((l) => l.getClassName() === 'InputLayer');
  return { model, variables, layers, probe, outputLogits: topology.outputLogits, outputsLogits: topology.outputsLogits, activity, parameters: model.countParams() - fixedParameters, inputName: inputLayer?.name ?? 'input', standInWeights };
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
 * The model's loss on a batch as Keras reports it: the compiled loss plus the penalties of
 * its regularizers (Keras adds them in training and in evaluation alike).
 */
export function modelLoss(built: BuiltModel, loss: LossFn, x: tf.Tensor, y: tf.Tensor, training: boolean): tf.Scalar {
  const penalties: tf.Tensor[] = [];
  if (built.activity.layers > 0) {
    tf.dispose(built.activity.kept.splice(0));
    built.activity.penalties = penalties;
  }
  let output: tf.Tensor | tf.Tensor[];
  try {
    output = built.model.apply(x, { training }) as tf.Tensor | tf.Tensor[];
  } finally {
    built.activity.penalties = null;
  }
  let total = loss(y, output);
  for (const penalty of [...built.model.calculateLosses(), ...penalties]) total = tf.add(total, penalty);
  return total;
}
