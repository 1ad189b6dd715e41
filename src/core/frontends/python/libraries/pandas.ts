/** pandas: `pd.read_csv(...)` and its siblings read a data file; `pd.DataFrame(x)` makes an array a frame, with its column names. */
import { UNKNOWN, type Value } from '../values';
import { selectColumns } from '../arrayOps';
import { dataFileArray } from './files';
import type { CallContext, Library, LibraryCall } from './library';

/** The names in a list of strings (`names=[...]`, `usecols=[...]`), or undefined. */
function stringList(v: Value | undefined): string[] | undefined {
  return v?.k === 'seq' && v.items.every((c) => c.k === 'str') ? v.items.map((c) => (c as { v: string }).v) : undefined;
}

/**
 * The columns of the frame `read_csv` gives, from its arguments alone (a URL, a file not in the
 * workspace): `usecols=[...]` or `names=[...]`, less the column `index_col` takes; null when the
 * arguments do not say.
 */
function columnsFromArguments(args: LibraryCall['args']): number | null {
  const names = stringList(args.keywords.get('names'));
  const usecols = args.keywords.get('usecols');
  const used = usecols?.k === 'seq' && usecols.items.every((c) => c.k === 'str' || c.k === 'num') ? usecols.items : undefined;
  const listed = used ? new Set(used.map((c) => (c.k === 'str' ? c.v : c.k === 'num' ? names?.[c.v] ?? `#${c.v}` : ''))) : names ? new Set(names) : undefined;
  if (!listed || listed.size !== (used ?? names ?? []).length) return null;
  const index = args.keywords.get('index_col');
  if (index === undefined || index.k === 'none' || (index.k === 'bool' && !index.v)) return listed.size;
  // The index column is one of the listed ones, named or by its place in `names`.
  const indexName = index.k === 'str' ? index.v : index.k === 'num' && names && !used ? names[index.v] : undefined;
  return indexName !== undefined && listed.has(indexName) ? listed.size - 1 : null;
}

/**
 * The columns of a file with a known header that the frame keeps, in the file's order: those of
 * `usecols` (by name or place), less the one `index_col` makes the index (`usecols=['Date',
 * 'Close'], index_col='Date'` keeps Close); undefined when it keeps them all or cannot be told.
 */
function keptColumns(header: readonly string[], args: LibraryCall['args']): string[] | undefined {
  const usecols = args.keywords.get('usecols');
  let kept = [...header];
  if (usecols !== undefined && usecols.k !== 'none') {
    if (usecols.k !== 'seq') return undefined;
    const wanted = new Set<string>();
    for (const c of usecols.items) {
      const name = c.k === 'str' ? c.v : c.k === 'num' && Number.isInteger(c.v) ? header[c.v] : undefined;
      if (name === undefined || !header.includes(name)) return undefined;
      wanted.add(name);
    }
    kept = header.filter((h) => wanted.has(h));
  }
  const index = args.keywords.get('index_col');
  if (index !== undefined && index.k !== 'none' && !(index.k === 'bool' && !index.v)) {
    // A place counts among the kept columns (pandas numbers them after usecols).
    const name = index.k === 'str' ? index.v : index.k === 'num' && Number.isInteger(index.v) ? kept[index.v] : undefined;
    if (name === undefined || !kept.includes(name)) return undefined;
    kept = kept.filter((h) => h !== name);
  }
  return kept.length === header.length ? undefined : kept;
}

function pandasCall({ last, args, node }: LibraryCall, ctx: CallContext): Value {
  const arg0 = args.positional[0];
  if (/^read_(csv|excel|parquet|json|table|feather|pickle)$/.test(last)) {
    const read = dataFileArray(ctx, `pd.${last}`, arg0, ctx.loc(node));
    // A table read from a file nanguard has not read (a URL, a file not in the workspace) is still a frame of rows and columns.
    if (read.k === 'array' && !read.array.shape && /^read_(csv|table|excel)$/.test(last)) read.array.shape = [null, columnsFromArguments(args)];
    const selects = args.keywords.has('usecols') || args.keywords.has('index_col');
    // `names=[...]`: the code names the columns (a header-less file has no names of its own); usecols or index_col would take some away.
    const names = selects ? undefined : stringList(args.keywords.get('names'));
    if (read.k === 'array' && names && (!read.array.shape || read.array.shape.length !== 2 || read.array.shape[1] === null || read.array.shape[1] === names.length)) read.array.columnNames = names;
    // usecols and index_col name columns of the file's header: read it (the code then runs again with it).
    const filePath = read.k === 'array' ? read.array.filePath : undefined;
    const header = read.k === 'array' ? (read.array.columnNames ?? (filePath ? ctx.dataColumns(filePath) : undefined)) : undefined;
    if (selects && filePath && !header) ctx.wantDataShape(filePath);
    const kept = selects && read.k === 'array' && header && (!read.array.shape || read.array.shape[1] === header.length) ? keptColumns(header, args) : undefined;
    if (read.k === 'array' && kept && header) return { k: 'array', array: { ...selectColumns({ ...read.array, columnNames: [...header] }, kept, false, `pd.${last}(...)`, ctx.loc(node)), frame: true } };
    return read;
  }
  if (last === 'DataFrame' && arg0?.k === 'array') {
    const names = stringList(args.keywords.get('columns'));
    const shape = arg0.array.shape;
    // Values of an unknown shape given their column names: a frame of as many columns (pandas raises otherwise).
    const framed = names && !arg0.array.rows && (!shape || (shape.length === 2 && shape[1] === null)) ? { shape: [shape?.[0] ?? null, names.length] } : {};
    return { k: 'array', array: { ...arg0.array, frame: true, ...(names ? { columnNames: names } : {}), ...framed } };
  }
  return UNKNOWN;
}

export const pandas: Library = {
  // A bare `read_csv(...)` too.
  patterns: [{ matches: (path) => path.startsWith('pandas.') || path === 'read_csv', call: pandasCall }],
};
