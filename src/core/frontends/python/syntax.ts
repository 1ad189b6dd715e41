/**
 * A compact, plain-JavaScript copy of the tree-sitter tree, built in one cursor walk.
 *
 * Every property read on a web-tree-sitter node crosses into WebAssembly, so the analysis reads
 * the tree exactly once here and works on these objects afterwards. Comments and punctuation
 * are dropped, strings and numeric array literals are kept as leaves (read from their text),
 * and nesting beyond {@link MAX_DEPTH} becomes an opaque leaf so that no later recursion over
 * this tree can overflow the stack.
 */
import type { Language, Tree } from 'web-tree-sitter';
import { parseNumericLiteral, type NumericLiteral } from './literals';
import { walkTree } from './parser';

export const MAX_DEPTH = 200;
/** Lists shorter than this are walked normally; longer numeric ones are read from their text. */
const FAST_LITERAL_MIN_LENGTH = 48;

export interface PyNode {
  type: string;
  start: number;
  end: number;
  children: PyNode[];
  /** Field name of each child (parallel to `children`), or null. */
  fields: (string | null)[];
  /** Present on `numlist` nodes (a list or tuple of numbers read from its text). */
  numbers?: NumericLiteral;
}

/** Leaves we keep but never descend into. */
const LEAF_TYPES = new Set(['string', 'concatenated_string', 'integer', 'float', 'identifier', 'true', 'false', 'none', 'comment']);

// Shared empty arrays: most nodes are leaves, and allocation is what costs here.
const NO_CHILDREN: PyNode[] = [];
const NO_FIELDS: (string | null)[] = [];

/** What the copy does with a node of each type; decided once per type, not once per node. */
const enum Handling {
  /** Punctuation, keywords, comments: not copied. */
  Skip,
  /** Copied, never descended into. */
  Leaf,
  /** A leaf whose end is where its characters end (identifiers, numbers): read from the text. */
  Token,
  /** A list or tuple: long numeric ones become `numlist` leaves read from their text. */
  Sequence,
  /** Copied with its children. */
  Descend,
}

interface TypeTables {
  names: string[];
  handling: Handling[];
  /** Node types whose children are read by field name. */
  fielded: boolean[];
}

const typeTablesByLanguage = new WeakMap<Language, TypeTables>();

function typeTables(language: Language): TypeTables {
  let tables = typeTablesByLanguage.get(language);
  if (!tables) {
    tables = { names: [], handling: [], fielded: [] };
    for (let id = 0; id < language.nodeTypeCount; id++) {
      const name = language.nodeTypeForId(id) ?? '';
      tables.names.push(name);
      tables.fielded.push(FIELDED.has(name));
      tables.handling.push(handlingOf(name, language.nodeTypeIsNamed(id)));
    }
    typeTablesByLanguage.set(language, tables);
  }
  return tables;
}

function handlingOf(name: string, named: boolean): Handling {
  if (!named || name === 'comment') return Handling.Skip;
  if (name === 'identifier' || name === 'integer' || name === 'float') return Handling.Token;
  if (LEAF_TYPES.has(name)) return Handling.Leaf;
  if (name === 'list' || name === 'tuple') return Handling.Sequence;
  return Handling.Descend;
}

/** Node types whose field names depend on the types of their children, not only on how many there are. */
const FIELDS_FOLLOW_CHILD_TYPES = new Set(['function_definition', 'class_definition', 'lambda', 'with_statement']);

/** Field-name arrays by node type and number of children: shared by every node of that shape, never mutated. */
const fieldsByShape = new Map<string, (string | null)[][]>();

/** The field names of a complete node's children (shared between nodes of one shape where possible). */
function fieldsFor(node: PyNode): (string | null)[] {
  if (FIELDS_FOLLOW_CHILD_TYPES.has(node.type)) return computeFields(node);
  let byCount = fieldsByShape.get(node.type);
  if (!byCount) fieldsByShape.set(node.type, (byCount = []));
  return (byCount[node.children.length] ??= computeFields(node));
}

/**
 * Field names by position among named children, for the node types the analysis reads by field.
 * Computed here rather than asked of tree-sitter to save a WebAssembly call per child.
 */
function computeFields(node: PyNode): (string | null)[] {
  const kids = node.children;
  const n = kids.length;
  const f: (string | null)[] = [];
  for (let i = 0; i < n; i++) f.push(null);
  const set = setFields;
  const typeIndex = indexOfType;
  switch (node.type) {
    case 'assignment':
      if (n === 2) set(f, n, 'left', 'right');
      else if (n === 3) set(f, n, 'left', 'type', 'right');
      else if (n === 1) set(f, n, 'left');
      break;
    case 'augmented_assignment':
    case 'binary_operator':
    case 'boolean_operator':
      if (n === 2) set(f, n, 'left', 'right');
      break;
    case 'keyword_argument':
    case 'default_parameter':
      if (n === 2) set(f, n, 'name', 'value');
      break;
    case 'typed_default_parameter':
      if (n === 3) set(f, n, 'name', 'type', 'value');
      break;
    case 'pair':
      if (n === 2) set(f, n, 'key', 'value');
      break;
    case 'attribute':
      if (n === 2) set(f, n, 'object', 'attribute');
      break;
    case 'subscript':
      if (n >= 2) {
        f[0] = 'value';
        for (let i = 1; i < n; i++) f[i] = 'subscript';
      }
      break;
    case 'unary_operator':
    case 'not_operator':
      if (n === 1) set(f, n, 'argument');
      break;
    case 'call':
      if (n === 2) set(f, n, 'function', 'arguments');
      break;
    case 'conditional_expression':
      if (n === 3) set(f, n, 'consequence', 'condition', 'alternative');
      break;
    case 'function_definition': {
      f[0] = kids[0]?.type === 'identifier' ? 'name' : null;
      const p = typeIndex(kids, ['parameters']);
      if (p >= 0) f[p] = 'parameters';
      const b = typeIndex(kids, ['block']);
      if (b >= 0) f[b] = 'body';
      break;
    }
    case 'class_definition': {
      f[0] = kids[0]?.type === 'identifier' ? 'name' : null;
      const s = typeIndex(kids, ['argument_list']);
      if (s >= 0) f[s] = 'superclasses';
      const b = typeIndex(kids, ['block']);
      if (b >= 0) f[b] = 'body';
      break;
    }
    case 'lambda': {
      const p = typeIndex(kids, ['lambda_parameters']);
      if (p >= 0) f[p] = 'parameters';
      if (n > 0 && kids[n - 1].type !== 'lambda_parameters') f[n - 1] = 'body';
      break;
    }
    case 'for_statement':
      if (n >= 3) {
        set(f, n, 'left', 'right', 'body');
        if (n >= 4) f[3] = 'alternative';
      }
      break;
    case 'while_statement':
      if (n >= 2) set(f, n, 'condition', 'body');
      break;
    case 'if_statement':
    case 'elif_clause':
      if (n >= 2) {
        set(f, n, 'condition', 'consequence');
        for (let i = 2; i < n; i++) f[i] = 'alternative';
      }
      break;
    case 'with_statement': {
      const b = typeIndex(kids, ['block']);
      if (b >= 0) f[b] = 'body';
      break;
    }
    case 'as_pattern':
      if (n === 2) set(f, n, 'value', 'alias');
      break;
    case 'aliased_import':
      if (n === 2) set(f, n, 'name', 'alias');
      break;
    case 'import_from_statement':
      if (n >= 1) {
        f[0] = 'module_name';
        for (let i = 1; i < n; i++) f[i] = 'name';
      }
      break;
    case 'import_statement':
      for (let i = 0; i < n; i++) f[i] = 'name';
      break;
    case 'decorated_definition':
      if (n >= 1) f[n - 1] = 'definition';
      break;
  }
  return f;
}

function setFields(f: (string | null)[], n: number, ...names: string[]): void {
  for (let i = 0; i < n && i < names.length; i++) f[i] = names[i];
}

function indexOfType(kids: PyNode[], types: string[]): number {
  for (let i = 0; i < kids.length; i++) if (types.includes(kids[i].type)) return i;
  return -1;
}

const WORD_CHAR = /[\p{L}\p{N}_.]/u;

function tokenEnd(text: string, start: number): number {
  let i = start;
  const first = text.charCodeAt(i);
  const isNumber = (first >= 0x30 && first <= 0x39) || first === 0x2e;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) i++;
    else if (c === 0x2e && isNumber) i++;
    else if ((c === 0x2b || c === 0x2d) && isNumber && (text[i - 1] === 'e' || text[i - 1] === 'E')) i++;
    else if (c >= 0x80 && WORD_CHAR.test(text[i]) && text[i] !== '.') i++;
    else if (c >= 0xd800 && c <= 0xdbff) i += 2;
    else break;
  }
  return i > start ? i : start + 1;
}

/** Node types whose children are read by field name. */
const FIELDED = new Set([
  'assignment', 'augmented_assignment', 'binary_operator', 'boolean_operator', 'keyword_argument', 'default_parameter',
  'typed_default_parameter', 'pair', 'attribute', 'subscript', 'unary_operator', 'not_operator', 'call',
  'conditional_expression', 'function_definition', 'class_definition', 'lambda', 'for_statement', 'while_statement',
  'if_statement', 'elif_clause', 'with_statement', 'as_pattern', 'aliased_import', 'import_from_statement',
  'import_statement', 'decorated_definition',
]);

/** Marks, while the copy runs, the nodes whose field names are to be set when they are complete. */
const FIELDS_PENDING: (string | null)[] = [];

/** Converts the tree into {@link PyNode}s. Iterative: deep nesting cannot overflow the JS stack. */
export function convertTree(tree: Tree, text: string): PyNode {
  const { names, handling, fielded } = typeTables(tree.language);
  const root: PyNode = { type: 'module', start: 0, end: text.length, children: NO_CHILDREN, fields: NO_FIELDS };
  // The nodes being filled, and the children copied so far for all of them: each node gets its
  // children in one exact-size array when it is complete (growing an array per node costs memory
  // and time, and the whole tree stays alive through the analysis).
  const open: PyNode[] = [root];
  const firstChildAt: number[] = [0];
  const children: PyNode[] = [];
  const complete = (): void => {
    const done = open.pop()!;
    const first = firstChildAt.pop()!;
    if (children.length > first) {
      done.children = children.slice(first);
      children.length = first;
    }
    if (done.fields === FIELDS_PENDING) done.fields = fieldsFor(done);
  };
  // A cursor, not Node objects: no allocation per node on the binding's side, which is what costs here.
  const cursor = walkTree(tree);
  try {
    if (!cursor.gotoFirstChild()) return root;
    walk: for (;;) {
      const typeId = cursor.nodeTypeId;
      // tree-sitter's ERROR symbol lies outside the language's table of node types.
      const how = typeId < handling.length ? handling[typeId] : Handling.Descend;
      let descendInto: PyNode | undefined;
      if (how !== Handling.Skip) {
        const start = cursor.startIndex;
        // Identifiers and numbers end where their characters end: reading that from the text saves a call into WebAssembly.
        const end = how === Handling.Token ? tokenEnd(text, start) : cursor.endIndex;
        const node: PyNode = { type: names[typeId] || 'ERROR', start, end, children: NO_CHILDREN, fields: NO_FIELDS };
        children.push(node);
        if (open.length >= MAX_DEPTH) {
          node.type = 'opaque';
        } else if (how === Handling.Sequence && end - start >= FAST_LITERAL_MIN_LENGTH) {
          const numbers = parseNumericLiteral(text.slice(start, end));
          if (numbers) {
            node.type = 'numlist';
            node.numbers = numbers;
          } else descendInto = node;
        } else if (how === Handling.Descend || how === Handling.Sequence) descendInto = node;
      }
      if (descendInto && cursor.gotoFirstChild()) {
        if (fielded[typeId]) descendInto.fields = FIELDS_PENDING;
        open.push(descendInto);
        firstChildAt.push(children.length);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) break walk;
        complete();
        if (open.length === 0) return root;
      }
    }
  } finally {
    cursor.delete();
  }
  while (open.length > 0) complete();
  return root;
}

/** The operator token between two operands (`+`, `/`, `and`), read from the text. */
export function operatorBetween(text: string, left: PyNode, right: PyNode): string {
  return text.slice(left.end, right.start).replace(/[()\s\\]/g, '').trim();
}

export function child(node: PyNode, field: string): PyNode | undefined {
  const i = node.fields.length > 0 ? node.fields.indexOf(field) : -1;
  return i >= 0 ? node.children[i] : undefined;
}

export function childrenOf(node: PyNode, field: string): PyNode[] {
  const out: PyNode[] = [];
  for (let i = 0; i < node.fields.length; i++) if (node.fields[i] === field) out.push(node.children[i]);
  return out;
}

/** Children (operator tokens are never kept, so all of them are expressions or statements). */
export function namedChildren(node: PyNode): PyNode[] {
  return node.children;
}

/** Maps UTF-16 offsets (tree-sitter's indices for JavaScript strings) to 0-based lines and characters. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
}
