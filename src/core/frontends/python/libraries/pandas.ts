/** pandas: `pd.read_csv(...)` and its siblings read a data file; `pd.DataFrame(x)` makes an array a frame, with its column names. */
import { UNKNOWN, type Value } from '../values';
import { dataFileArray } from './files';
import type { CallContext, Library, LibraryCall } from './library';

function pandasCall({ last, args, node }: LibraryCall, ctx: CallContext): Value {
  const arg0 = args.positional[0];
  if (/^read_(csv|excel|parquet|json|table|feather|pickle)$/.test(last)) return dataFileArray(ctx, `pd.${last}`, arg0, ctx.loc(node));
  if (last === 'DataFrame' && arg0?.k === 'array') {
    const columns = args.keywords.get('columns');
    const names = columns?.k === 'seq' && columns.items.every((c) => c.k === 'str') ? columns.items.map((c) => (c as { v: string }).v) : undefined;
    return { k: 'array', array: { ...arg0.array, frame: true, ...(names ? { columnNames: names } : {}) } };
  }
  return UNKNOWN;
}

export const pandas: Library = {
  // A bare `read_csv(...)` too.
  patterns: [{ matches: (path) => path.startsWith('pandas.') || path === 'read_csv', call: pandasCall }],
};
