/**
 * What a library module (numpy.ts, pandas.ts, keras.ts, ...) sees of the interpreter: a call's
 * qualified name and evaluated arguments, and a small context to locate nodes, read their text
 * and record what the call finds. Each module exports a `Library`: calls by full name, and
 * patterns for names matched another way (a prefix, the last segment).
 */
import type { SourceLocation } from '../../../ir';
import type { PyNode } from '../syntax';
import type { ArrayObj, Value } from '../values';

/** Loops are followed for this many iterations at most; `range()` gives no more numbers than that (and says it was cut). */
export const MAX_LOOP_ITERATIONS = 64;

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
  /** A JSON or YAML config file as a document whose values keep their place in the file; unknown when not read. */
  loadConfig(path: string): Value;
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
