/**
 * Random damage to a real file, the way files get damaged in an editor and on disk:
 * truncation mid-byte, flipped bits, deleted and duplicated lines, stray brackets, foreign
 * Unicode, CRLF and lone CR line ends, tabs. Each mutation is data (so fast-check prints and
 * shrinks it) and applies deterministically to a text.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'truncate-bytes'; at: number }
  | { kind: 'flip-byte'; at: number; mask: number }
  | { kind: 'delete-lines'; at: number; count: number }
  | { kind: 'duplicate-lines'; at: number; count: number; times: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'line-ends'; style: 'crlf' | 'cr' | 'mixed' }
  | { kind: 'tabs'; style: 'indent' | 'scatter' }
  | { kind: 'number'; at: number; replacement: string }
  | { kind: 'swap-lines'; a: number; b: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Positions are fractions of the text, so a mutation fits any text it is applied to. */
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

const BRACKETS = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', ':', ',', '\\', '#', '=', '.'];
// Characters that break naive code: NUL (binary detection), BOM, line and paragraph separators,
// a lone surrogate, combining marks, right-to-left override, zero-width joiner, astral emoji.
const NASTY = ['\u0000', '\ufeff', '\u2028', '\u2029', '\ud800', '\udfff', '\u0301', '\u202e', '\u200d', '\u{1F600}', '\u000b', '\u000c', '\u0085', '\r', '\t', '\u00a0'];
const NUMBERS = ['NaN', 'nan', 'inf', '-inf', '1e308', '1e309', '-1e308', '0', '-0', '0.0', '1e-320', '10**12', '2**64', '9' + '9'.repeat(400), '-1', '1j', '0x7fffffff', "float('nan')", 'np.nan', 'None', 'True', '"x"', '[]', '()'];

const insertion = fc.oneof(
  fc.record({ bracket: fc.constantFrom(...BRACKETS), times: fc.integer({ min: 1, max: 60 }) }).map(({ bracket, times }) => bracket.repeat(times)),
  fc.array(fc.constantFrom(...NASTY), { minLength: 1, maxLength: 6 }).map((cs) => cs.join('')),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('\n', '\n\n\n', '    ', 'def f(:\n', 'class', 'lambda', '@', 'if x:\n', '"""', "'''", 'import ', 'from . import', '\\\n', ' ' + '('.repeat(500)),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fraction.map((at) => ({ kind: 'truncate-bytes' as const, at })),
  fc.record({ kind: fc.constant('flip-byte' as const), at: fraction, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('delete-lines' as const), at: fraction, count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('duplicate-lines' as const), at: fraction, count: fc.integer({ min: 1, max: 4 }), times: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: insertion }),
  fc.record({ kind: fc.constant('line-ends' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const) }),
  fc.record({ kind: fc.constant('tabs' as const), style: fc.constantFrom('indent' as const, 'scatter' as const) }),
  fc.record({ kind: fc.constant('number' as const), at: fraction, replacement: fc.constantFrom(...NUMBERS) }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fraction, b: fraction }),
);

function index(at: number, length: number): number {
  return Math.min(length, Math.floor(at * (length + 1)));
}

export function truncateBytes(text: string, byteOffset: number): string {
  const bytes = encoder.encode(text);
  // Cut bytes, then decode as an editor opening the file would (a split character becomes U+FFFD).
  return decoder.decode(bytes.subarray(0, Math.max(0, Math.min(bytes.length, byteOffset))));
}

export function applyMutation(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'truncate-bytes': {
      const length = encoder.encode(text).length;
      return truncateBytes(text, index(m.at, length));
    }
    case 'flip-byte': {
      const bytes = encoder.encode(text);
      if (bytes.length === 0) return text;
      const i = Math.min(bytes.length - 1, index(m.at, bytes.length - 1));
      bytes[i] ^= m.mask;
      return decoder.decode(bytes);
    }
    case 'delete-lines': {
      const lines = text.split('\n');
      lines.splice(index(m.at, lines.length - 1), m.count);
      return lines.join('\n');
    }
    case 'duplicate-lines': {
      const lines = text.split('\n');
      const at = index(m.at, lines.length - 1);
      const block = lines.slice(at, at + m.count);
      for (let i = 0; i < m.times; i++) lines.splice(at, 0, ...block);
      return lines.join('\n');
    }
    case 'insert': {
      const at = index(m.at, text.length);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'line-ends': {
      if (m.style === 'crlf') return text.replace(/\r?\n/g, '\r\n');
      if (m.style === 'cr') return text.replace(/\r?\n/g, '\r');
      let i = 0;
      return text.replace(/\n/g, () => ['\n', '\r\n', '\r'][i++ % 3]);
    }
    case 'tabs': {
      if (m.style === 'indent') return text.replace(/^( {4})+/gm, (s) => '\t'.repeat(s.length / 4));
      return text.replace(/ /g, (s, offset: number) => (offset % 7 === 0 ? '\t' : s));
    }
    case 'number': {
      const numbers = [...text.matchAll(/\b\d+(\.\d*)?(e[+-]?\d+)?\b/gi)];
      if (numbers.length === 0) return text;
      const hit = numbers[Math.min(numbers.length - 1, Math.floor(m.at * numbers.length))];
      return text.slice(0, hit.index) + m.replacement + text.slice(hit.index! + hit[0].length);
    }
    case 'swap-lines': {
      const lines = text.split('\n');
      const a = index(m.a, lines.length - 1);
      const b = index(m.b, lines.length - 1);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
  }
}

export function applyAll(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce(applyMutation, text);
}

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });
