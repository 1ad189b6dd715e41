/**
 * Statistics of a JSON data file: an array of rows (`[[1, 2], [3, 4]]`), an array of numbers
 * (one column), an array of records (`[{"a": 1}]`, columns by key) or an object of columns
 * (`{"a": [1, 2]}`). `null` and the strings "NaN"/"Infinity" count as NaN and infinity.
 */
import { ColumnAccumulator, MAX_RESERVOIR_COLUMNS, type ColumnSummary } from './columns';

/** A cell of a JSON data file as a number, in the one vocabulary both readers use; undefined: text. */
export function jsonCellNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'string') {
    if (/^nan$/i.test(v)) return NaN;
    if (/^[+-]?inf(inity)?$/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity;
    if (v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return undefined;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

function cellValue(acc: ColumnAccumulator, v: unknown): void {
  const n = jsonCellNumber(v);
  if (n === undefined) acc.addText();
  else acc.add(n);
}

/** Flattens nested arrays (a 28x28 image row) into numbers, up to `limit` values. */
function flatten(v: unknown, out: unknown[], limit: number): void {
  if (out.length >= limit) return;
  if (Array.isArray(v)) for (const x of v) flatten(x, out, limit);
  else out.push(v);
}

/** A column of an object of columns that is shorter than the longest: no cell there (not NaN). */
export const NO_CELL: unique symbol = Symbol('no cell');

/**
 * A JSON data file as a table, the one reading both the statistics and the reproduction use: an
 * array of rows (`[[1, 2], [3, 4]]`, nested rows flattened to the first row's width), an array of
 * numbers (one column), an array of records (`[{"a": 1}]`, columns by key) or an object of
 * columns (`{"a": [1, 2]}`, a shorter column's missing cells are `NO_CELL`).
 */
export function jsonTable(text: string): { names?: string[]; rows: unknown[][] } | string {
  // Python's json.dump writes NaN and Infinity bare; JSON.parse refuses them, so quote them first.
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, '"$1"'));
  } catch {
    return 'not valid JSON';
  }
  return tableOf(doc);
}

function tableOf(doc: unknown): { names?: string[]; rows: unknown[][] } | string {
  if (Array.isArray(doc)) {
    if (doc.length === 0) return { rows: [] };
    if (doc.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
      const names = [...new Set(doc.flatMap((r) => Object.keys(r as object)))];
      return { names, rows: (doc as Record<string, unknown>[]).map((r) => names.map((k) => r[k])) };
    }
    if (doc.every((r) => Array.isArray(r))) {
      const first: unknown[] = [];
      flatten(doc[0], first, 1 << 20);
      const width = first.length;
      return {
        rows: doc.map((r) => {
          const flat: unknown[] = [];
          flatten(r, flat, width);
          return Array.from({ length: width }, (_, i) => flat[i]);
        }),
      };
    }
    return { rows: doc.map((v) => [v]) };
  }
  if (doc !== null && typeof doc === 'object') {
    const entries = Object.entries(doc as Record<string, unknown>).filter(([, v]) => Array.isArray(v)) as [string, unknown[]][];
    if (entries.length === 0) return 'no arrays in this JSON file';
    // `{"x": [[1, 2], [3, 4]]}`: the data under a key, as rows (the first such array).
    const nested = entries.find(([, v]) => v.length > 0 && v.every((r) => r !== null && typeof r === 'object'));
    if (nested) return tableOf(nested[1]);
    const length = Math.max(...entries.map(([, v]) => v.length));
    return { names: entries.map(([k]) => k), rows: Array.from({ length }, (_, i) => entries.map(([, v]) => (i < v.length ? v[i] : NO_CELL))) };
  }
  return 'not an array or an object of arrays';
}

export function jsonStats(text: string): { columns: ColumnSummary[]; rows: number } | string {
  const table = jsonTable(text);
  if (typeof table === 'string') return table;
  const width = table.names?.length ?? table.rows[0]?.length ?? 0;
  if (width === 0) return { columns: [], rows: table.rows.length };
  const cols = Array.from({ length: width }, (_, i) => new ColumnAccumulator(i, width <= MAX_RESERVOIR_COLUMNS));
  for (const row of table.rows) row.forEach((v, i) => v !== NO_CELL && cellValue(cols[i], v));
  return { columns: cols.map((c, i) => c.summary(table.names?.[i])), rows: table.rows.length };
}
