/**
 * Keras JSON topologies: building the JSON that `model.to_json()` (Keras 3) would write from
 * the IR's layers, and reading shapes and parameter counts back out of such JSON.
 * Pure data; no TensorFlow.js here (the extension host loads this module).
 */
import { outputReference, referencedOutput, type LayerSpec, type ModelSpec } from '../core/ir';
import { exprOutputShape, exprOutputShapeOf, exprWeights, type TensorExpr } from '../core/tensorExpr';
import { attentionOutputWidth, layerOutputShape, recurrentStateCount, recurrentStateShape } from '../core/frontends/python/shapes';
import { canonicalLayerClass } from '../core/keras/names';
import { normalizationExpression } from '../core/keras/normalization';

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
  'LeakyReLU', 'Conv1DTranspose', 'Lambda', 'Rescaling', 'ActivityRegularization',
  'AveragePooling1D', 'AveragePooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D',
  'ZeroPadding1D', 'ZeroPadding2D', 'Cropping1D', 'Cropping2D', 'Permute', 'Masking', 'Bidirectional', 'ReLU', 'ELU', 'PReLU', 'Softmax',
  'SpatialDropout1D', 'SpatialDropout2D', 'GaussianDropout', 'AlphaDropout', 'Maximum', 'Minimum', 'Embedding', 'Dot',
  // nanguard's own layer (engine/customLayers.ts), over sequences.
  'MultiHeadAttention',
  // When its statistics are known (normalizationOf): built as the operation it computes.
  'Normalization',
]);

/**
 * The config key under which a `Lambda` layer carries its function translated to tensor
 * operations (core/tensorExpr.ts); Keras itself writes the function's bytecode.
 */
export const LAMBDA_EXPRESSION_KEY = 'nanguard_expression';

/**
 * The class name under which a layer's config carries an activity regularizer of the program's
 * own, translated to tensor operations (`{class_name, config: {expression}}`); the reproduction
 * adds its penalty as Keras does (engine/model.ts).
 */
export const ACTIVITY_EXPRESSION_CLASS = 'NanguardActivityRegularizer';

const CONFIG_DROPPED = new Set(['batch_input_shape', 'input_shape', 'input_dim', 'batch_shape', 'shape']);

export function isObject(v: unknown): v is Record<string, unknown> {
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
  AveragePooling1D: { rank: 1, keys: ['pool_size', 'strides'] },
  AveragePooling2D: { rank: 2, keys: ['pool_size', 'strides'] },
  UpSampling2D: { rank: 2, keys: ['size'] },
};

/** A Normalization layer's operation: from `adapt(data)` (the analysis), or from the `mean=`/`variance=` it is given. */
function normalizationOf(layer: LayerSpec): TensorExpr | undefined {
  if (layer.className !== 'Normalization' || layer.config.invert === true) return undefined;
  if (layer.expression) return layer.expression;
  const numbers = (v: unknown): number | number[] | undefined => (typeof v === 'number' ? v : Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number') ? (v as number[]) : undefined);
  const mean = numbers(layer.config.mean);
  const variance = numbers(layer.config.variance);
  return mean !== undefined && variance !== undefined ? normalizationExpression(mean, variance) : undefined;
}

function layerEntry(layer: LayerSpec): KerasLayerJson {
  // Normalization's statistics are weights Keras's JSON does not carry: its operation, as a Lambda of nanguard's.
  const normalization = normalizationOf(layer);
  if (normalization) return { module: 'keras.layers', class_name: 'Lambda', config: { name: layer.name, trainable: true, dtype: 'float32', [LAMBDA_EXPRESSION_KEY]: normalization }, registered_name: null };
  const config: Record<string, unknown> = { name: layer.name, trainable: true, dtype: 'float32' };
  const tuples = TUPLE_ARGUMENTS[layer.className];
  for (const [key, value] of Object.entries(layer.config)) {
    // An Embedding's input_dim is its vocabulary, not an input shape.
    if ((CONFIG_DROPPED.has(key) && !(key === 'input_dim' && layer.className === 'Embedding')) || value === undefined) continue;
    config[key] = tuples?.keys.includes(key) && typeof value === 'number' ? new Array<number>(tuples.rank).fill(value) : value;
  }
  if (layer.className === 'Lambda' && layer.expression) config[LAMBDA_EXPRESSION_KEY] = layer.expression;
  if (layer.activityExpression) config.activity_regularizer = { class_name: ACTIVITY_EXPRESSION_CLASS, config: { expression: layer.activityExpression } };
  // A wrapped layer (`TimeDistributed(Dense(...))`) names its module as Keras 3 writes it; Keras 3 refuses to load it without.
  const wrapped = config['layer'];
  if (isObject(wrapped) && typeof wrapped['class_name'] === 'string' && wrapped['module'] === undefined) config['layer'] = { module: 'keras.layers', ...wrapped };
  return { module: 'keras.layers', class_name: layer.className, config, registered_name: null };
}

/** The class a wrapper (`TimeDistributed`, `Bidirectional`) wraps, as its config names it. */
function wrappedClass(layer: LayerSpec): string | undefined {
  const inner = layer.config['layer'];
  return isObject(inner) && typeof inner['class_name'] === 'string' ? inner['class_name'] : undefined;
}

function lineOf(layer: LayerSpec, model: ModelSpec): string {
  return layer.location && layer.location.path === model.path ? `, line ${layer.location.range.start.line + 1}` : '';
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
    if (typeof c.input_dim === 'number' && layer.className !== 'Embedding') return [c.input_dim];
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
export function kerasJsonFromModel(model: ModelSpec, inputShape: number[], inputs?: Array<{ name: string; shape: number[] }>): { json: KerasModelJson } | { problem: string } {
  if (isObject(model.kerasJson) && typeof (model.kerasJson as KerasModelJson).class_name === 'string') {
    return { json: model.kerasJson as KerasModelJson };
  }
  const layers = model.layers.filter((l) => l.className !== 'InputLayer');
  if (layers.length === 0) return { problem: 'the model has no layers the analysis could read' };
  for (const layer of layers) {
    const wrapped = wrappedClass(layer);
    if (layer.className === 'Normalization' && !normalizationOf(layer)) {
      const why = layer.config.invert === true ? 'invert=True is not reproduced' : "nanguard could not tell the mean and variance it is adapted to (adapt on rows of features whose values or statistics nanguard knows, normalized along the last axis, or mean= and variance= given as numbers)";
      return { problem: `layer ${layer.name} (Normalization${lineOf(layer, model)}) cannot be reproduced: ${why}` };
    }
    const unsupported = !SUPPORTED_LAYERS.has(canonicalLayerClass(layer.className)) ? layer.className : wrapped !== undefined && !SUPPORTED_LAYERS.has(canonicalLayerClass(wrapped)) ? wrapped : undefined;
    if (unsupported) {
      const what = unsupported === layer.className ? `layer ${layer.name} (${layer.className}${lineOf(layer, model)})` : `layer ${layer.name} (${layer.className} of ${unsupported}${lineOf(layer, model)})`;
      return { problem: `${what} cannot be reproduced: TensorFlow.js has no faithful ${unsupported}, and nanguard reproduces these Keras layers: ${[...SUPPORTED_LAYERS].filter((c) => c !== 'InputLayer').join(', ')}` };
    }
  }
  const inputName = model.layers.find((l) => l.className === 'InputLayer')?.name ?? 'input_layer';
  const input: KerasLayerJson = {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: [null, ...inputShape], dtype: 'float32', sparse: false, name: inputName },
    registered_name: null,
  };
  // A model of several inputs: an InputLayer each, with its own shape.
  const several = inputs && inputs.length > 1 ? inputs : undefined;
  const inputEntries = several ? several.map((i) => ({ ...input, config: { ...input.config, batch_shape: [null, ...i.shape], name: i.name }, name: i.name, inbound_nodes: [] })) : [{ ...input, name: inputName, inbound_nodes: [] }];
  // A layer called twice, or one of several outputs (`return_state=True`), has no place in a Sequential model.
  const graphOnly = layers.some((l) => l.sharedWith !== undefined || l.config.return_state === true);
  if (!several && !graphOnly && isChain(layers, inputName) && !(model.outputNames && model.outputNames.length > 1)) {
    return {
      json: {
        module: 'keras',
        class_name: 'Sequential',
        config: { name: model.name || 'sequential', trainable: true, layers: [input, ...layers.map(layerEntry)] },
        registered_name: null,
      },
    };
  }
  const known = new Set([...inputEntries.map((e) => e.name as string), ...layers.map((l) => l.name)]);
  const entries: KerasLayerJson[] = [...inputEntries];
  // Keras 3 rebuilds a functional graph from the tensors' shapes, so each node carries its input's shape.
  const shapes = new Map<string, (number | null)[] | null>(several ? several.map((i) => [i.name, [null, ...i.shape]]) : [[inputName, [null, ...inputShape]]]);
  // A further call of a layer is another node of the layer's one entry: a tensor it gives is [layer, node, 0].
  const entryOf = new Map<string, KerasLayerJson>();
  const nodeOf = new Map<string, [string, number]>();
  // A layer's further output (`lstm#1`, a recurrent layer's state) is the same node's tensor 1.
  const outputOf = (reference: string) => (known.has(reference) ? { layer: reference, index: 0 } : referencedOutput(reference));
  const history = (reference: string): [string, number, number] => {
    const { layer, index } = outputOf(reference);
    return [...(nodeOf.get(layer) ?? [layer, 0]), index];
  };
  let previous = several ? several[0].name : inputName;
  for (const layer of layers) {
    const sources = layer.inbound && layer.inbound.length > 0 ? layer.inbound : [previous];
    const missing = sources.find((s) => !known.has(outputOf(s).layer));
    if (missing) return { problem: `layer ${layer.name} reads ${missing}, which the analysis could not resolve` };
    const inShapes = sources.map((s) => shapes.get(s) ?? null);
    shapes.set(layer.name, outputShape(layer, inShapes));
    const states = recurrentStateCount(canonicalLayerClass(layer.className));
    for (let i = 1; i <= states; i++) shapes.set(outputReference(layer.name, i), recurrentStateShape(layer.config, inShapes[0] ?? undefined) ?? null);
    const tensors = sources.map((s, i) => ({ class_name: '__keras_tensor__', config: { shape: inShapes[i], dtype: 'float32', keras_history: history(s) } }));
    // A recurrent layer given states (`initial_state=[h, c]`) takes them as a keyword, after its sequence.
    const node = states > 0 && tensors.length > 1 ? { args: [tensors[0]], kwargs: { initial_state: tensors.slice(1) } } : { args: tensors.length === 1 ? tensors : [tensors], kwargs: {} };
    if (layer.sharedWith !== undefined) {
      const first = entryOf.get(layer.sharedWith);
      if (!first || !Array.isArray(first.inbound_nodes)) return { problem: `layer ${layer.name} calls ${layer.sharedWith} again, which the rebuilt graph does not hold` };
      first.inbound_nodes.push(node);
      nodeOf.set(layer.name, [layer.sharedWith, first.inbound_nodes.length - 1]);
    } else {
      const entry: KerasLayerJson = { ...layerEntry(layer), name: layer.name, inbound_nodes: [node] };
      entries.push(entry);
      entryOf.set(layer.name, entry);
    }
    previous = layer.name;
  }
  const consumed = new Set(layers.flatMap((l, i) => (l.inbound && l.inbound.length > 0 ? l.inbound.map((s) => outputOf(s).layer) : [i === 0 ? inputName : layers[i - 1].name])));
  const outputs = layers.filter((l) => !consumed.has(l.name));
  const output = outputs.length > 0 ? outputs[outputs.length - 1].name : layers[layers.length - 1].name;
  const outputsList = model.outputNames && model.outputNames.length > 1 && model.outputNames.every((n) => known.has(n)) ? model.outputNames : undefined;
  return {
    json: {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: { name: model.name || 'functional', trainable: true, layers: entries, input_layers: several ? several.map((i) => [i.name, 0, 0]) : [inputName, 0, 0], output_layers: outputsList ? outputsList.map(history) : history(output) },
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
  return inboundRefs(nodes).map((r) => r.name);
}

/** The tensors a layer's first node reads: each layer's name and which of its outputs (`h` of `seq, h, c = LSTM(..., return_state=True)(x)` is output 1). */
function inboundRefs(nodes: unknown): Array<{ name: string; tensor: number }> {
  const refs: Array<{ name: string; tensor: number }> = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) {
      if (v.length >= 3 && typeof v[0] === 'string' && typeof v[1] === 'number') refs.push({ name: v[0], tensor: typeof v[2] === 'number' ? v[2] : 0 });
      else for (const x of v) visit(x, depth + 1);
    } else if (isObject(v)) {
      const history = isObject(v.config) ? v.config.keras_history : undefined;
      if (Array.isArray(history) && typeof history[0] === 'string') refs.push({ name: history[0], tensor: typeof history[2] === 'number' ? history[2] : 0 });
      else for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(Array.isArray(nodes) ? nodes[0] : undefined, 0);
  return refs;
}

/** The output shape (without batch) of a Keras JSON topology on inputs of `inputShape`, for the common layers; undefined when unknown. */
export function outputShapeOfJson(json: KerasModelJson, inputShape: number[]): (number | null)[] | undefined {
  const { layers, outputName } = layerShapesOfJson(json, inputShape);
  if (json.class_name === 'Sequential') return layers.length > 0 ? layers[layers.length - 1].output?.slice(1) : [...inputShape];
  return outputName === undefined ? undefined : layers.find((l) => l.name === outputName)?.output?.slice(1);
}

/** The shape (without batch) of each output of a topology, in the order of its `output_layers`; undefined where unknown. */
export function outputShapesOfJson(json: KerasModelJson, inputShape: number[]): ((number | null)[] | undefined)[] {
  if (json.class_name === 'Sequential') return [outputShapeOfJson(json, inputShape)];
  const { layers } = layerShapesOfJson(json, inputShape);
  return endpointNames(json.config.output_layers).map((name) => layers.find((l) => l.name === name)?.output?.slice(1));
}

/** The first layer whose output has a dimension of 0 or less (pooling or strides on an input too short for them). */
export function emptiedLayer(json: KerasModelJson, inputShape: number[]): { name: string; className: string; shape: (number | null)[] } | undefined {
  for (const { name, layer, output } of layerShapesOfJson(json, inputShape).layers) {
    if (output && output.slice(1).some((d) => d !== null && d <= 0)) return { name, className: layer.class_name, shape: output.slice(1) };
  }
  return undefined;
}

/**
 * The first BatchNormalization over another axis than the last (`axis=1` of channels-first
 * images): TensorFlow.js builds it, but its gradient sums per channel along the last axis only,
 * and the first training step fails.
 */
export function batchNormOffLastAxis(json: KerasModelJson, inputShape: number[]): { name: string; axis: number; rank: number } | undefined {
  for (const { name, layer, inputs } of layerShapesOfJson(json, inputShape).layers) {
    const rank = inputs[0]?.length;
    if (layer.class_name !== 'BatchNormalization' || rank === undefined) continue;
    const given = layer.config?.axis;
    const written = typeof given === 'number' ? given : Array.isArray(given) && given.length === 1 && typeof given[0] === 'number' ? given[0] : -1;
    const axis = written < 0 ? written + rank : written;
    if (axis !== rank - 1) return { name, axis, rank };
  }
  return undefined;
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
  const inputLayers = all.filter((l) => l.class_name === 'InputLayer');
  for (const layer of all) {
    const name = nameOf(layer);
    if (layer.class_name === 'InputLayer') {
      // A model of several inputs: each its own declared shape (`inputShape` is the first's).
      const declared = (layer.config?.batch_shape ?? layer.config?.batch_input_shape) as (number | null)[] | undefined;
      const own = inputLayers.length > 1 && Array.isArray(declared) && declared.slice(1).every((d) => typeof d === 'number' && d > 0) ? declared : undefined;
      shapes.set(name, own ? [null, ...(own.slice(1) as number[])] : [null, ...inputShape]);
      continue;
    }
    const inputs = inboundRefs(layer.inbound_nodes).map((r) => (r.tensor === 0 ? shapes.get(r.name) : stateShape(all.find((l) => nameOf(l) === r.name))));
    const output = shapeOf(layer, inputs);
    shapes.set(name, output);
    out.push({ name, layer, inputs, output });
  }
  return { layers: out, outputName: outputLayerName(json) };
}

/** A state a recurrent layer gives back with `return_state=True` (its outputs after the first): one vector of its units a sample. */
function stateShape(layer: KerasLayerJson | undefined): (number | null)[] | undefined {
  const units = layer?.config?.units;
  return layer && ['LSTM', 'GRU', 'SimpleRNN'].includes(layer.class_name) && layer.config?.return_state === true && typeof units === 'number' ? [null, units] : undefined;
}

/** True when a Lambda layer of the topology draws noise (a VAE's sampling step), whose size may be a fixed batch size (`K.random_normal(shape=(batch_size, latent_dim))`). */
export function drawsNoise(json: KerasModelJson): boolean {
  return (json.config.layers ?? []).some((l) => l.class_name === 'Lambda' && JSON.stringify(l.config?.[LAMBDA_EXPRESSION_KEY] ?? null).includes('"op":"random_normal"'));
}

/** The name of a functional topology's (first) output layer, as `output_layers` gives it; undefined for a Sequential one. */
/**
 * The Embedding layers that read a model's only input directly, with their table's rows
 * (`input_dim`): the token ids of the data index them as they are. Empty for a model of several
 * inputs, whose joined row is not one input's ids.
 */
export function inputEmbeddings(json: KerasModelJson): Array<{ name: string; inputDim: number }> {
  const layers = json.config.layers ?? [];
  const nameOf = (layer: KerasLayerJson) => String(layer.name ?? layer.config?.name ?? '');
  const table = (layer: KerasLayerJson | undefined) => (layer?.class_name === 'Embedding' && Number(layer.config?.input_dim) > 0 ? [{ name: nameOf(layer), inputDim: Number(layer.config.input_dim) }] : []);
  if (json.class_name === 'Sequential') return table(layers.find((l) => l.class_name !== 'InputLayer'));
  const inputs = layers.filter((l) => l.class_name === 'InputLayer').map(nameOf);
  if (inputs.length !== 1) return [];
  return layers.filter((l) => l.class_name === 'Embedding' && inboundRefs(l.inbound_nodes).some((r) => r.name === inputs[0])).flatMap((l) => table(l));
}

export function outputLayerName(json: KerasModelJson): string | undefined {
  const outputs = json.config.output_layers;
  const first = Array.isArray(outputs) ? (typeof outputs[0] === 'string' ? outputs[0] : Array.isArray(outputs[0]) ? outputs[0][0] : undefined) : undefined;
  return typeof first === 'string' ? first : undefined;
}

/**
 * The layers a functional topology's outputs are computed from (TensorFlow.js builds only
 * those); every layer of a Sequential one.
 */
export function layersLeadingToOutputs(json: KerasModelJson): Set<string> {
  const layers = json.config.layers ?? [];
  const nameOf = (l: KerasLayerJson): string => l.name ?? String(l.config.name);
  const outputs = endpointNames(json.config.output_layers);
  if (outputs.length === 0) return new Set(layers.map(nameOf));
  const byName = new Map(layers.map((l) => [nameOf(l), l]));
  const reached = new Set<string>();
  const pending = [...outputs];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reached.has(name)) continue;
    reached.add(name);
    const layer = byName.get(name);
    if (layer) pending.push(...inboundNames(layer.inbound_nodes));
  }
  return reached;
}

/** A Conv1D/Conv2D kernel's size in elements (`kernel_size=3` on a Conv2D is 3 x 3). */
function kernelElements(className: string, config: Record<string, unknown>): number {
  const kernel = Array.isArray(config.kernel_size) ? (config.kernel_size as number[]) : [Number(config.kernel_size) || 1];
  const rank = className.startsWith('Conv1D') ? 1 : 2;
  return product(kernel.length === rank ? kernel : Array<number>(rank).fill(kernel[0]));
}

/** A recurrent layer's class and units, or those of the one a Bidirectional wraps (run twice); undefined for other layers. */
function recurrentOf(layer: KerasLayerJson): { className: string; units: number; copies: number } | undefined {
  const RECURRENT = ['LSTM', 'GRU', 'SimpleRNN'];
  if (RECURRENT.includes(layer.class_name)) return { className: layer.class_name, units: Number(layer.config?.units) || 0, copies: 1 };
  const inner = layer.config?.layer;
  if (layer.class_name === 'Bidirectional' && isObject(inner) && typeof inner.class_name === 'string' && RECURRENT.includes(inner.class_name)) {
    return { className: inner.class_name, units: Number(isObject(inner.config) ? inner.config.units : 0) || 0, copies: 2 };
  }
  return undefined;
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
      case 'Bidirectional': {
        // Two copies of the wrapped recurrent layer, one each way.
        const inner = recurrentOf(layer);
        if (!inner) {
          total += product(outDims);
          break;
        }
        total += 2 * recurrentGates(inner.className) * inner.units * (channelsIn + inner.units) * (dims.length > 1 ? product(dims.slice(0, -1)) : 1);
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
    const recurrent = recurrentOf(layer);
    const steps = inputs[0]?.[1];
    if (!recurrent || typeof steps !== 'number') continue;
    const { className, units, copies } = recurrent;
    out.push({ name, className: layer.class_name, units, steps, valuesPerSample: copies * steps * units * (3 * recurrentGates(className) + 4) });
  }
  return out;
}

/**
 * The values every layer's output holds for one sample (batch excluded), and the layer whose output
 * is the largest: what a training step keeps for the gradients. Layers of unknown shape count nothing.
 */
export function activationValues(json: KerasModelJson, inputShape: number[]): { perSample: number; largest?: { name: string; className: string; shape: number[] } } {
  let perSample = 0;
  let largest: { name: string; className: string; shape: number[]; values: number } | undefined;
  for (const { name, layer, output } of layerShapesOfJson(json, inputShape).layers) {
    const shape = output?.slice(1);
    if (!shape || shape.some((d) => typeof d !== 'number')) continue;
    const values = product(shape as number[]);
    perSample += values;
    if (!largest || values > largest.values) largest = { name, className: layer.class_name, shape: shape as number[], values };
  }
  return { perSample, ...(largest ? { largest: { name: largest.name, className: largest.className, shape: largest.shape } } : {}) };
}

/**
 * The BatchNormalization layer that computes its statistics over the fewest values a sample for each
 * channel (1 after a Dense layer; height x width after a convolution), or undefined without one.
 */
export function sparsestBatchNormalization(json: KerasModelJson, inputShape: number[]): { name: string; valuesPerSample: number } | undefined {
  let sparsest: { name: string; valuesPerSample: number } | undefined;
  for (const { name, layer, output } of layerShapesOfJson(json, inputShape).layers) {
    if (layer.class_name !== 'BatchNormalization') continue;
    const positions = output?.slice(1, -1) ?? [];
    const valuesPerSample = positions.every((d) => typeof d === 'number') ? product(positions as number[]) : 1;
    if (!sparsest || valuesPerSample < sparsest.valuesPerSample) sparsest = { name, valuesPerSample };
  }
  return sparsest;
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

/** An Embedding's weights: input_dim rows of output_dim. */
function embeddingTable(config: Record<string, unknown>): number {
  return (Number(config.input_dim) || 0) * (Number(config.output_dim) || 0);
}

/** The weights of the model's Embedding tables, which a sample reads a row at a time. */
export function embeddingParameters(json: KerasModelJson): number {
  return (json.config.layers ?? []).reduce((sum, layer) => sum + (layer.class_name === 'Embedding' ? embeddingTable(layer.config ?? {}) : 0), 0);
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
      case 'SimpleRNN':
      case 'Bidirectional': {
        // A Bidirectional holds two copies of its recurrent layer, one each way; `concat` (its default) joins their outputs.
        const cell = recurrentOf(layer);
        if (!cell) break;
        const cellConfig = cell.copies === 2 ? (isObject(c.layer) && isObject(c.layer.config) ? c.layer.config : {}) : c;
        const biasRows = cell.className === 'GRU' && cellConfig.reset_after !== false ? 2 : 1;
        total += cell.copies * recurrentGates(cell.className) * (cell.units * (last + cell.units) + biasRows * cell.units);
        const width = cell.copies === 2 && (c.merge_mode === undefined || c.merge_mode === 'concat') ? 2 * cell.units : cell.units;
        shape = cellConfig.return_sequences ? [...shape.slice(0, -1), width] : [width];
        break;
      }
      case 'MultiHeadAttention': {
        // Query, key and value kernels (features x heads x key_dim or value_dim) with biases, and the output's (heads x value_dim x width).
        const heads = Number(c.num_heads) || 0;
        const keyDim = Number(c.key_dim) || 0;
        const valueDim = typeof c.value_dim === 'number' ? c.value_dim : keyDim;
        const bias = c.use_bias === false ? 0 : 1;
        const width = attentionOutputWidth(c, last);
        total += 2 * (last * heads * keyDim + bias * heads * keyDim) + last * heads * valueDim + bias * heads * valueDim + heads * valueDim * width + bias * width;
        shape = [...shape.slice(0, -1), width];
        break;
      }
      case 'Embedding':
        // A table of input_dim rows of output_dim: each index of the sequence becomes a row of it.
        total += embeddingTable(c);
        shape = [...shape, Number(c.output_dim) || 0];
        break;
      case 'GlobalAveragePooling1D':
      case 'GlobalMaxPooling1D':
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D':
        shape = [last];
        break;
      case 'Flatten':
        shape = [product(shape)];
        break;
      case 'Lambda': {
        const expr = c[LAMBDA_EXPRESSION_KEY] as TensorExpr | undefined;
        const out = expr ? exprOutputShape(expr, [1, ...shape]) : null;
        if (out) shape = out.slice(1).map((d) => d ?? 1);
        // A custom layer's own weights (`add_weight` in its build).
        if (expr) for (const w of exprWeights(expr)) total += w.shape.reduce((a, b) => a * b, 1);
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

/** Layers that keep their input's Keras mask on their output (Keras 3's `supports_masking` with the default `compute_mask`); their computation ignores it. */
const MASK_PASSING = new Set([
  'Dense', 'Activation', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
  'LeakyReLU', 'ReLU', 'ELU', 'PReLU', 'Softmax', 'LayerNormalization', 'TimeDistributed',
]);
const MASK_CONSUMING = new Set(['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional']);

function returnsSequences(layer: KerasLayerJson): boolean {
  const inner = layer.config?.layer;
  const config = layer.class_name === 'Bidirectional' && isObject(inner) && isObject(inner.config) ? inner.config : layer.config ?? {};
  return config.return_sequences === true;
}

/**
 * Where a `Masking` layer's mask goes, as Keras 3 carries it: the recurrent layers that read it
 * (their masked steps keep the previous state), or why the reproduction cannot follow it. Keras
 * also leaves masked steps out of the loss when the mask reaches the output, and out of the
 * statistics of a BatchNormalization or GlobalAveragePooling1D; TensorFlow.js does neither.
 * TensorFlow.js also hands the mask on past layers where Keras drops it (a recurrent layer
 * without return_sequences), so the engine gives it only to `receivers`.
 */
export function maskFlow(json: KerasModelJson): { receivers: Set<string>; problem?: string } {
  const receivers = new Set<string>();
  const all = json.config.layers ?? [];
  if (!all.some((l) => canonicalLayerClass(l.class_name) === 'Masking')) return { receivers };
  const nameOf = (layer: KerasLayerJson) => layer.name ?? (layer.config?.name as string | undefined) ?? '';
  const masked = new Set<string>();
  const sequential = json.class_name === 'Sequential';
  let previous: string | undefined;
  for (const layer of all) {
    const name = nameOf(layer);
    const className = canonicalLayerClass(layer.class_name);
    const inputs = sequential ? (previous === undefined ? [] : [previous]) : inboundNames(layer.inbound_nodes);
    previous = name;
    if (className === 'InputLayer') continue;
    if (className === 'Masking') {
      masked.add(name);
      continue;
    }
    if (!inputs.some((n) => masked.has(n))) continue;
    if (MASK_CONSUMING.has(className)) {
      receivers.add(name);
      if (returnsSequences(layer)) masked.add(name);
    } else if (MASK_PASSING.has(className)) {
      masked.add(name);
    } else if (className === 'BatchNormalization' || className === 'GlobalAveragePooling1D') {
      return { receivers, problem: `layer ${name} (${className}) reads the mask of a Masking layer, which Keras uses to leave masked steps out of its ${className === 'BatchNormalization' ? 'batch statistics' : 'mean'}; TensorFlow.js does not, so the model is not reproduced` };
    } else if (['Add', 'Multiply', 'Concatenate', 'Subtract', 'Average', 'Maximum', 'Minimum', 'Dot', 'Lambda'].includes(className)) {
      return { receivers, problem: `layer ${name} (${className}) takes a tensor masked by a Masking layer, and nanguard does not follow a mask through ${className === 'Lambda' ? 'a Lambda' : 'a merge'} as Keras does` };
    }
  }
  const outputs = sequential ? [previous] : endpointNames(json.config.output_layers);
  const maskedOutput = outputs.find((n) => n !== undefined && masked.has(n));
  if (maskedOutput) {
    return { receivers, problem: `the mask of the Masking layer reaches the model's output (${maskedOutput}), where Keras leaves the masked steps out of the loss; nanguard does not reproduce a masked loss (a recurrent layer without return_sequences before the output ends the mask)` };
  }
  return { receivers };
}

function endpointNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  if (typeof value[0] === 'string') return [value[0]];
  return value.filter((v): v is unknown[] => Array.isArray(v) && typeof v[0] === 'string').map((v) => v[0] as string);
}
