/**
 * Reading data files named in the user's code, strictly inside the workspace: `.npy`
 * (NumPy's format, little-endian numeric dtypes), `.csv`/`.txt` (numbers, header row and
 * non-numeric columns skipped, empty cells NaN as pandas reads them) and `.json` (arrays).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { folderContains } from '../core/paths';

export type LoadResult = { values: number[][]; path: string } | { problem: string };

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

function parseNpy(bytes: Uint8Array): number[][] | string {
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (magic !== '\u0093NUMPY') return 'not a NumPy .npy file';
  const major = bytes[6];
  const headerLength = major === 1 ? bytes[8] | (bytes[9] << 8) : bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) return 'unreadable .npy header';
  if (fortran) return 'Fortran-ordered .npy files are not supported';
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const data = bytes.slice(headerStart + headerLength);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const readers: Record<string, [number, (o: number) => number]> = {
    '<f8': [8, (o) => view.getFloat64(o, true)],
    '<f4': [4, (o) => view.getFloat32(o, true)],
    '<f2': [2, (o) => halfToFloat(view.getUint16(o, true))],
    '<i8': [8, (o) => Number(view.getBigInt64(o, true))],
    '<i4': [4, (o) => view.getInt32(o, true)],
    '<i2': [2, (o) => view.getInt16(o, true)],
    '|i1': [1, (o) => view.getInt8(o)],
    '|u1': [1, (o) => view.getUint8(o)],
    '<u2': [2, (o) => view.getUint16(o, true)],
    '<u4': [4, (o) => view.getUint32(o, true)],
    '|b1': [1, (o) => view.getUint8(o)],
  };
  const reader = readers[descr];
  if (!reader) return `.npy dtype ${descr} is not supported`;
  const [size, read] = reader;
  if (data.byteLength < count * size) return 'truncated .npy file';
  const rows = shape.length === 0 ? 1 : shape[0];
  const width = shape.length <= 1 ? 1 : count / rows;
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(width);
    for (let j = 0; j < width; j++) row[j] = read((i * width + j) * size);
    out.push(row);
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function parseNumber(cell: string): number | undefined {
  const t = cell.trim().replace(/^"|"$/g, '');
  if (t === '' || /^(nan|na|n\/a|null|none)$/i.test(t)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function parseDelimited(text: string, columns?: string[]): number[][] | string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) return 'the file is empty';
  const delimiter = lines[0].includes(',') ? ',' : lines[0].includes(';') ? ';' : lines[0].includes('\t') ? '\t' : /\s+/;
  const split = (l: string): string[] => l.split(delimiter);
  let header: string[] | undefined;
  let body = lines;
  if (split(lines[0]).some((c) => parseNumber(c) === undefined)) {
    header = split(lines[0]).map((c) => c.trim().replace(/^"|"$/g, ''));
    body = lines.slice(1);
  }
  const rows = body.map(split);
  const width = Math.max(0, ...rows.map((r) => r.length));
  let keep = Array.from({ length: width }, (_, j) => j);
  if (columns && header) keep = columns.map((c) => header!.indexOf(c)).filter((j) => j >= 0);
  // Columns that are not numeric (ids, dates, labels) are dropped, as `select_dtypes('number')` would.
  keep = keep.filter((j) => rows.every((r) => r[j] === undefined || parseNumber(r[j]) !== undefined));
  if (keep.length === 0) return 'no numeric columns';
  return rows.map((r) => keep.map((j) => (r[j] === undefined ? NaN : parseNumber(r[j]) ?? NaN)));
}

function parseJsonArray(text: string): number[][] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const arrays = Object.values(value as Record<string, unknown>).filter(Array.isArray);
    if (arrays.length === 0) return 'no array in the JSON file';
    value = arrays[0];
  }
  if (!Array.isArray(value)) return 'the JSON file holds no array';
  const rows = value.map((r) => (Array.isArray(r) ? r.flat(Infinity) : [r]));
  if (!rows.every((r) => r.every((v) => typeof v === 'number' || v === null))) return 'the JSON array is not numeric';
  return rows.map((r) => r.map((v) => (v === null ? NaN : (v as number))));
}

/** Loads a data file named in `fromFile` (a workspace-relative or absolute path) if it is inside the workspace. */
export function loadWorkspaceData(workspaceRoot: string, fromFile: string, written: string, columns?: string[]): LoadResult {
  const path = insideWorkspace(workspaceRoot, fromFile, written);
  if (!path) return { problem: `${written} is not a file inside the workspace, so it was not read` };
  if (statSync(path).size > 256 * 1024 * 1024) return { problem: `${written} is larger than 256 MB` };
  const lower = path.toLowerCase();
  let parsed: number[][] | string;
  if (lower.endsWith('.npy')) parsed = parseNpy(readFileSync(path));
  else if (lower.endsWith('.json')) parsed = parseJsonArray(readFileSync(path, 'utf8'));
  else if (/\.(csv|txt|tsv|dat)$/.test(lower)) parsed = parseDelimited(readFileSync(path, 'utf8'), columns);
  else parsed = 'only .npy, .csv, .txt and .json files are read';
  if (typeof parsed === 'string') return { problem: `${written}: ${parsed}` };
  return { values: parsed, path: relative(realpathSync(workspaceRoot), path) };
}
