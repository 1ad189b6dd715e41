/** pandas: `pd.read_csv(...)` and its siblings read a data file; `pd.DataFrame(x)` makes an array a frame, with its column names. */
import { UNKNOWN, type Value } from '../values';
import { dataFileArray } from './files';
import type { CallContext, Library, LibraryCall } from './library';

/** A list of strings, as a list of column names. */
function strings(value: Value | undefined): string[] | undefined {
  return value?.k === 'seq' && value.items.every((c) => c.k === 'str') ? value.items.map((c) => (c as { v: string }).v) : undefined;
}

function pandasCall({ last, args, node }: LibraryCall, ctx: CallContext): Value {
  const arg0 = args.positional[0];
  if (/^read_(csv|excel|parquet|json|table|feather|pickle)$/.test(last)) {
    const read = dataFileArray(ctx, `pd.${last}`, arg0, ctx.loc(node));
    // `names=[...]`: the code names the columns (a header-less file has no names of its own).
    const names = strings(args.keywords.get('names'));
    if (read.k === 'array' && names && (!read.array.shape || read.array.shape.length !== 2 || read.array.shape[1] === names.length)) read.array.columnNames = names;
    return read;
  }
  if (last === 'DataFrame' && arg0?.k === 'array') {
    const names = strings(args.keywords.get('columns'));
    return { k: 'array', array: { ...arg0.array, frame: true, ...(names ? { columnNames: names } : {}) } };
  }
  return UNKNOWN;
}

export const pandas: Library = {
  // A bare `read_csv(...)` too.
  patterns: [{ matches: (path) => path.startsWith('pandas.') || path === 'read_csv', call: pandasCall }],
};
