/**
 * Operations on the symbolic tensors of a functional graph (`inputs / 255.0`, `tf.nn.relu(x)`,
 * `keras.ops.concatenate([z, label], axis=-1)`, `tf.reshape(x, (-1, 7, 7, 32))`), which Keras
 * builds as nodes of the graph, as layers the reproduction builds: a Lambda of the translated
 * term, a Concatenate or merge layer, a Reshape. A layer fed by one then has its input.
 */
import type { LayerSpec, SourceLocation } from '../../ir';
import type { TensorExpr } from '../../tensorExpr';
import { lastSegment } from './keras';
import { tensorShape } from './shapes';
import type { LayerObj, TensorObj, Value } from './values';

type Term = Extract<Value, { k: 'texpr' }>;
type NextName = (prefix: string) => string;

/** Keras 3's names of the operation nodes, by the outermost operation of the term (`x / 255.0` is `true_divide`). */
const OPERATION_NAMES: Partial<Record<TensorExpr['op'], string>> = {
  add: 'add', sub: 'subtract', mul: 'multiply', div: 'true_divide', pow: 'power', neg: 'negative', maximum: 'maximum', minimum: 'minimum',
  squared_difference: 'squared_difference', random_normal: 'normal',
};

/** One layer per term, however often the term is used (`h = x / 255.0` fed to two layers is one node). */
const termLayers = new WeakMap<Term, TensorObj>();

function operation(text: string | undefined, tensorflowCall: string | undefined): NonNullable<LayerSpec['operation']> {
  return { text: text ?? '', ...(tensorflowCall ? { tensorflowCall } : {}) };
}

/** The tensor of the Lambda layer standing for a term of graph tensors. */
export function termTensor(term: Term, nextName: NextName): TensorObj {
  const known = termLayers.get(term);
  if (known) return known;
  const name = nextName(OPERATION_NAMES[term.expr.op] ?? term.expr.op);
  const spec: LayerSpec = { className: 'Lambda', name, config: { name, function: term.text ?? '' }, expression: term.expr, operation: operation(term.text, term.tensorflowCall) };
  if (term.location) spec.location = term.location;
  const tensor: TensorObj = { producer: { spec }, inputs: term.tensors };
  termLayers.set(term, tensor);
  return tensor;
}

/** A value given where Keras wants graph tensors (a layer's input, a model's outputs): each term of tensors as its layer's tensor. */
export function asGraphValue(v: Value, nextName: NextName): Value {
  if (v.k === 'texpr') return { k: 'tensor', tensor: termTensor(v, nextName) };
  if (v.k === 'seq' && v.items.some((i) => i.k === 'texpr')) return { ...v, items: v.items.map((i) => asGraphValue(i, nextName)) };
  if (v.k === 'dict' && [...v.entries.values()].some((i) => i.k === 'texpr')) {
    return { k: 'dict', entries: new Map([...v.entries].map(([key, i]) => [key, asGraphValue(i, nextName)])) };
  }
  return v;
}

/** The graph tensors of a value (a list of them, or one): undefined when any item is not one. */
function graphTensors(v: Value | undefined, nextName: NextName): TensorObj[] | undefined {
  if (!v) return undefined;
  const graph = asGraphValue(v, nextName);
  const items = graph.k === 'seq' ? graph.items : [graph];
  if (items.length === 0 || !items.every((i) => i.k === 'tensor')) return undefined;
  return items.map((i) => (i as Extract<Value, { k: 'tensor' }>).tensor);
}

export interface OperationCall {
  /** Canonical path of the function (`tensorflow.concat`, `keras.ops.reshape`, `keras.layers.concatenate`). */
  path: string;
  positional: Value[];
  keywords: ReadonlyMap<string, Value>;
  text: string;
  location: SourceLocation;
  /** Inside a layer's or model's `call`: a TensorFlow function there gets tensors, which Keras 3 accepts. */
  inLayerCall?: boolean;
}

/** Merge functions of `keras.layers` and the layer each builds. */
const MERGE_FUNCTIONS: Record<string, string> = {
  concatenate: 'Concatenate', add: 'Add', subtract: 'Subtract', multiply: 'Multiply', average: 'Average', maximum: 'Maximum', minimum: 'Minimum',
};

function layerTensor(className: string, config: Record<string, unknown>, inputs: TensorObj[], call: OperationCall, nextName: NextName, tensorflowCall: boolean): Value {
  const name = nextName(className === 'Concatenate' ? 'concatenate' : className === 'Reshape' ? 'reshape' : className.toLowerCase());
  const spec: LayerSpec = { className, name, config: { name, ...config }, location: call.location };
  if (!call.path.startsWith('keras.layers.')) spec.operation = operation(call.text, tensorflowCall ? call.path.replace(/^tensorflow\./, 'tf.') : undefined);
  const layer: LayerObj = { spec };
  return { k: 'tensor', tensor: { producer: layer, inputs } };
}

function unknownBecause(call: OperationCall, why: string): Value {
  return { k: 'unknown', why: `line ${call.location.range.start.line + 1}: \`${call.text}\` ${why}` };
}

/**
 * `keras.layers.concatenate([a, b])`, `tf.concat([a, b], axis=-1)`, `keras.ops.reshape(x, (-1, 4, 4))`,
 * `tf.expand_dims(x, -1)` on graph tensors: the tensor of the layer Keras builds for it; undefined
 * when the call is not one of these or reads no graph tensor (numbers, arrays: not this module's).
 */
export function operationLayer(call: OperationCall, nextName: NextName): Value | undefined {
  const last = lastSegment(call.path);
  const onGraph = (v: Value | undefined): boolean => v !== undefined && (v.k === 'tensor' || v.k === 'texpr' || (v.k === 'seq' && v.items.some(onGraph)));
  const first = call.positional[0] ?? call.keywords.get('inputs') ?? call.keywords.get('values') ?? call.keywords.get('xs') ?? call.keywords.get('x') ?? call.keywords.get('tensor');
  if (!onGraph(first)) return undefined;
  const tensorflowCall = call.path.startsWith('tensorflow.') && !call.inLayerCall;
  const axisValue = call.keywords.get('axis') ?? call.positional[1];
  if (call.path.startsWith('keras.layers.') && MERGE_FUNCTIONS[last]) {
    const inputs = graphTensors(first, nextName);
    if (!inputs) return undefined;
    const config: Record<string, unknown> = {};
    if (last === 'concatenate') config.axis = axisValue?.k === 'num' ? axisValue.v : -1;
    return layerTensor(MERGE_FUNCTIONS[last], config, inputs, call, nextName, false);
  }
  const ops = /^(tensorflow|keras\.ops|keras\.backend)\./.test(call.path);
  if (!ops) return undefined;
  if (last === 'concat' || last === 'concatenate') {
    const inputs = graphTensors(first, nextName);
    if (!inputs) return unknownBecause(call, 'concatenates a value that is not a tensor of the graph nanguard could follow');
    // keras.ops.concatenate joins along axis 0 unless told; K.concatenate along the last.
    const axis = axisValue?.k === 'num' ? axisValue.v : axisValue === undefined ? (call.path.startsWith('keras.backend.') ? -1 : 0) : undefined;
    if (axis === undefined) return unknownBecause(call, 'concatenates along an axis nanguard could not work out');
    if (axis === 0) return unknownBecause(call, 'concatenates along the batch axis (axis 0), which is not a layer of the graph');
    return layerTensor('Concatenate', { axis }, inputs, call, nextName, tensorflowCall);
  }
  if (last === 'reshape') {
    const inputs = graphTensors(first, nextName);
    const shapeValue = call.keywords.get('shape') ?? call.keywords.get('newshape') ?? call.positional[1];
    if (!inputs || inputs.length !== 1) return undefined;
    const dims = shapeValue?.k === 'seq' ? shapeValue.items.map((d) => (d.k === 'num' ? d.v : d.k === 'none' ? null : undefined)) : undefined;
    // Every value in one axis, the batch's too (`tf.reshape(x, [-1])`): no layer, but a term a loss can read (expressions.ts).
    if (dims?.length === 1 && dims[0] === -1) return undefined;
    // A first size nanguard cannot know (`x.shape[0]`, `tf.shape(x)[0]` in a step): the batch's.
    if (dims && dims.length >= 2 && dims[0] === undefined && dims.slice(1).every((d) => d !== undefined)) dims[0] = -1;
    if (!dims || dims.some((d) => d === undefined) || dims.length < 2) return unknownBecause(call, 'reshapes to a shape nanguard could not work out');
    // The batch keeps its size: -1 or None first, the rest a Keras Reshape's target shape.
    if (dims[0] !== -1 && dims[0] !== null) return unknownBecause(call, 'reshapes across the batch axis, which is not a layer of the graph');
    const target = dims.slice(1) as (number | null)[];
    if (target.some((d) => d === null || (d !== -1 && !(Number.isInteger(d) && d > 0)))) return unknownBecause(call, 'reshapes to a shape nanguard could not work out');
    return layerTensor('Reshape', { target_shape: target }, inputs, call, nextName, tensorflowCall);
  }
  if (last === 'expand_dims') {
    const inputs = graphTensors(first, nextName);
    if (!inputs || inputs.length !== 1) return undefined;
    const shape = tensorShape(inputs[0]);
    const axis = axisValue?.k === 'num' ? axisValue.v : undefined;
    if (!shape || shape.slice(1).some((d) => d === null) || axis === undefined || !Number.isInteger(axis)) return unknownBecause(call, 'adds an axis to a tensor whose shape or axis nanguard could not work out');
    const at = axis < 0 ? shape.length + 1 + axis : axis;
    if (at <= 0 || at > shape.length) return unknownBecause(call, 'adds an axis before the batch axis, which is not a layer of the graph');
    const target = [...shape.slice(1, at), 1, ...shape.slice(at)] as number[];
    return layerTensor('Reshape', { target_shape: target }, inputs, call, nextName, tensorflowCall);
  }
  return undefined;
}
