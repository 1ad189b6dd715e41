/**
 * What a library module (numpy.ts, pandas.ts, keras.ts, ...) sees of the interpreter: a call's
 * qualified name and evaluated arguments, and a small context to locate nodes, read their text
 * and record what the call finds. Each module exports a `Library`: calls by full name, and
 * patterns for names matched another way (a prefix, the last segment).
 */
import type { SourceLocation, Valued } from '../../../ir';
import type { Translation } from '../expressions';
import type { PyNode } from '../syntax';
import type { ArrayObj, LayerObj, ModelObj, TensorObj, Value } from '../values';

/** Loops are followed for this many iterations at most; `range()` gives no more numbers than that (and says it was cut). */
export const MAX_LOOP_ITERATIONS = 64;
/** A loop over a model's layers is followed through this many (the largest keras.applications backbones have under a thousand). */
export const MAX_LAYER_LOOP_ITERATIONS = 1024;

/** A file read through the host, by the path as written in the code. */
export interface FileRead {
  path: string;
  text: string;
}

/** A call's arguments, evaluated, with the nodes they were written as. */
export interface Args {
  positional: Value[];
  positionalNodes: PyNode[];
  keywords: ReadonlyMap<string, Value>;
  keywordNodes: ReadonlyMap<string, PyNode>;
}

/** A call of a module function or class, by its canonical path (`numpy.zeros`, `keras.layers.Dense`). */
export interface LibraryCall {
  path: string;
  /** The path's last segment (`zeros`, `Dense`). */
  last: string;
  args: Args;
  node: PyNode;
}

/** The interpreter's services a library call may use. */
export interface CallContext {
  loc(node: PyNode): SourceLocation;
  src(node: PyNode): string;
  /** A Python value used as an array (a list of numbers, a list of arrays), or undefined. */
  toArray(v: Value | undefined, node: PyNode): ArrayObj | undefined;
  /** The shape of a workspace data file, when the host has read it. */
  dataShape(path: string): readonly (number | null)[] | undefined;
  /** The header names of a workspace CSV file, when the host has read its shape. */
  dataColumns(path: string): readonly string[] | undefined;
  /** Asks for a workspace data file's shape (the code counts its rows): the file is read and the code run again. */
  wantDataShape(path: string): void;
  /** A JSON or YAML config file as a document whose values keep their place in the file; unknown when not read. */
  loadConfig(path: string): Value;
  /** Calls a function or lambda of the program with these arguments (a `Dataset.map` function). */
  callFunction(fn: Value, positional: Value[]): Value;
  /** What iterating a value gives (a list's items, a dict's keys, a loaded config's items or keys); undefined when not known. */
  itemsOf(v: Value, node: PyNode): Value[] | undefined;
  /** A dict's or loaded config object's entries; undefined when not all are known. */
  entriesOf(v: Value, node: PyNode): Map<string, Value> | undefined;
  /** A shape as Python sees it: a tuple of numbers, None where not known. */
  shapeValue(shape: (number | null)[], node: PyNode): Value;
  /**
   * A layer size the code gives by a name nanguard could not follow (`LSTM(layer_size_1)` after
   * `from utils.config import *` of a module not in the workspace, `Input(shape=(seq_length,))` in
   * a builder nothing calls): in an analysis that assumes unseen sizes, the assumed size as a
   * number, recorded where it was written; otherwise undefined.
   */
  assumedSize(node: PyNode): Value | undefined;
  /** absl flags defined so far (`flags.DEFINE_integer('epochs', 10, ...)`), by name: their defaults. */
  readonly commandLineFlags: Map<string, Value>;
  /** Records that the channel axis an image layer needs past the assumed shape written at `node` was assumed to be 1. */
  assumedChannels(node: PyNode): void;

  // For Keras: the script's own syntax and files, and what its models are made of.
  nodeType(node: PyNode): string;
  nodeChildren(node: PyNode): PyNode[];
  /** The path of the script analysed. */
  readonly scriptPath: string;
  /** A file the code reads, as the host gave it: null when it is not a readable workspace file, undefined (and asked for) when the host has not read it. */
  readFile(path: string): FileRead | null | undefined;
  /** Keras's automatic name for the next layer or model of this kind (`dense`, `dense_1`, ...). */
  nextName(prefix: string): string;
  /** Whether the code runs inside a layer's or model's `call` (or a training step), where TensorFlow functions get tensors, not Keras tensors. */
  inLayerCall(): boolean;
  /** A new model, recorded among the script's models. */
  newModel(kind: ModelObj['kind'], node: PyNode, args: Args): ModelObj;
  /**
   * A custom layer whose layers are made in `build(input_shape)`, built for inputs of these shapes
   * (batch first; undefined where not known): the model of its layers, or undefined when it made none.
   */
  builtLayer(layer: LayerObj, shapes: ((number | null)[] | undefined)[]): ModelObj | undefined;
  setDtypePolicy(policy: Valued<string>): void;
  /** A function wrapped in a `Lambda` layer, by name. */
  noteLayerFunction(name: string): void;
  /** A function passed as `loss=`, by name. */
  noteLossFunction(name: string): void;
  /**
   * A function or lambda value as a tensor expression of `arity` arguments (see expressions.ts).
   * With `closure`: graph tensors the function reads without being given them, collected there as
   * arguments after its own, and their names in the program in `closureNames` (see the evaluator).
   */
  translateValue(v: Value, arity: number, where: PyNode | undefined, closure?: TensorObj[], closureNames?: string[]): Translation | undefined;
}

/** Handles a call; undefined when the call is not this handler's after all (the next rule is tried). */
export type CallHandler = (call: LibraryCall, ctx: CallContext) => Value | undefined;

/** Calls recognised by more than their full name. */
export interface CallPattern {
  matches(path: string, last: string): boolean;
  call: CallHandler;
}

export interface Library {
  /** Calls by canonical path. */
  calls?: Readonly<Record<string, CallHandler>>;
  /** Tried in order, after the calls by path, in the order of the libraries. */
  patterns?: readonly CallPattern[];
}

/** Source text on one line, shortened, for messages. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
