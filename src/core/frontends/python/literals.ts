/**
 * Reading Python literals straight from their text: strings, numbers, and nested lists of
 * numbers. Big array literals are read here in one linear scan instead of walking one syntax
 * node per number, and beyond a cap their statistics are accumulated without storing values.
 */
import { accumulate, newRunningSums, type RunningSums } from '../../statistics';

/** At most this many numbers of one literal are kept; beyond it only running statistics are. */
export const MAX_MATERIALISED_NUMBERS = 100_000;
/** Deeper nesting than this is not an array anyone writes by hand. */
const MAX_ARRAY_RANK = 8;

export interface NumericLiteral {
  /** Dimensions, outermost first (`[[1, 2], [3, 4]]` is `[2, 2]`). */
  shape: number[];
  /** Row-major values, one row per sample (a 1-D literal gives rows of one value). Absent beyond the cap. */
  rows?: number[][];
  /** Per-column running statistics when `rows` is absent. */
  columns?: RunningSums[];
}

const NUMBER = /^[+-]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?/;
const SPECIAL: Array<[RegExp, number]> = [
  [/^[+-]?(?:np|numpy)\.(?:nan|NaN|NAN)\b/, NaN],
  [/^[+-]?(?:np|numpy)\.(?:inf|Inf|infty|PINF)\b/, Infinity],
  [/^[+-]?float\(\s*["'](?:nan|NaN)["']\s*\)/, NaN],
  [/^[+-]?float\(\s*["'](?:inf|infinity|Infinity)["']\s*\)/, Infinity],
  [/^[+-]?math\.nan\b/, NaN],
  [/^[+-]?math\.inf\b/, Infinity],
  [/^None\b/, NaN],
];

/** Parses a Python number literal's text (`1_000`, `1e-3`, `0x10`, `.5`); NaN when it is not one. */
export function parseNumberText(text: string): number {
  // Most literals are plain decimals, which JavaScript reads as Python does.
  if (!/[_xXoObBjJ]/.test(text)) return Number(text);
  const t = text.replace(/_/g, '');
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^[+-]?0[oO][0-7]+$/.test(t)) return parseInt(t.replace(/0[oO]/, ''), 8);
  if (/^[+-]?0[bB][01]+$/.test(t)) return parseInt(t.replace(/0[bB]/, ''), 2);
  if (/[jJ]$/.test(t)) return NaN;
  return Number(t);
}

/**
 * Reads a nested list/tuple of numbers (`[[1, 1000], [2, 2000]]`). Returns undefined when the text
 * is anything else (names, calls, ragged rows, strings), so the caller falls back to the syntax tree.
 */
export function parseNumericLiteral(text: string): NumericLiteral | undefined {
  const first = text.charCodeAt(0);
  if (first !== 0x5b /* [ */ && first !== 0x28 /* ( */) return undefined;
  // Sizes per depth, fixed by the first list that closes at that depth.
  const sizes: number[] = [];
  const counts: number[] = [];
  let depth = 0;
  let leafDepth = -1;
  let total = 0;
  let stored: number[] | undefined = [];
  let columns: RunningSums[] | undefined;
  let rowWidth = 0;
  let expectValue = true;
  let i = 0;
  const n = text.length;

  const push = (v: number): boolean => {
    if (leafDepth === -1) leafDepth = depth;
    else if (leafDepth !== depth) return false;
    if (stored) {
      stored.push(v);
      if (stored.length > MAX_MATERIALISED_NUMBERS) {
        // Switch to running statistics; the row width must be known by now.
        const width = leafDepth === 1 ? 1 : rowWidthKnown();
        if (!width) return false;
        rowWidth = width;
        columns = Array.from({ length: width }, newRunningSums);
        for (let k = 0; k < stored.length; k++) accumulate(columns[k % width], stored[k]);
        stored = undefined;
      }
    } else if (columns) {
      accumulate(columns[total % rowWidth], v);
    }
    total++;
    counts[depth - 1]++;
    return true;
  };
  const rowWidthKnown = (): number => {
    let width = 1;
    for (let d = 1; d < leafDepth; d++) {
      if (sizes[d] === undefined) return 0;
      width *= sizes[d];
    }
    return width;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x5c /* line continuation */) {
      i++;
      continue;
    }
    if (c === 0x23 /* # comment */) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
      continue;
    }
    if (c === 0x5b || c === 0x28) {
      if (!expectValue) return undefined;
      if (depth > 0) counts[depth - 1]++;
      depth++;
      if (depth > MAX_ARRAY_RANK) return undefined;
      counts[depth - 1] = 0;
      i++;
      continue;
    }
    if (c === 0x5d || c === 0x29) {
      if (depth === 0) return undefined;
      const count = counts[depth - 1];
      const known = sizes[depth - 1];
      if (depth > 1) {
        if (known === undefined) sizes[depth - 1] = count;
        else if (known !== count) return undefined;
      }
      depth--;
      expectValue = false;
      i++;
      if (depth === 0) {
        sizes[0] = count;
        break;
      }
      continue;
    }
    if (c === 0x2c /* , */) {
      if (expectValue && counts[depth - 1] === 0) return undefined;
      expectValue = true;
      i++;
      continue;
    }
    if (!expectValue) return undefined;
    const rest = text.slice(i, i + 40);
    const num = NUMBER.exec(rest);
    let value: number | undefined;
    let length = 0;
    if (num) {
      value = parseNumberText(num[0]);
      if (Number.isNaN(value)) return undefined;
      length = num[0].length;
      const after = text.charCodeAt(i + length);
      // `1abc` or `2.x` is not a number followed by a separator.
      if ((after >= 0x41 && after <= 0x5a) || (after >= 0x61 && after <= 0x7a) || after === 0x5f || after === 0x2e) return undefined;
    } else {
      for (const [pattern, v] of SPECIAL) {
        const m = pattern.exec(rest);
        if (m) {
          value = m[0].startsWith('-') ? -v : v;
          length = m[0].length;
          break;
        }
      }
    }
    if (value === undefined) return undefined;
    if (depth === 0) return undefined;
    if (!push(value)) return undefined;
    expectValue = false;
    i += length;
  }
  if (depth !== 0) return undefined;
  for (let k = i; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return undefined;
  }
  if (leafDepth === -1) return { shape: [0], rows: [] };
  const shape = sizes.slice(0, leafDepth);
  if (stored) {
    const width = leafDepth === 1 ? 1 : shape.slice(1).reduce((a, b) => a * b, 1);
    const rows: number[][] = [];
    for (let k = 0; k < stored.length; k += width) rows.push(stored.slice(k, k + width));
    return { shape, rows };
  }
  return { shape, columns };
}

/** The value of a Python string literal's text (prefixes, quotes and common escapes handled). */
export function parseStringText(text: string): string | undefined {
  // Most strings are short, quoted once, without a prefix or a backslash: their body is the text between the quotes.
  const quoteChar = text.charCodeAt(0);
  const plainlyQuoted =
    (quoteChar === 0x22 || quoteChar === 0x27) &&
    text.length >= 2 &&
    text.charCodeAt(text.length - 1) === quoteChar &&
    // `""` is empty; any other text opening with two quotes is triple-quoted.
    (text.length === 2 || text.charCodeAt(1) !== quoteChar) &&
    !text.includes('\\');
  if (plainlyQuoted) return text.slice(1, -1);
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text);
  if (!m) return undefined;
  const quote = m[2];
  if (!text.endsWith(quote) || text.length < m[0].length + quote.length) return undefined;
  const body = text.slice(m[0].length, text.length - quote.length);
  if (/[rR]/.test(m[1])) return body;
  return body.replace(/\\(n|t|r|\\|'|"|\n)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch === 'r' ? '\r' : ch === '\n' ? '' : ch));
}

/** Python's arithmetic operators on two numbers (`//` and `%` floor as Python's do); undefined for other operators. */
export function pythonArithmetic(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '//':
      return Math.floor(a / b);
    case '%':
      return a - b * Math.floor(a / b);
    case '**':
      return a ** b;
    default:
      return undefined;
  }
}
