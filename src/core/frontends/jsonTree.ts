/**
 * JSON parsing with source ranges, shared by the Keras topology and config front-ends.
 *
 * jsonc-parser gives a tree with offsets and tolerates errors. Around it, one cheap pass
 * over the text (`scanJson`) does what the parser cannot: it measures nesting depth before
 * the recursive parser could overflow the stack, and it accepts the `NaN`, `Infinity` and
 * `-Infinity` tokens that Python's `json.dump` writes by replacing them with strings of the
 * same length, so every offset stays true.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

/** Deeper than this is not a Keras file or a config; the recursive parser is not risked. */
export const MAX_JSON_DEPTH = 512;

/**
 * Values copied from a JSON file into the IR keep at most this many levels; deeper arrays and
 * objects become `null` (omitted). Real Keras topologies nest about 13 levels; the IR crosses
 * to the analysis worker, the reproduction and the output formatters, whose copies
 * (`structuredClone`, `JSON.stringify`) recurse once per level.
 */
export const MAX_IR_VALUE_DEPTH = 64;

export interface JsonScan {
  maxDepth: number;
  /** The text with non-standard number tokens replaced by same-length strings. */
  patched: string;
  /** Offset of a replaced token -> the number it stands for. */
  specials: Map<number, number>;
}

const SPECIAL_TOKENS: [token: string, stand_in: string, value: number][] = [
  ['-Infinity', '"-Infini"', -Infinity],
  ['Infinity', '"Infini"', Infinity],
  ['NaN', '"N"', NaN],
];

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

export function scanJson(text: string): JsonScan {
  let depth = 0;
  let maxDepth = 0;
  const specials = new Map<number, number>();
  const patches: [offset: number, replacement: string][] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === 91 || c === 123 /* [ { */) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 78 || c === 73 || c === 45 /* N I - */) {
      if (i > 0 && isIdentifierChar(text.charCodeAt(i - 1))) continue;
      for (const [token, standIn, value] of SPECIAL_TOKENS) {
        if (text.startsWith(token, i) && !isIdentifierChar(text.charCodeAt(i + token.length))) {
          specials.set(i, value);
          patches.push([i, standIn]);
          i += token.length - 1;
          break;
        }
      }
    }
  }
  let patched = text;
  if (patches.length > 0) {
    const parts: string[] = [];
    let last = 0;
    for (const [offset, replacement] of patches) {
      parts.push(text.slice(last, offset), replacement);
      last = offset + replacement.length;
    }
    parts.push(text.slice(last));
    patched = parts.join('');
  }
  return { maxDepth, patched, specials };
}

export interface JsonDocument {
  root: Node | undefined;
  errors: { message: string; offset: number; length: number }[];
  specials: Map<number, number>;
  /** Set when the text was not parsed because it nests deeper than {@link MAX_JSON_DEPTH}. */
  tooDeep?: number;
}

const ERROR_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/** Parses without throwing: errors are returned, deep nesting is refused. */
export function parseJsonDocument(text: string): JsonDocument {
  const scan = scanJson(text);
  if (scan.maxDepth > MAX_JSON_DEPTH) return { root: undefined, errors: [], specials: scan.specials, tooDeep: scan.maxDepth };
  const raw: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(scan.patched, raw, { allowTrailingComma: false, disallowComments: false, allowEmptyContent: true });
  } catch (err) {
    return { root: undefined, errors: [{ message: `could not parse: ${String(err)}`, offset: 0, length: 0 }], specials: scan.specials };
  }
  const errors = raw.map((e) => {
    const code = printParseErrorCode(e.error);
    return { message: ERROR_MESSAGES[code] ?? code, offset: e.offset, length: e.length };
  });
  return { root, errors, specials: scan.specials };
}

/** The value node of `key` in an object node. */
export function property(node: Node | undefined, key: string): Node | undefined {
  if (!node || node.type !== 'object' || !node.children) return undefined;
  // Later duplicates win, as in Python's json.load.
  for (let i = node.children.length - 1; i >= 0; i--) {
    const prop = node.children[i];
    const keyNode = prop.children?.[0];
    if (keyNode && keyNode.value === key) return prop.children?.[1];
  }
  return undefined;
}

/** `[key, valueNode]` pairs of an object node, in order. */
export function entries(node: Node | undefined): [string, Node][] {
  if (!node || node.type !== 'object' || !node.children) return [];
  const out: [string, Node][] = [];
  for (const prop of node.children) {
    const keyNode = prop.children?.[0];
    const valueNode = prop.children?.[1];
    if (keyNode && typeof keyNode.value === 'string' && valueNode) out.push([keyNode.value, valueNode]);
  }
  return out;
}

export function elements(node: Node | undefined): Node[] {
  return node && node.type === 'array' && node.children ? node.children : [];
}

/** A number, counting Python's `NaN`/`Infinity` tokens. */
export function numberValue(node: Node | undefined, specials: Map<number, number>): number | undefined {
  if (!node) return undefined;
  if (node.type === 'number' && typeof node.value === 'number') return node.value;
  if (node.type === 'string' && specials.has(node.offset)) return specials.get(node.offset);
  return undefined;
}

export function stringValue(node: Node | undefined, specials: Map<number, number>): string | undefined {
  if (!node || node.type !== 'string' || typeof node.value !== 'string' || specials.has(node.offset)) return undefined;
  return node.value;
}

/**
 * The plain value of a node. Depth-limited (arrays and objects below `maxDepth` levels become
 * null) so that a pathological file can neither recurse here without end nor put a value into
 * the IR that later copies cannot handle.
 */
export function toValue(node: Node | undefined, specials: Map<number, number>, maxDepth = MAX_IR_VALUE_DEPTH): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'object': {
      if (maxDepth <= 0) return null;
      const out: Record<string, unknown> = {};
      for (const [k, v] of entries(node)) out[k] = toValue(v, specials, maxDepth - 1);
      return out;
    }
    case 'array':
      if (maxDepth <= 0) return null;
      return elements(node).map((e) => toValue(e, specials, maxDepth - 1));
    case 'string':
      return specials.has(node.offset) ? specials.get(node.offset) : node.value;
    default:
      return node.value;
  }
}
