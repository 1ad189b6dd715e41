/**
 * What a program reads of a built layer or model to size another (`encoder.layers[-1].input.shape[1]`,
 * `model.output_shape`, `encoder.get_layer("z").output.shape[-1]`, `conv.kernel_size`): the layer's
 * input and output tensors (from its first call, or from its place in a Sequential, whose layers
 * Keras chains into a graph as they are added), and its config as Keras's attributes give it.
 */
import type { Origin, SourceLocation } from '../../ir';
import { topologicalOrder } from './graph';
import { NONE, UNKNOWN, type LayerObj, type ModelObj, type TensorObj, type Value } from './values';

/** `model.layers`: what Keras lists, sub-models as single entries (a Sequential's InputLayer is not among them, a functional model's are). */
export function modelLayers(model: ModelObj): Value[] {
  if (model.kind === 'functional' && model.outputs.length > 0) {
    const out: Value[] = [];
    const seen = new Set<unknown>();
    for (const t of topologicalOrder(model.outputs)) {
      const p = t.producer;
      if (!p || seen.has(p)) continue;
      seen.add(p);
      out.push('spec' in p ? { k: 'layer', layer: p } : { k: 'model', model: p });
    }
    return out;
  }
  const items = model.kind === 'sequential' ? model.items.filter((i) => !('spec' in i) || i.spec.className !== 'InputLayer') : model.items;
  return items.map((i) => ('spec' in i ? { k: 'layer', layer: i } : { k: 'model', model: i }));
}

/** `model.get_layer("name")`, `model.get_layer(index=2)`: the layer (or sub-model) Keras finds, or undefined. */
export function modelLayer(model: ModelObj, name: Value | undefined, index: Value | undefined): Value | undefined {
  const layers = modelLayers(model);
  if (index?.k === 'num' && Number.isInteger(index.v)) return layers[index.v];
  if (name?.k !== 'str') return undefined;
  return layers.find((l) => (l.k === 'layer' ? l.layer.spec.name === name.v : l.k === 'model' ? l.model.kerasName === name.v : false));
}

/** A Sequential's chain, rebuilt when layers are added: its input tensor, then each item's output. */
const chains = new WeakMap<ModelObj, { items: number; tensors: TensorObj[] }>();

/**
 * A Sequential's graph as Keras 3 builds it once its input shape is known: the input tensor (its
 * `Input`, or one made from the first layer's `input_shape`), then one tensor per item, each the
 * item applied to the one before. Undefined when the input shape is not given.
 */
export function sequentialTensors(model: ModelObj): TensorObj[] | undefined {
  if (model.kind !== 'sequential' || model.items.length === 0) return undefined;
  const known = chains.get(model);
  if (known && known.items === model.items.length) return known.tensors;
  const first = model.items[0];
  let input: TensorObj;
  let rest = model.items;
  if ('spec' in first && first.spec.className === 'InputLayer') {
    input = { producer: first, inputs: [] };
    rest = model.items.slice(1);
  } else {
    const shape = ('spec' in first ? first.inputShape : undefined) ?? model.builtShape;
    if (!shape) return undefined;
    // Named as Keras 2 named it (`dense_input`), so that reading an attribute takes no name from the layers Keras numbers.
    const name = `${'spec' in first ? first.spec.name : first.kerasName}_input`;
    input = { producer: { spec: { className: 'InputLayer', name, config: { name, batch_shape: [null, ...shape] } }, inputShape: shape }, inputs: [] };
  }
  const tensors = [input];
  for (const item of rest) tensors.push({ producer: item, inputs: [tensors[tensors.length - 1]] });
  chains.set(model, { items: model.items.length, tensors });
  return tensors;
}

/**
 * `layer.input`, `layer.output`: the tensors of the layer's first call (an `Input`'s own), or of its place in a
 * Sequential among `models`. Undefined when the layer has neither.
 */
export function layerTensors(layer: LayerObj, models: readonly ModelObj[]): { input: TensorObj; output: TensorObj } | undefined {
  // An `Input`'s tensor is its input and its output.
  if (layer.applied) return { input: layer.applied.inputs[0] ?? layer.applied, output: layer.applied };
  for (const model of models) {
    if (model.kind !== 'sequential' || !model.items.includes(layer)) continue;
    const tensors = sequentialTensors(model);
    const at = tensors?.findIndex((t) => t.producer === layer) ?? -1;
    if (tensors && at > 0) return { input: tensors[at].inputs[0], output: tensors[at] };
  }
  return undefined;
}

/** A sub-model's input and output tensors: a functional model's own, a Sequential's chain. */
export function modelTensors(model: ModelObj): { input?: TensorObj; output?: TensorObj } | undefined {
  if (model.inputs[0] || model.outputs[0]) return { input: model.inputs[0], output: model.outputs[0] };
  const tensors = sequentialTensors(model);
  return tensors && tensors.length > 1 ? { input: tensors[0], output: tensors[tensors.length - 1] } : undefined;
}

/** Config entries that Keras's layers keep as tuples of the layer's rank (`Conv2D(16, 3).kernel_size` is `(3, 3)`). */
const TUPLE_ATTRIBUTES = new Set(['kernel_size', 'strides', 'dilation_rate', 'pool_size', 'size']);

/** The rank of a convolution, pooling or upsampling layer, from its class name (`Conv2DTranspose` -> 2). */
function spatialRank(className: string): number | undefined {
  const rank = /([123])D(Transpose)?$/.exec(className)?.[1];
  return rank ? Number(rank) : undefined;
}

/** Keras's defaults of the attributes a program reads to size a layer after another, where the config leaves them out. */
function defaultAttribute(className: string, name: string): unknown {
  if (name === 'strides' && spatialRank(className) !== undefined) return /Pool/.test(className) ? undefined : 1;
  if (name === 'dilation_rate' && /Conv/.test(className)) return 1;
  if (name === 'padding' && spatialRank(className) !== undefined) return 'valid';
  return undefined;
}

/**
 * `layer.units`, `conv.kernel_size`, `layer.name`: a config entry as the layer's attribute gives it
 * (windows and strides as tuples of the layer's rank, as Keras 3 keeps them). Undefined for what
 * the config does not hold.
 */
export function configAttribute(layer: LayerObj, name: string, location: SourceLocation, text: string): Value | undefined {
  const { className, config } = layer.spec;
  let value = Object.prototype.hasOwnProperty.call(config, name) ? config[name] : defaultAttribute(className, name);
  // A pooling layer's strides default to its window.
  if (value === undefined && name === 'strides' && /Pool/.test(className)) value = config.pool_size ?? 2;
  if (value === undefined || name === 'activation' || name === 'function') return undefined;
  const rank = spatialRank(className);
  if (TUPLE_ATTRIBUTES.has(name) && rank !== undefined && typeof value === 'number') value = new Array<number>(rank).fill(value);
  const origin: Origin = { kind: 'inferred', note: text, location };
  return fromJson(value, origin);
}

function fromJson(value: unknown, origin: Origin): Value {
  if (typeof value === 'number') return { k: 'num', v: value, origin };
  if (typeof value === 'string') return { k: 'str', v: value, origin };
  if (typeof value === 'boolean') return { k: 'bool', v: value, origin };
  if (value === null) return NONE;
  if (Array.isArray(value)) return { k: 'seq', tuple: true, items: value.map((v) => fromJson(v, origin)) };
  return UNKNOWN;
}
