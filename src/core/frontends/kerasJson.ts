/**
 * Keras topology JSON -> IR. This is the one place where Keras's snake_case JSON meets the
 * camelCase IR: layers keep their Keras config (snake_case, as the Python front-end writes
 * them too), while compile settings become an `OptimizerSpec` / `LossSpec`.
 *
 * Accepted shapes (see `../keras/format.ts`):
 * - `model.to_json()` of Keras 2 and Keras 3 (`{class_name, config, ...}`),
 * - `{model_config, training_config}` (HDF5 attributes, hand-made wrappers),
 * - a `.keras` archive's `config.json` (Keras 3, with `compile_config`),
 * - a TensorFlow.js `model.json` (`{modelTopology: ...}`).
 * Nested models (an encoder and a decoder inside an autoencoder) are flattened into one
 * layer list with `submodel` set and the functional graph rewired through them.
 */
import type { Node } from 'jsonc-parser';
import type { CompileSpec, LayerSpec, LossSpec, ModelSpec, OptimizerSpec, Origin, SourceLocation, Valued } from '../ir';
import { isModelClassName } from '../keras/format';
import { defaultLearningRate, normalizeLossName, normalizeOptimizerName } from '../keras/names';
import type { LineIndex } from '../text';
import { elements, entries, MAX_IR_VALUE_DEPTH, numberValue, property, stringValue, toValue } from './jsonTree';

/** Where the parts of a topology sit in the document. */
export interface TopologyNodes {
  /** The `{class_name, config}` object of the model. */
  model: Node;
  /** Keras 2 `training_config`. */
  training?: Node;
  /** Keras 3 `compile_config`. */
  compile?: Node;
}

function isModelNode(node: Node | undefined, specials: Map<number, number>): node is Node {
  if (!node || node.type !== 'object') return false;
  if (!isModelClassName(stringValue(property(node, 'class_name'), specials))) return false;
  const config = property(node, 'config');
  // Keras 2.0/2.1 wrote a Sequential's config as the bare layer list.
  return config?.type === 'array' || property(config, 'layers')?.type === 'array';
}

/** Finds a Keras model topology in a JSON document, or undefined if the document is something else. */
export function findTopology(root: Node | undefined, specials: Map<number, number>): TopologyNodes | undefined {
  if (!root || root.type !== 'object') return undefined;
  let holder: Node | undefined = root;
  const tfjsTopology = property(root, 'modelTopology');
  if (tfjsTopology?.type === 'object') holder = tfjsTopology;
  if (isModelNode(holder, specials)) {
    return { model: holder, compile: objectOrUndefined(property(holder, 'compile_config')), training: objectOrUndefined(property(holder, 'training_config')) };
  }
  const modelConfig = property(holder, 'model_config');
  if (isModelNode(modelConfig, specials)) {
    return {
      model: modelConfig,
      training: objectOrUndefined(property(holder, 'training_config')) ?? objectOrUndefined(property(root, 'training_config')),
      compile: objectOrUndefined(property(modelConfig, 'compile_config')),
    };
  }
  return undefined;
}

function objectOrUndefined(node: Node | undefined): Node | undefined {
  return node?.type === 'object' ? node : undefined;
}

interface Context {
  path: string;
  index: LineIndex;
  specials: Map<number, number>;
}

function loc(ctx: Context, node: Node): SourceLocation {
  return ctx.index.locationAt(ctx.path, node.offset, node.length);
}

function literal(ctx: Context, node: Node): Origin {
  return { kind: 'literal', location: loc(ctx, node) };
}

/**
 * Keras 3 stores hyperparameters as float32 and writes them back widened (0.01 becomes
 * 0.009999999776482582). Show the number the user wrote.
 */
export function tidyFloat32(value: number): number {
  if (!Number.isFinite(value) || value === 0 || Math.fround(value) !== value) return value;
  const short = Number(value.toPrecision(7));
  return Math.fround(short) === value ? short : value;
}

interface Flattened {
  layers: LayerSpec[];
  /** Names of the model's input layers. */
  inputs: string[];
  /** Names of the layers that produce the model's outputs (after flattening nested models). */
  outputs: string[];
  inputShape?: (number | null)[];
}

function layerListNode(model: Node): Node[] {
  const config = property(model, 'config');
  if (config?.type === 'array') return elements(config);
  return elements(property(config, 'layers'));
}

function modelName(model: Node, ctx: Context): string | undefined {
  const config = property(model, 'config');
  return stringValue(property(config, 'name'), ctx.specials) ?? stringValue(property(model, 'name'), ctx.specials);
}

/** `["a", 0, 0]` or `[["a", 0, 0], ["b", 0, 0]]` -> names. */
function tensorReferenceNames(node: Node | undefined, ctx: Context): string[] {
  const items = elements(node);
  if (items.length > 0 && items[0].type === 'string') {
    const name = stringValue(items[0], ctx.specials);
    return name !== undefined ? [name] : [];
  }
  const out: string[] = [];
  for (const item of items) {
    const name = stringValue(elements(item)[0], ctx.specials);
    if (name !== undefined) out.push(name);
  }
  return out;
}

/** Layer names feeding a layer, from Keras 2 (nested lists) or Keras 3 (`keras_history`) inbound nodes. */
function inboundNames(layer: Node, ctx: Context): string[] {
  const names: string[] = [];
  const add = (n: string | undefined) => {
    if (n !== undefined && !names.includes(n)) names.push(n);
  };
  for (const inboundNode of elements(property(layer, 'inbound_nodes'))) {
    if (inboundNode.type === 'array') {
      // Keras 2: [["dense", 0, 0, {}], ...]
      for (const ref of elements(inboundNode)) add(stringValue(elements(ref)[0], ctx.specials));
    } else if (inboundNode.type === 'object') {
      // Keras 3: {"args": [...tensors or lists of tensors...], "kwargs": {...}}
      collectKerasHistory(property(inboundNode, 'args'), ctx, add, 8);
    }
  }
  return names;
}

function collectKerasHistory(node: Node | undefined, ctx: Context, add: (name: string | undefined) => void, depth: number): void {
  if (!node || depth <= 0) return;
  if (node.type === 'array') {
    for (const item of elements(node)) collectKerasHistory(item, ctx, add, depth - 1);
  } else if (node.type === 'object') {
    const history = property(property(node, 'config'), 'keras_history');
    if (history) add(stringValue(elements(history)[0], ctx.specials));
  }
}

function shapeValue(node: Node | undefined, ctx: Context): (number | null)[] | undefined {
  if (!node || node.type !== 'array') return undefined;
  const out: (number | null)[] = [];
  for (const item of elements(node)) {
    const n = numberValue(item, ctx.specials);
    if (n !== undefined && Number.isFinite(n)) out.push(n);
    else if (item.type === 'null') out.push(null);
    else return undefined;
  }
  return out;
}

function batchShapeOf(configNode: Node | undefined, ctx: Context): (number | null)[] | undefined {
  const batch = shapeValue(property(configNode, 'batch_input_shape'), ctx) ?? shapeValue(property(configNode, 'batch_shape'), ctx);
  if (batch) return batch.slice(1);
  return shapeValue(property(configNode, 'input_shape'), ctx);
}

function convertLayer(layer: Node, index: number, ctx: Context, submodel: string | undefined): LayerSpec {
  const className = stringValue(property(layer, 'class_name'), ctx.specials) ?? 'Unknown';
  const configNode = property(layer, 'config');
  const config = (configNode?.type === 'object' ? toValue(configNode, ctx.specials, 32) : {}) as Record<string, unknown>;
  const origins: Record<string, Origin> = {};
  for (const [key, value] of entries(configNode)) {
    if (value.type === 'number' || value.type === 'string' || value.type === 'boolean') origins[key] = literal(ctx, value);
  }
  const name =
    stringValue(property(configNode, 'name'), ctx.specials) ?? stringValue(property(layer, 'name'), ctx.specials) ?? `${className.toLowerCase()}_${index}`;
  const spec: LayerSpec = { className, name, config, origins, location: loc(ctx, layer) };
  if (submodel) spec.submodel = submodel;
  return spec;
}

function flattenModel(model: Node, ctx: Context, depth: number, submodel: string | undefined): Flattened {
  const className = stringValue(property(model, 'class_name'), ctx.specials);
  const functional = className !== 'Sequential';
  const out: Flattened = { layers: [], inputs: [], outputs: [] };
  // Outer references to a nested model resolve to the layers producing its outputs.
  const aliases = new Map<string, string[]>();
  const resolve = (names: string[]) => names.flatMap((n) => aliases.get(n) ?? [n]);

  for (const [i, layer] of layerListNode(model).entries()) {
    if (layer.type !== 'object') continue;
    const layerClass = stringValue(property(layer, 'class_name'), ctx.specials);
    const configNode = property(layer, 'config');
    const inbound = functional ? resolve(inboundNames(layer, ctx)) : [];
    if (isModelNode(layer, ctx.specials) && depth < 16) {
      const nestedName = modelName(layer, ctx) ?? `model_${i}`;
      const nested = flattenModel(layer, ctx, depth + 1, nestedName);
      out.inputShape ??= nested.inputShape;
      let first = true;
      for (const spec of nested.layers) {
        if (spec.className === 'InputLayer') continue;
        const feedsFromNestedInput = (spec.inbound ?? []).every((n) => nested.inputs.includes(n));
        if (first || (spec.inbound && spec.inbound.length > 0 && feedsFromNestedInput)) {
          // The nested model's first layers read what feeds the nested model in the outer graph.
          if (functional && inbound.length > 0) spec.inbound = inbound;
          else delete spec.inbound;
        }
        first = false;
        out.layers.push(spec);
      }
      aliases.set(nestedName, nested.outputs.length > 0 ? nested.outputs : nested.layers.length > 0 ? [nested.layers[nested.layers.length - 1].name] : []);
      continue;
    }
    const spec = convertLayer(layer, i, ctx, submodel);
    if (functional && inbound.length > 0) spec.inbound = inbound;
    if (layerClass === 'InputLayer') out.inputs.push(spec.name);
    if (out.inputShape === undefined && (layerClass === 'InputLayer' || out.layers.length === 0)) out.inputShape = batchShapeOf(configNode, ctx);
    out.layers.push(spec);
  }

  const config = property(model, 'config');
  if (functional) {
    const declaredInputs = tensorReferenceNames(property(config, 'input_layers'), ctx);
    if (declaredInputs.length > 0) out.inputs = declaredInputs;
    out.outputs = resolve(tensorReferenceNames(property(config, 'output_layers'), ctx));
  } else if (out.layers.length > 0) {
    out.outputs = [out.layers[out.layers.length - 1].name];
  }
  if (out.inputShape === undefined) {
    const built = shapeValue(property(property(model, 'build_config'), 'input_shape'), ctx) ?? shapeValue(property(config, 'build_input_shape'), ctx);
    if (built) out.inputShape = built.slice(1);
  }
  return out;
}

function valued(ctx: Context, node: Node | undefined): Valued<number> | undefined {
  const n = numberValue(node, ctx.specials);
  if (n === undefined || !node) return undefined;
  return { value: tidyFloat32(n), origin: literal(ctx, node) };
}

function convertOptimizer(node: Node, ctx: Context): OptimizerSpec | undefined {
  let className: string;
  let configNode: Node | undefined;
  if (node.type === 'string') {
    className = normalizeOptimizerName(stringValue(node, ctx.specials) ?? '');
  } else if (node.type === 'object') {
    const name = stringValue(property(node, 'class_name'), ctx.specials);
    if (name === undefined) return undefined;
    className = normalizeOptimizerName(name);
    configNode = property(node, 'config');
  } else {
    return undefined;
  }
  const rateNode = property(configNode, 'learning_rate') ?? property(configNode, 'lr');
  let learningRate = valued(ctx, rateNode);
  if (!learningRate && rateNode?.type === 'object') {
    // A schedule: {class_name: "ExponentialDecay", config: {initial_learning_rate: ...}}
    learningRate = valued(ctx, property(property(rateNode, 'config'), 'initial_learning_rate'));
  }
  if (!learningRate) {
    const fallback = defaultLearningRate(className);
    // An unknown optimizer with no rate written is not something the rules can reason about.
    if (fallback === undefined) return undefined;
    learningRate = { value: fallback, origin: { kind: 'default', note: `${className}'s default learning rate` } };
  }
  const spec: OptimizerSpec = { className, learningRate, location: loc(ctx, node) };
  const epsilon = valued(ctx, property(configNode, 'epsilon'));
  if (epsilon) spec.epsilon = epsilon;
  const clipnorm = valued(ctx, property(configNode, 'clipnorm')) ?? valued(ctx, property(configNode, 'global_clipnorm'));
  if (clipnorm) spec.clipnorm = clipnorm;
  const clipvalue = valued(ctx, property(configNode, 'clipvalue'));
  if (clipvalue) spec.clipvalue = clipvalue;
  const momentum = valued(ctx, property(configNode, 'momentum'));
  if (momentum) spec.momentum = momentum;
  return spec;
}

function convertLoss(node: Node | undefined, ctx: Context): LossSpec {
  if (!node) return { name: 'unknown' };
  if (node.type === 'string') return { name: normalizeLossName(stringValue(node, ctx.specials) ?? ''), location: loc(ctx, node) };
  if (node.type === 'object') {
    const className = stringValue(property(node, 'class_name'), ctx.specials);
    if (className !== undefined) {
      const name = normalizeLossName(className);
      const known = /crossentropy|squared|absolute|huber|logcosh|log_cosh|hinge|kl_divergence|kld|poisson|cosine/.test(name);
      return known ? { name, location: loc(ctx, node) } : { name: 'custom', functionName: className, location: loc(ctx, node) };
    }
    // One loss per output: {"output_name": "mse"}; the first speaks for the model.
    const first = entries(node)[0];
    return first ? convertLoss(first[1], ctx) : { name: 'unknown' };
  }
  if (node.type === 'array') return convertLoss(elements(node)[0], ctx);
  return { name: 'unknown' };
}

function convertCompile(topology: TopologyNodes, ctx: Context): CompileSpec | undefined {
  const source = topology.compile && entries(topology.compile).length > 0 ? topology.compile : topology.training;
  if (!source) return undefined;
  const optimizerNode = property(source, 'optimizer') ?? property(source, 'optimizer_config');
  if (!optimizerNode) return undefined;
  const optimizer = convertOptimizer(optimizerNode, ctx);
  if (!optimizer) return undefined;
  return { optimizer, loss: convertLoss(property(source, 'loss'), ctx), location: loc(ctx, source) };
}

/** `mixed_float16` set on any layer (Keras 2 `Policy`, Keras 3 `DTypePolicy`, or a plain string). */
function findMixedPrecision(model: Node, ctx: Context, depth = 0): Valued<string> | undefined {
  if (depth > 16) return undefined;
  for (const layer of layerListNode(model)) {
    if (isModelNode(layer, ctx.specials)) {
      const nested = findMixedPrecision(layer, ctx, depth + 1);
      if (nested) return nested;
      continue;
    }
    const dtype = property(property(layer, 'config'), 'dtype');
    const nameNode = dtype?.type === 'object' ? property(property(dtype, 'config'), 'name') : dtype;
    const name = stringValue(nameNode, ctx.specials);
    if (nameNode && name && name.startsWith('mixed_')) return { value: name, origin: literal(ctx, nameNode) };
  }
  return undefined;
}

/** Builds the IR of a Keras topology found by {@link findTopology}. */
export function topologyToModel(topology: TopologyNodes, path: string, index: LineIndex, specials: Map<number, number>): ModelSpec {
  const ctx: Context = { path, index, specials };
  const flat = flattenModel(topology.model, ctx, 0, undefined);
  const model: ModelSpec = {
    name: modelName(topology.model, ctx) ?? 'model',
    path,
    kind: 'json',
    layers: flat.layers,
    data: {},
    numerics: [],
    kerasJson: toValue(topology.model, specials, MAX_IR_VALUE_DEPTH),
    location: loc(ctx, topology.model),
  };
  if (flat.inputShape) model.inputShape = flat.inputShape;
  const compile = convertCompile(topology, ctx);
  if (compile) model.compile = compile;
  const policy = findMixedPrecision(topology.model, ctx);
  if (policy) model.dtypePolicy = policy;
  return model;
}
