/**
 * The calls the interpreter knows, merged from one module per library. A call is looked up by
 * its canonical path first, then matched against each library's patterns in this order; so a
 * path in a `calls` table must not be one that a pattern should see first.
 */
import type { Value } from '../values';
import type { CallContext, CallHandler, Library, LibraryCall } from './library';
import { builtins } from './builtins';
import { images } from './images';
import { keras } from './keras';
import { numpy } from './numpy';
import { pandas } from './pandas';
import { sklearn } from './sklearn';
import { stdlib } from './stdlib';
import { tfdata } from './tfdata';

export type { Args, CallContext, LibraryCall } from './library';

const LIBRARIES: readonly Library[] = [numpy, pandas, sklearn, stdlib, builtins, tfdata, images, keras];

const CALLS = new Map<string, CallHandler>();
for (const library of LIBRARIES) {
  for (const [path, handler] of Object.entries(library.calls ?? {})) {
    // Two libraries claiming one name would make the order of LIBRARIES matter silently.
    if (CALLS.has(path)) throw new Error(`two libraries handle ${path}`);
    CALLS.set(path, handler);
  }
}
const PATTERNS = LIBRARIES.flatMap((library) => library.patterns ?? []);

/** The value of a module function or class call; undefined when no library knows it. */
export function callLibrary(call: LibraryCall, ctx: CallContext): Value | undefined {
  const byPath = CALLS.get(call.path);
  if (byPath) {
    const value = byPath(call, ctx);
    if (value !== undefined) return value;
  }
  for (const pattern of PATTERNS) {
    if (!pattern.matches(call.path, call.last)) continue;
    const value = pattern.call(call, ctx);
    if (value !== undefined) return value;
  }
  return undefined;
}
