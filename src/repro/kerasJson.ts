/**
 * Keras JSON topologies: building the JSON that `model.to_json()` (Keras 3) would write from
 * the IR's layers, and reading shapes and parameter counts back out of such JSON.
 * Pure data; no TensorFlow.js here (the extension host loads this module).
 */
import type { LayerSpec, ModelSpec } from '../core/ir';
import { exprOutputShape, exprOutputShapeOf, type TensorExpr } from '../core/tensorExpr';
import { layerOutputShape } from '../core/frontends/python/shapes';

export interface KerasLayerJson {
  module?: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name?: string | null;
  name?: string;
  inbound_nodes?: unknown[];
}

export interface KerasModelJson {
  module?: string;
  class_name: string;
  config: {
    name: string;
    layers: KerasLayerJson[];
    input_layers?: unknown;
    output_layers?: unknown;
    [key: string]: unknown;
  };
  registered_name?: string | null;
  [key: string]: unknown;
}

/** Layer classes the reproduction can build in TensorFlow.js. */
export const SUPPORTED_LAYERS = new Set([
  'InputLayer', 'Dense', 'Dropout', 'BatchNormalization', 'LayerNormalization', 'Activation', 'Conv1D', 'Conv2D',
  'Conv2DTranspose', 'MaxPooling1D', 'MaxPooling2D', 'UpSampling1D', 'UpSampling2D', 'Flatten', 'Reshape', 'LSTM', 'GRU',
  'SimpleRNN', 'RepeatVector', 'TimeDistributed', 'GaussianNoise', 'Add', 'Multiply', 'Concatenate', 'Subtract', 'Average',
  'LeakyReLU', 'Conv1DTranspose', 'Lambda',
]);

/**
 * The config key under which a `Lambda` layer carries its function translated to tensor
 * operations (core/tensorExpr.ts); Keras itself writes the function's bytecode.
 */
export const LAMBDA_EXPRESSION_KEY = 'nanguard_expression';

const CONFIG_DROPPED = new Set(['batch_input_shape', 'input_shape', 'input_dim', 'batch_shape', 'shape']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Arguments that Keras's `get_config` writes as tuples of the layer's rank however the code gave
 * them (`kernel_size=3` becomes `[3, 3]` in a Conv2D). tfjs-layers reads some only as arrays:
 * `UpSampling2D(2)` given a bare 2 computed an output shape of NaN.
 */
const TUPLE_ARGUMENTS: Record<string, { rank: number; keys: string[] }> = {
  Conv1D: { rank: 1, keys: ['kernel_size', 'strides', 'dilation_rate'] },
  Conv2D: { rank: 2, keys: ['kernel_size', 'strides', 'dilation_rate'] },
  Conv2DTranspose: { rank: 2, keys: ['kernel_size', 'strides', 'dilation_rate'] },
  Conv1DTranspose: { rank: 1, keys: ['kernel_size', 'strides', 'dilation_rate'] },
  MaxPooling1D: { rank: 1, keys: ['pool_size', 'strides'] },
  MaxPooling2D: { rank: 2, keys: ['pool_size', 'strides'] },
  UpSampling2D: { rank: 2, keys: ['size'] },
};

function layerEntry(layer: LayerSpec): KerasLayerJson {
  const config: Record<string, unknown> = { name: layer.name, trainable: true, dtype: 'float32' };
  const tuples = TUPLE_ARGUMENTS[layer.className];
  for (const [key, value] of Object.entries(layer.config)) {
    if (CONFIG_DROPPED.has(key) || value === undefined) continue;
    config[key] = tuples?.keys.includes(key) && typeof value === 'number' ? new Array<number>(tuples.rank).fill(value) : value;
  }
  if (layer.className === 'Lambda' && layer.expression) config[LAMBDA_EXPRESSION_KEY] = layer.expression;
  // A wrapped layer (`TimeDistributed(Dense(...))`) names its module as Keras 3 writes it; Keras 3 refuses to load it without.
  const wrapped = config['layer'];
  if (isObject(wrapped) && typeof wrapped['class_name'] === 'string' && wrapped['module'] === undefined) config['layer'] = { module: 'keras.layers', ...wrapped };
  return { module: 'keras.layers', class_name: layer.className, config, registered_name: null };
}

/** The input shape (without batch) the model declares: `ModelSpec.inputShape`, an InputLayer, or a first layer's `input_shape`. */
export function declaredInputShape(model: ModelSpec): (number | null)[] | undefined {
  if (model.inputShape && model.inputShape.length > 0) return model.inputShape;
  for (const layer of model.layers) {
    const c = layer.config;
    const batchShape = (c.batch_shape ?? c.batch_input_shape) as (number | null)[] | undefined;
    if (Array.isArray(batchShape)) return batchShape.slice(1);
    if (Array.isArray(c.input_shape)) return c.input_shape as (number | null)[];
    if (Array.isArray(c.shape)) return c.shape as (number | null)[];
    if (typeof c.input_dim === 'number') return [c.input_dim];
    if (layer.className !== 'InputLayer') break;
  }
  return undefined;
}

/** True when every layer reads only the one before it (what a Sequential can express). */
function isChain(layers: LayerSpec[], inputName: string): boolean {
  for (let i = 0; i < layers.length; i++) {
    const inbound = layers[i].inbound;
    if (!inbound || inbound.length === 0) continue;
    const previous = i === 0 ? inputName : layers[i - 1].name;
    if (inbound.length !== 1 || inbound[0] !== previous) return false;
  }
  return true;
}

/**
 * The Keras 3 `model.to_json()` object for a model from the IR: a `Sequential` (with an
 * `InputLayer` carrying `batch_shape`) when the layers form a chain, else a `Functional`.
 * Returns a message when the topology cannot be rendered.
 */
export function kerasJsonFromModel(model: ModelSpec, inputShape: number[]): { json: KerasModelJson } | { problem: string } {
  if (isObject(model.kerasJson) && typeof (model.kerasJson as KerasModelJson).class_name === 'string') {
    return { json: model.kerasJson as KerasModelJson };
  }
  const layers = model.layers.filter((l) => l.className !== 'InputLayer');
  if (layers.length === 0) return { problem: 'the model has no layers the analysis could read' };
  const unsupported = layers.find((l) => !SUPPORTED_LAYERS.has(l.className));
  if (unsupported) {
    return { problem: `layer ${unsupported.name} (${unsupported.className}) cannot be reproduced: only standard Keras layers are (${[...SUPPORTED_LAYERS].filter((c) => c !== 'InputLayer').join(', ')})` };
  }
  const inputName = model.layers.find((l) => l.className === 'InputLayer')?.name ?? 'input_layer';
  const input: KerasLayerJson = {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: [null, ...inputShape], dtype: 'float32', sparse: false, name: inputName },
    registered_name: null,
  };
  if (isChain(layers, inputName)) {
    return {
      json: {
        module: 'keras',
        class_name: 'Sequential',
        config: { name: model.name || 'sequential', trainable: true, layers: [input, ...layers.map(layerEntry)] },
        registered_name: null,
      },
    };
  }
  const known = new Set([inputName, ...layers.map((l) => l.name)]);
  const entries: KerasLayerJson[] = [{ ...input, name: inputName, inbound_nodes: [] }];
  // Keras 3 rebuilds a functional graph from the tensors' shapes, so each node carries its input's shape.
  const shapes = new Map<string, (number | null)[] | null>([[inputName, [null, ...inputShape]]]);
  let previous = inputName;
  for (const layer of layers) {
    const sources = layer.inbound && layer.inbound.length > 0 ? layer.inbound : [previous];
    const missing = sources.find((s) => !known.has(s));
    if (missing) return { problem: `layer ${layer.name} reads ${missing}, which the analysis could not resolve` };
    const inShapes = sources.map((s) => shapes.get(s) ?? null);
    shapes.set(layer.name, outputShape(layer, inShapes));
    const tensors = sources.map((s, i) => ({ class_name: '__keras_tensor__', config: { shape: inShapes[i], dtype: 'float32', keras_history: [s, 0, 0] } }));
    entries.push({ ...layerEntry(layer), name: layer.name, inbound_nodes: [{ args: tensors.length === 1 ? tensors : [tensors], kwargs: {} }] });
    previous = layer.name;
  }
  const consumed = new Set(layers.flatMap((l, i) => (l.inbound && l.inbound.length > 0 ? l.inbound : [i === 0 ? inputName : layers[i - 1].name])));
  const outputs = layers.filter((l) => !consumed.has(l.name));
  const output = outputs.length > 0 ? outputs[outputs.length - 1].name : layers[layers.length - 1].name;
  return {
    json: {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: { name: model.name || 'functional', trainable: true, layers: entries, input_layers: [inputName, 0, 0], output_layers: [output, 0, 0] },
      registered_name: 'Functional',
    },
  };
}

/** A layer's output shape (batch first) from its inputs' shapes, as Keras computes it; null when unknown. */
function outputShape(layer: LayerSpec, inputs: ((number | null)[] | null)[]): (number | null)[] | null {
  if (inputs.length === 0 || inputs.some((s) => !s)) return null;
  const known = inputs as (number | null)[][];
  if (layer.className === 'Lambda') return layer.expression ? exprOutputShapeOf(layer.expression, known) : null;
  return layerOutputShape(layer.className, layer.config, known) ?? null;
}

/** The names of the layers a Keras 2 or Keras 3 node description reads. */
function inboundNames(nodes: unknown): string[] {
  const names: string[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) {
      if (v.length >= 3 && typeof v[0] === 'string' && typeof v[1] === 'number') names.push(v[0]);
      else for (const x of v) visit(x, depth + 1);
    } else if (isObject(v)) {
      const history = isObject(v.config) ? v.config.keras_history : undefined;
      if (Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
      else for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(Array.isArray(nodes) ? nodes[0] : undefined, 0);
  return names;
}

/** The output shape (without batch) of a Keras JSON topology on inputs of `inputShape`, for the common layers; undefined when unknown. */
export function outputShapeOfJson(json: KerasModelJson, inputShape: number[]): (number | null)[] | undefined {
  const { layers, outputName } = layerShapesOfJson(json, inputShape);
  if (json.class_name === 'Sequential') return layers.length > 0 ? layers[layers.length - 1].output?.slice(1) : [...inputShape];
  return outputName === undefined ? undefined : layers.find((l) => l.name === outputName)?.output?.slice(1);
}

interface LayerShapes {
  name: string;
  layer: KerasLayerJson;
  /** The shapes of its inputs and its output, batch first; undefined where not known. */
  inputs: ((number | null)[] | undefined)[];
  output: (number | null)[] | undefined;
}

/** Each layer of a topology (the InputLayer left out) with the shapes it reads and writes, and the output layer's name. */
function layerShapesOfJson(json: KerasModelJson, inputShape: number[]): { layers: LayerShapes[]; outputName?: string } {
  const all = json.config.layers ?? [];
  const shapeOf = (layer: KerasLayerJson, inputs: ((number | null)[] | undefined)[]): (number | null)[] | undefined => {
    if (layer.class_name === 'InputLayer') return [null, ...inputShape];
    if (inputs.length === 0 || inputs.some((s) => !s)) return undefined;
    const known = inputs as (number | null)[][];
    if (layer.class_name === 'Lambda') {
      const expr = layer.config[LAMBDA_EXPRESSION_KEY] as TensorExpr | undefined;
      return expr ? exprOutputShapeOf(expr, known) ?? undefined : undefined;
    }
    return layerOutputShape(layer.class_name, layer.config ?? {}, known);
  };
  const out: LayerShapes[] = [];
  const nameOf = (layer: KerasLayerJson) => layer.name ?? (layer.config?.name as string | undefined) ?? '';
  if (json.class_name === 'Sequential') {
    let shape: (number | null)[] | undefined = [null, ...inputShape];
    for (const layer of all) {
      if (layer.class_name === 'InputLayer') continue;
      const output = shapeOf(layer, [shape]);
      out.push({ name: nameOf(layer), layer, inputs: [shape], output });
      shape = output;
    }
    return { layers: out };
  }
  const shapes = new Map<string, (number | null)[] | undefined>();
  for (const layer of all) {
    const name = nameOf(layer);
    if (layer.class_name === 'InputLayer') {
      shapes.set(name, [null, ...inputShape]);
      continue;
    }
    const inputs = inboundNames(layer.inbound_nodes).map((n) => shapes.get(n));
    const output = shapeOf(layer, inputs);
    shapes.set(name, output);
    out.push({ name, layer, inputs, output });
  }
  return { layers: out, outputName: outputLayerName(json) };
}

/** True when a Lambda layer of the topology draws noise (a VAE's sampling step), whose size may be a fixed batch size (`K.random_normal(shape=(batch_size, latent_dim))`). */
export function drawsNoise(json: KerasModelJson): boolean {
  return (json.config.layers ?? []).some((l) => l.class_name === 'Lambda' && JSON.stringify(l.config?.[LAMBDA_EXPRESSION_KEY] ?? null).includes('"op":"random_normal"'));
}

/** The name of a functional topology's (first) output layer, as `output_layers` gives it; undefined for a Sequential one. */
export function outputLayerName(json: KerasModelJson): string | undefined {
  const outputs = json.config.output_layers;
  const first = Array.isArray(outputs) ? (typeof outputs[0] === 'string' ? outputs[0] : Array.isArray(outputs[0]) ? outputs[0][0] : undefined) : undefined;
  return typeof first === 'string' ? first : undefined;
}

/** A Conv1D/Conv2D kernel's size in elements (`kernel_size=3` on a Conv2D is 3 x 3). */
function kernelElements(className: string, config: Record<string, unknown>): number {
  const kernel = Array.isArray(config.kernel_size) ? (config.kernel_size as number[]) : [Number(config.kernel_size) || 1];
  const rank = className.startsWith('Conv1D') ? 1 : 2;
  return product(kernel.length === rank ? kernel : Array<number>(rank).fill(kernel[0]));
}

/** Weight matrices a recurrent cell multiplies per step: an LSTM's four gates, a GRU's three. */
function recurrentGates(className: string): number {
  return className === 'LSTM' ? 4 : className === 'GRU' ? 3 : 1;
}

/**
 * Multiply-adds of one sample's forward pass, about: what an epoch costs per sample. A
 * convolution repeats its kernel at every output position and a recurrent layer its weights at
 * every step, so their work is their parameters times positions or steps, where a Dense layer's
 * is its parameters. Layers without weights count one operation per output value; `convolution`
 * is the convolutions' part. Undefined when a shape on the way is not known.
 */
export function estimateWorkPerSample(json: KerasModelJson, inputShape: number[]): { total: number; convolution: number } | undefined {
  let total = 0;
  let convolution = 0;
  for (const { layer, inputs, output } of layerShapesOfJson(json, inputShape).layers) {
    const input = inputs[0];
    if (!input || !output || [...input.slice(1), ...output.slice(1)].some((d) => d === null)) return undefined;
    const dims = input.slice(1) as number[];
    const outDims = output.slice(1) as number[];
    const channelsIn = dims[dims.length - 1] ?? 1;
    const c = layer.config ?? {};
    switch (layer.class_name) {
      case 'Dense':
        total += channelsIn * (Number(c.units) || 0) * product(outDims.slice(0, -1));
        break;
      case 'Conv1D':
      case 'Conv2D':
      case 'Conv1DTranspose':
      case 'Conv2DTranspose': {
        const positions = layer.class_name.endsWith('Transpose') ? product(dims.slice(0, -1)) : product(outDims.slice(0, -1));
        const work = kernelElements(layer.class_name, c) * channelsIn * (Number(c.filters) || 0) * positions;
        total += work;
        convolution += work;
        break;
      }
      case 'LSTM':
      case 'GRU':
      case 'SimpleRNN': {
        const units = Number(c.units) || 0;
        total += recurrentGates(layer.class_name) * units * (channelsIn + units) * (dims.length > 1 ? product(dims.slice(0, -1)) : 1);
        break;
      }
      default:
        total += product(outDims);
    }
  }
  return { total, convolution };
}

/**
 * The values each recurrent layer keeps for its gradients, per sample: TensorFlow.js unrolls the
 * steps and holds every step's gate inputs, gates and states (about three values per gate and
 * four more per unit: 16 an LSTM unit, 13 a GRU's, 7 a SimpleRNN's) until the backward pass.
 */
export function recurrentStepValues(json: KerasModelJson, inputShape: number[]): Array<{ name: string; className: string; units: number; steps: number; valuesPerSample: number }> {
  const out: Array<{ name: string; className: string; units: number; steps: number; valuesPerSample: number }> = [];
  for (const { name, layer, inputs } of layerShapesOfJson(json, inputShape).layers) {
    const gates = layer.class_name === 'LSTM' ? 4 : layer.class_name === 'GRU' ? 3 : layer.class_name === 'SimpleRNN' ? 1 : 0;
    const steps = inputs[0]?.[1];
    const units = Number(layer.config?.units) || 0;
    if (gates === 0 || typeof steps !== 'number') continue;
    out.push({ name, className: layer.class_name, units, steps, valuesPerSample: steps * units * (3 * gates + 4) });
  }
  return out;
}

/** The input shape (without batch) written in a Keras JSON topology. */
export function inputShapeOfJson(json: KerasModelJson): (number | null)[] | undefined {
  for (const layer of json.config.layers ?? []) {
    const c = layer.config ?? {};
    const shape = (c.batch_shape ?? c.batch_input_shape) as (number | null)[] | undefined;
    if (Array.isArray(shape)) return shape.slice(1);
  }
  return undefined;
}

/** The Keras activation of the last layer with one (output range reasoning). */
export function outputActivation(json: KerasModelJson): string | undefined {
  const layers = json.config.layers ?? [];
  const last = layers[layers.length - 1];
  const activation = last?.config?.activation;
  return typeof activation === 'string' ? activation : undefined;
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Trainable-plus-state parameter count of a chain of common layers, computed from the
 * config as Keras does. Layers it does not know contribute nothing (the worker counts exactly).
 */
export function estimateParameters(json: KerasModelJson): number {
  const declared = inputShapeOfJson(json);
  let shape = (declared ?? []).map((d) => d ?? 1);
  // Each layer's input width from the graph's shapes where they are known: a layer on a branch
  // (a VAE's z_log_var beside z_mean) or after strided convolutions and a Flatten is not the chain's next.
  const graphInputs = new Map<string, number>();
  if (declared && declared.every((d) => typeof d === 'number')) {
    for (const { name, inputs } of layerShapesOfJson(json, declared as number[]).layers) {
      const width = inputs[0]?.[inputs[0].length - 1];
      if (typeof width === 'number') graphInputs.set(name, width);
    }
  }
  let total = 0;
  for (const layer of json.config.layers ?? []) {
    const c = layer.config ?? {};
    const last = graphInputs.get(layer.name ?? (c.name as string | undefined) ?? '') ?? (shape.length > 0 ? shape[shape.length - 1] : 1);
    switch (layer.class_name) {
      case 'Dense': {
        const units = Number(c.units) || 0;
        total += last * units + (c.use_bias === false ? 0 : units);
        shape = [...shape.slice(0, -1), units];
        break;
      }
      case 'BatchNormalization':
      case 'LayerNormalization':
        total += (layer.class_name === 'BatchNormalization' ? 4 : 2) * last;
        break;
      case 'Conv1D':
      case 'Conv2D':
      case 'Conv1DTranspose':
      case 'Conv2DTranspose': {
        const filters = Number(c.filters) || 0;
        total += kernelElements(layer.class_name, c) * last * filters + (c.use_bias === false ? 0 : filters);
        shape = [...shape.slice(0, -1), filters];
        break;
      }
      case 'LSTM':
      case 'GRU':
      case 'SimpleRNN': {
        const units = Number(c.units) || 0;
        const gates = recurrentGates(layer.class_name);
        const biasRows = layer.class_name === 'GRU' && c.reset_after !== false ? 2 : 1;
        total += gates * (units * (last + units) + biasRows * units);
        shape = c.return_sequences ? [...shape.slice(0, -1), units] : [units];
        break;
      }
      case 'Flatten':
        shape = [product(shape)];
        break;
      case 'Lambda': {
        const expr = c[LAMBDA_EXPRESSION_KEY] as TensorExpr | undefined;
        const out = expr ? exprOutputShape(expr, [1, ...shape]) : null;
        if (out) shape = out.slice(1).map((d) => d ?? 1);
        break;
      }
      case 'Reshape':
        if (Array.isArray(c.target_shape)) shape = (c.target_shape as number[]).slice();
        break;
      default:
        break;
    }
  }
  return total;
}
