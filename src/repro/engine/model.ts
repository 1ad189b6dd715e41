/** Builds the tfjs model from a plan and names its parts the way Keras names them. */
import type { TensorExpr } from '../../core/tensorExpr';
import { outputLayerName } from '../kerasJson';
import type { ReproPlan } from '../plan';
import './customLayers';
import { describeBuildFailure } from './errors';
import { evaluateExpr } from './expr';
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
  parameters: number;
  inputName: string;
  /** Names of the weights that stand in for ones Keras does not have (`TfjsTopology.fixedWeights`): never trained. */
  standInWeights: Set<string>;
  /**
   * Loss terms added to the compiled loss (`add_loss`), with the model they are computed by: its
   * first output is the model's, the others the layers' outputs the terms read (one forward pass
   * gives all, so a term sees the same noise as the output). Null without added losses.
   */
  added: { model: tfl.LayersModel; terms: Array<{ expression: TensorExpr; outputs: number[] }> } | null;
}

export async function buildModel(plan: ReproPlan): Promise<BuiltModel> {
  const addedLosses = plan.compile.addedLosses ?? [];
  // A term that reads the output needs its probabilities: the output's sigmoid stays in the model rather than moving into the loss.
  const layersJson = plan.kerasJson.config.layers ?? [];
  const outputName = outputLayerName(plan.kerasJson) ?? layersJson[layersJson.length - 1]?.name ?? layersJson[layersJson.length - 1]?.config?.name;
  const termsReadOutput = addedLosses.some((a) => a.tensors.includes(String(outputName)));
  const topology = toTfjsTopology(plan.kerasJson, plan.seed, termsReadOutput ? 'custom' : plan.compile.loss);
  let model: tfl.LayersModel;
  try {
    model = await tfl.models.modelFromJSON({ modelTopology: topology.json } as unknown as tf.io.ModelJSON);
  } catch (error) {
    // TensorFlow.js's own words ("Expected units to be a positive integer") stay in the log; the user gets the layer and the reason.
    throw describeBuildFailure(error, plan);
  }
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
  const inputName = inputLayer?.name ?? 'input';
  let added: BuiltModel['added'] = null;
  if (addedLosses.length > 0) {
    // Output 0 is the model's; the input is output -1 (read from the batch itself).
    const read: string[] = [];
    const terms = addedLosses.map((a) => ({
      expression: a.expression,
      outputs: a.tensors.map((name) => {
        if (name === inputName) return -1;
        if (model.outputs[0].sourceLayer.name === name) return 0;
        if (!read.includes(name)) read.push(name);
        return 1 + read.indexOf(name);
      }),
    }));
    const outputs = [model.outputs[0], ...read.map((name) => model.getLayer(name).output as tfl.SymbolicTensor)];
    added = { model: tfl.model({ inputs: model.inputs, outputs }), terms };
  }
  return { model, variables, layers, probe, outputLogits: topology.outputLogits, parameters: model.countParams() - fixedParameters, inputName, standInWeights, added };
}

/**
 * The model's loss on a batch as Keras reports it: the compiled loss, the terms added with
 * `add_loss` (each summed to a scalar, as Keras 3's `_aggregate_additional_loss` does) and the
 * penalties of its regularizers (Keras adds them in training and in evaluation alike).
 */
export function modelLoss(built: BuiltModel, loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar, x: tf.Tensor, y: tf.Tensor, training: boolean): tf.Scalar {
  let total: tf.Scalar;
  if (built.added) {
    const outputs = built.added.model.apply(x, { training }) as tf.Tensor[];
    total = loss(y, outputs[0]);
    for (const term of built.added.terms) {
      total = tf.add(total, tf.sum(evaluateExpr(term.expression, term.outputs.map((i) => (i < 0 ? x : outputs[i])))));
    }
  } else total = loss(y, built.model.apply(x, { training }) as tf.Tensor);
  for (const penalty of built.model.calculateLosses()) total = tf.add(total, penalty);
  return total;
}
