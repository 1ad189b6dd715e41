/**
 * Statistics of a JSON data file: an array of rows (`[[1, 2], [3, 4]]`), an array of numbers
 * (one column), an array of records (`[{"a": 1}]`, columns by key) or an object of columns
 * (`{"a": [1, 2]}`). `null` and the strings "NaN"/"Infinity" count as NaN and infinity.
 */
import { ColumnAccumulator, MAX_RESERVOIR_COLUMNS, type ColumnSummary } from './columns';

function cellValue(acc: ColumnAccumulator, v: unknown): void {
  if (typeof v === 'number') acc.add(v);
  else if (v === null || v === undefined) acc.add(NaN);
  else if (typeof v === 'string') {
    if (/^nan$/i.test(v)) acc.add(NaN);
    else if (/^[+-]?inf(inity)?$/i.test(v)) acc.add(v.startsWith('-') ? -Infinity : Infinity);
    else if (v.trim() !== '' && Number.isFinite(Number(v))) acc.add(Number(v));
    else acc.addText();
  } else if (typeof v === 'boolean') acc.add(v ? 1 : 0);
  else acc.addText();
}

/** Flattens nested arrays (a 28x28 image row) into numbers, up to `limit` values. */
function flatten(v: unknown, out: unknown[], limit: number): void {
  if (out.length >= limit) return;
  if (Array.isArray(v)) for (const x of v) flatten(x, out, limit);
  else out.push(v);
}

export function jsonStats(text: string): { columns: ColumnSummary[]; rows: number } | string {
  // Python's json.dump writes NaN and Infinity bare; JSON.parse refuses them, so quote them first.
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, '"$1"'));
  } catch {
    return 'not valid JSON';
  }
  const make = (n: number) => Array.from({ length: n }, (_, i) => new ColumnAccumulator(i, n <= MAX_RESERVOIR_COLUMNS));
  if (Array.isArray(doc)) {
    if (doc.length === 0) return { columns: [], rows: 0 };
    if (doc.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
      const keys = [...new Set(doc.flatMap((r) => Object.keys(r as object)))];
      const cols = make(keys.length);
      for (const r of doc as Record<string, unknown>[]) keys.forEach((k, i) => cellValue(cols[i], r[k]));
      return { columns: cols.map((c, i) => c.summary(keys[i])), rows: doc.length };
    }
    if (doc.every((r) => Array.isArray(r))) {
      const first: unknown[] = [];
      flatten(doc[0], first, 1 << 20);
      const width = first.length;
      if (width === 0) return { columns: [], rows: doc.length };
      const cols = make(width);
      for (const r of doc) {
        const flat: unknown[] = [];
        flatten(r, flat, width);
        for (let i = 0; i < width; i++) cellValue(cols[i], flat[i]);
      }
      return { columns: cols.map((c) => c.summary(undefined)), rows: doc.length };
    }
    const col = make(1);
    for (const v of doc) cellValue(col[0], v);
    return { columns: [col[0].summary(undefined)], rows: doc.length };
  }
  if (doc !== null && typeof doc === 'object') {
    const entries = Object.entries(doc as Record<string, unknown>).filter(([, v]) => Array.isArray(v));
    if (entries.length === 0) return 'no arrays in this JSON file';
    const cols = make(entries.length);
    let rows = 0;
    entries.forEach(([, v], i) => {
      const arr = v as unknown[];
      rows = Math.max(rows, arr.length);
      for (const x of arr) cellValue(cols[i], x);
    });
    return { columns: cols.map((c, i) => c.summary(entries[i][0])), rows };
  }
  return 'not an array or an object of arrays';
}
