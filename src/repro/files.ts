/**
 * Reading data files named in the user's code, strictly inside the workspace, every value:
 * `.npy` (NumPy's format, little-endian numeric dtypes), an array of an `.npz` archive (np.savez), `.csv`/`.txt` (numbers, header row
 * and non-numeric columns skipped, empty cells and NaN spellings NaN as pandas reads them) and
 * `.json` (rows, records or columns). The `.npy` parser, the CSV tokenizer and the JSON table are the analysis's (`core/data`),
 * so the statistics and the reproduction never read the same file differently.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { cellNumber, CsvTokenizer } from '../core/data/csv';
import { jsonCellNumber, jsonTable, NO_CELL } from '../core/data/json';
import { npyRows } from '../core/data/npy';
import { npzMemberBytes } from '../core/data/npz';
import { folderContains } from '../core/paths';

/**
 * `columns`: for a delimited file whose text columns were dropped, the positions (in the file's
 * full row of `width` cells) of the numeric columns kept, in order.
 */
export type LoadResult = { values: number[][]; path: string; columns?: { kept: number[]; width: number } } | { problem: string };

/** The file's absolute path when it lies inside `workspaceRoot`, else undefined. Symlinks are resolved first. */
export function insideWorkspace(workspaceRoot: string, fromFile: string, written: string): string | undefined {
  const root = realpathSync(workspaceRoot);
  const base = isAbsolute(fromFile) ? dirname(fromFile) : resolve(root, dirname(fromFile));
  const target = isAbsolute(written) ? written : resolve(base, written);
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return undefined;
  }
  return real !== root && folderContains(root, real) ? real : undefined;
}

/**
 * Every numeric column of a CSV, read with the tokenizer and NaN vocabulary the analysis uses
 * (so both see the same values): a first row with text in it is the header, columns with text
 * (ids, dates, labels) are dropped as `select_dtypes('number')` would, and empty cells and NaN
 * spellings (`NaN`, `NA`, `#N/A`, `null`, ...) are NaN, as pandas reads them.
 */
function parseDelimited(text: string, columns?: string[]): { values: number[][]; kept: number[]; width: number } | string {
  const rows: string[][] = [];
  const tokenizer = new CsvTokenizer((cells) => rows.push(cells));
  tokenizer.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  tokenizer.end();
  if (rows.length === 0) return 'the file is empty';
  let header: string[] | undefined;
  let body = rows;
  if (rows[0].some((c) => cellNumber(c) === undefined)) {
    header = rows[0].map((c) => c.trim());
    body = rows.slice(1);
  }
  let width = 0;
  for (const r of body) width = Math.max(width, r.length);
  let keep = Array.from({ length: width }, (_, j) => j);
  if (columns && header) keep = columns.map((c) => header!.indexOf(c)).filter((j) => j >= 0);
  keep = keep.filter((j) => body.every((r) => r[j] === undefined || cellNumber(r[j]) !== undefined));
  if (keep.length === 0) return 'no numeric columns';
  return { values: body.map((r) => keep.map((j) => (r[j] === undefined ? NaN : (cellNumber(r[j]) ?? NaN)))), kept: keep, width };
}

/** Every value of a JSON data file, read as the statistics read it (core/data/json.ts); text cells refuse the file. */
function parseJsonArray(text: string): number[][] | string {
  const table = jsonTable(text);
  if (typeof table === 'string') return table;
  if (table.rows.length === 0) return 'the JSON file holds no data';
  const rows: number[][] = [];
  for (const row of table.rows) {
    const values: number[] = [];
    for (const v of row) {
      const n = v === NO_CELL ? NaN : jsonCellNumber(v);
      if (n === undefined) return 'the JSON data is not numeric';
      values.push(n);
    }
    rows.push(values);
  }
  return rows;
}

/** Loads a data file named in `fromFile` (a workspace-relative or absolute path) if it is inside the workspace. */
export function loadWorkspaceData(workspaceRoot: string, fromFile: string, written: string, columns?: string[]): LoadResult {
  const path = insideWorkspace(workspaceRoot, fromFile, written);
  if (!path) return { problem: `${written} is not a file inside the workspace, so it was not read` };
  if (statSync(path).size > 256 * 1024 * 1024) return { problem: `${written} is larger than 256 MB` };
  const lower = path.toLowerCase();
  let parsed: number[][] | string;
  let kept: { kept: number[]; width: number } | undefined;
  if (lower.endsWith('.npy')) parsed = npyRows(readFileSync(path));
  else if (lower.endsWith('.npz')) {
    // An archive's array, named as the code reads it (`data['x_train']`): its .npy bytes, stored (np.savez).
    const member = columns?.length === 1 ? columns[0] : undefined;
    const bytes = member === undefined ? 'an .npz archive is read by the name of one of its arrays' : npzMemberBytes(readFileSync(path), written, member);
    parsed = typeof bytes === 'string' ? bytes : npyRows(bytes);
  }
  else if (lower.endsWith('.json')) parsed = parseJsonArray(readFileSync(path, 'utf8'));
  else if (/\.(csv|txt|tsv|dat)$/.test(lower)) {
    const delimited = parseDelimited(readFileSync(path, 'utf8'), columns);
    parsed = typeof delimited === 'string' ? delimited : delimited.values;
    // Text columns dropped from a whole read: where the numeric ones sat in the file's rows.
    if (typeof delimited !== 'string' && !columns && delimited.kept.length < delimited.width) kept = { kept: delimited.kept, width: delimited.width };
  }
  else parsed = 'only .npy, .npz, .csv, .txt and .json files are read';
  if (typeof parsed === 'string') return { problem: `${written}: ${parsed}` };
  return { values: parsed, path: relative(realpathSync(workspaceRoot), path), ...(kept ? { columns: kept } : {}) };
}

/**
 * Whether Keras has a weights file in its cache (`$KERAS_HOME/models/`, else `~/.keras/models/`),
 * where `keras.utils.get_file` keeps what `keras.applications` downloads. Only whether it is there:
 * nanguard does not read HDF5.
 */
export function inKerasCache(file: string): boolean {
  const home = process.env.KERAS_HOME || join(homedir(), '.keras');
  try {
    return existsSync(join(home, 'models', file));
  } catch {
    return false;
  }
}
