/**
 * A compact copy of the tree-sitter tree, built in one cursor walk and held in typed arrays.
 *
 * Every property read on a web-tree-sitter node crosses into WebAssembly, so the analysis reads
 * the tree exactly once here and works on this copy afterwards. Comments and punctuation are
 * dropped, strings and numeric array literals are kept as leaves (read from their text), and
 * nesting beyond {@link MAX_DEPTH} becomes an opaque leaf so that no later recursion over this
 * tree can overflow the stack.
 *
 * A node is an index into the arrays, not an object: a 5,000-line script has about 50,000
 * nodes, and as objects they were copied by every young-generation collection during the
 * analysis (a tenth of the lint's time); typed arrays live outside the collected heap.
 */
import type { Language, Tree } from 'web-tree-sitter';
import { parseNumericLiteral, type NumericLiteral } from './literals';
import { walkTree } from './parser';

export const MAX_DEPTH = 200;
/** Lists shorter than this are walked normally; longer numeric ones are read from their text. */
const FAST_LITERAL_MIN_LENGTH = 48;

/** A node of a {@link PyTree}: its index. Never 0, so that a node is always truthy. */
export type PyNode = number;

type Fields = readonly (string | null)[];

/** The copied tree. Children are expressions or statements: operator tokens are not kept. */
export class PyTree {
  /** The module node. */
  readonly root: PyNode = 1;

  constructor(
    readonly text: string,
    private readonly names: readonly string[],
    /** Nodes are 1 to `nodeCount - 1`, in pre-order (a parent before its children, children in order). */
    readonly nodeCount: number,
    private readonly typeIds: Uint16Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    private readonly subtreeEnds: Int32Array,
    private readonly firstChildAt: Int32Array,
    private readonly childCounts: Int32Array,
    private readonly childList: Int32Array,
    private readonly fieldShapeIds: Int32Array,
    private readonly fieldShapes: readonly Fields[],
    private readonly numberLists: ReadonlyMap<PyNode, NumericLiteral>,
  ) {}

  type(node: PyNode): string {
    return this.names[this.typeIds[node]];
  }

  /** The node's type as a number of this tree: compare with {@link typeIdOf} in loops over every node. */
  typeId(node: PyNode): number {
    return this.typeIds[node];
  }

  /** The number of a type name in this tree (-1 when there is none; the first, where a grammar reuses a name for a hidden alias). */
  typeIdOf(name: string): number {
    return this.names.indexOf(name);
  }

  start(node: PyNode): number {
    return this.starts[node];
  }

  end(node: PyNode): number {
    return this.ends[node];
  }

  /** One past the node's last descendant: its subtree is the nodes from it up to there. */
  subtreeEnd(node: PyNode): number {
    return this.subtreeEnds[node];
  }

  /** The node's source text. */
  src(node: PyNode): string {
    return this.text.slice(this.starts[node], this.ends[node]);
  }

  /** The children, in a new array. */
  children(node: PyNode): PyNode[] {
    const first = this.firstChildAt[node];
    const out: PyNode[] = [];
    for (let i = 0, n = this.childCounts[node]; i < n; i++) out.push(this.childList[first + i]);
    return out;
  }

  /** The first child of the given type. */
  childOfType(node: PyNode, type: string): PyNode | undefined {
    const first = this.firstChildAt[node];
    for (let i = 0, n = this.childCounts[node]; i < n; i++) {
      const c = this.childList[first + i];
      if (this.names[this.typeIds[c]] === type) return c;
    }
    return undefined;
  }

  /** The child under a field name (`left`, `body`, ...). */
  child(node: PyNode, field: string): PyNode | undefined {
    const fields = this.fieldShapes[this.fieldShapeIds[node]];
    const i = fields.length > 0 ? fields.indexOf(field) : -1;
    return i >= 0 && i < this.childCounts[node] ? this.childList[this.firstChildAt[node] + i] : undefined;
  }

  childrenOf(node: PyNode, field: string): PyNode[] {
    const fields = this.fieldShapes[this.fieldShapeIds[node]];
    const out: PyNode[] = [];
    const first = this.firstChildAt[node];
    for (let i = 0, n = Math.min(fields.length, this.childCounts[node]); i < n; i++) if (fields[i] === field) out.push(this.childList[first + i]);
    return out;
  }

  /** The numbers of a `numlist` node (a long list or tuple of numbers read from its text). */
  numbers(node: PyNode): NumericLiteral | undefined {
    return this.numberLists.get(node);
  }

  /** The operator token between two operands (`+`, `/`, `and`), read from the text. */
  operatorBetween(left: PyNode, right: PyNode): string {
    return this.text.slice(this.ends[left], this.starts[right]).replace(/[()\s\\]/g, '').trim();
  }
}

/** Leaves we keep but never descend into. */
const LEAF_TYPES = new Set(['string', 'concatenated_string', 'integer', 'float', 'identifier', 'true', 'false', 'none', 'comment']);

const NO_FIELDS: Fields = [];

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
  /**
   * Type names by id: the language's own (`handling` and `fielded` cover those), then the ids the
   * copy adds: the module root, tree-sitter's ERROR symbol (which lies outside the language's
   * table), and the two kinds of leaf the copy makes.
   */
  names: string[];
  module: number;
  error: number;
  opaque: number;
  numlist: number;
  handling: Handling[];
  /** Node types whose children are read by field name. */
  fielded: boolean[];
}

const typeTablesByLanguage = new WeakMap<Language, TypeTables>();

function typeTables(language: Language): TypeTables {
  let tables = typeTablesByLanguage.get(language);
  if (!tables) {
    const count = language.nodeTypeCount;
    tables = { names: [], module: count, error: count + 1, opaque: count + 2, numlist: count + 3, handling: [], fielded: [] };
    for (let id = 0; id < count; id++) {
      const name = language.nodeTypeForId(id) ?? '';
      tables.names.push(name);
      tables.fielded.push(FIELDED.has(name));
      tables.handling.push(handlingOf(name, language.nodeTypeIsNamed(id)));
    }
    tables.names.push('module', 'ERROR', 'opaque', 'numlist');
    typeTablesByLanguage.set(language, tables);
  }
  return tables;
}

function handlingOf(name: string, named: boolean): Handling {
  // A backslash continuation (`tf.data.Dataset.\` then a new line) is named in the grammar, but no part of the expression it splits.
  if (!named || name === 'comment' || name === 'line_continuation') return Handling.Skip;
  if (name === 'identifier' || name === 'integer' || name === 'float') return Handling.Token;
  if (LEAF_TYPES.has(name)) return Handling.Leaf;
  if (name === 'list' || name === 'tuple') return Handling.Sequence;
  return Handling.Descend;
}

/** Node types whose field names depend on the types of their children, not only on how many there are. */
const FIELDS_FOLLOW_CHILD_TYPES = new Set(['function_definition', 'class_definition', 'lambda', 'with_statement']);

/** Field-name arrays by node type and number of children: shared by every node of that shape, never mutated. */
const fieldsByShape = new Map<string, (string | null)[][]>();
/** The same for the types whose names follow their children's types, by the names' content. */
const fieldsByContent = new Map<string, (string | null)[]>();

/**
 * The field names of a complete node's children: one shared array per shape, so that a tree can
 * number its shapes by identity. `kidTypes` is asked for only where the names depend on the
 * children's types (or for a shape seen first).
 */
function fieldsFor(type: string, count: number, kidTypes: () => readonly string[]): (string | null)[] {
  if (FIELDS_FOLLOW_CHILD_TYPES.has(type)) {
    const fields = computeFields(type, kidTypes());
    const key = `${type}:${fields.join(',')}`;
    let shared = fieldsByContent.get(key);
    if (!shared) fieldsByContent.set(key, (shared = fields));
    return shared;
  }
  let byCount = fieldsByShape.get(type);
  if (!byCount) fieldsByShape.set(type, (byCount = []));
  return (byCount[count] ??= computeFields(type, kidTypes()));
}

/**
 * Field names by position among named children, for the node types the analysis reads by field.
 * Computed here rather than asked of tree-sitter to save a WebAssembly call per child.
 */
function computeFields(type: string, kidTypes: readonly string[]): (string | null)[] {
  const n = kidTypes.length;
  const f: (string | null)[] = [];
  for (let i = 0; i < n; i++) f.push(null);
  const set = setFields;
  const typeIndex = (types: string[]): number => kidTypes.findIndex((t) => types.includes(t));
  switch (type) {
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
      f[0] = kidTypes[0] === 'identifier' ? 'name' : null;
      const p = typeIndex(['parameters']);
      if (p >= 0) f[p] = 'parameters';
      const b = typeIndex(['block']);
      if (b >= 0) f[b] = 'body';
      break;
    }
    case 'class_definition': {
      f[0] = kidTypes[0] === 'identifier' ? 'name' : null;
      const s = typeIndex(['argument_list']);
      if (s >= 0) f[s] = 'superclasses';
      const b = typeIndex(['block']);
      if (b >= 0) f[b] = 'body';
      break;
    }
    case 'lambda': {
      const p = typeIndex(['lambda_parameters']);
      if (p >= 0) f[p] = 'parameters';
      if (n > 0 && kidTypes[n - 1] !== 'lambda_parameters') f[n - 1] = 'body';
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
      const b = typeIndex(['block']);
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

/** Growable columns of the copy. */
class Columns {
  typeIds: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  firstChildAt: Int32Array;
  childCounts: Int32Array;
  fieldShapeIds: Int32Array;
  /** One past the last descendant of each node: a node's subtree is the indices from it to there (pre-order). */
  subtreeEnds: Int32Array;
  childList: Int32Array;
  /** Nodes so far; index 0 is unused so that every node is truthy. */
  count = 1;
  childListLength = 0;

  constructor(capacity: number) {
    this.childList = new Int32Array(capacity);
    [this.typeIds, this.starts, this.ends, this.firstChildAt, this.childCounts, this.fieldShapeIds, this.subtreeEnds] = Columns.allocate(capacity);
  }

  /** The per-node columns, carved out of one buffer: a small file's copy makes two allocations, not eight. */
  private static allocate(capacity: number): [Uint16Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array] {
    const typeBytes = capacity * 2 + ((capacity * 2) % 4);
    const buffer = new ArrayBuffer(typeBytes + 6 * capacity * 4);
    const column = (i: number) => new Int32Array(buffer, typeBytes + i * capacity * 4, capacity);
    return [new Uint16Array(buffer, 0, capacity), column(0), column(1), column(2), column(3), column(4), column(5)];
  }

  add(typeId: number, start: number, end: number): PyNode {
    if (this.count === this.starts.length) this.grow();
    const node = this.count++;
    this.typeIds[node] = typeId;
    this.starts[node] = start;
    this.ends[node] = end;
    this.subtreeEnds[node] = node + 1;
    return node;
  }

  /** Appends a complete node's children, as one contiguous run of the child list. */
  setChildren(node: PyNode, children: Int32Array, from: number, to: number): void {
    const count = to - from;
    if (this.childListLength + count > this.childList.length) this.childList = growTo(this.childList, this.childListLength + count);
    this.firstChildAt[node] = this.childListLength;
    this.childCounts[node] = count;
    // A loop, not `set(subarray(...))`: most nodes have a few children, and a view is an allocation.
    for (let i = from; i < to; i++) this.childList[this.childListLength++] = children[i];
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    const old = [this.typeIds, this.starts, this.ends, this.firstChildAt, this.childCounts, this.fieldShapeIds, this.subtreeEnds] as const;
    const grown = Columns.allocate(capacity);
    for (let i = 0; i < old.length; i++) grown[i].set(old[i]);
    [this.typeIds, this.starts, this.ends, this.firstChildAt, this.childCounts, this.fieldShapeIds, this.subtreeEnds] = grown;
  }
}

function growTo<T extends Uint16Array | Int32Array>(array: T, minimum: number): T {
  const grown = new (array.constructor as new (length: number) => T)(Math.max(minimum, array.length * 2));
  grown.set(array);
  return grown;
}

/** Converts the tree into a {@link PyTree}. Iterative: deep nesting cannot overflow the JS stack. */
export function convertTree(tree: Tree, text: string): PyTree {
  const { names, handling, fielded, module: MODULE, error: ERROR, opaque: OPAQUE, numlist: NUMLIST } = typeTables(tree.language);
  // A first guess at the size: about one kept node per three or four characters of typical code.
  const columns = new Columns(Math.max(64, text.length >> 2));
  const fieldShapes: Fields[] = [NO_FIELDS];
  const shapeIds = new Map<Fields, number>();
  const numberLists = new Map<PyNode, NumericLiteral>();
  const root = columns.add(MODULE, 0, text.length);
  // The nodes being filled, and the children copied so far for all of them: each node gets its
  // children as one run of the child list when it is complete.
  // Typed stacks with their own tops: popping a JavaScript array by setting its length is a call into the engine.
  const open = new Int32Array(MAX_DEPTH + 1);
  const openFirstChild = new Int32Array(MAX_DEPTH + 1);
  const openFielded = new Uint8Array(MAX_DEPTH + 1);
  open[0] = root;
  let depth = 1;
  let children = new Int32Array(256);
  let childCount = 0;
  const complete = (): void => {
    depth--;
    const done = open[depth];
    const first = openFirstChild[depth];
    columns.subtreeEnds[done] = columns.count;
    if (childCount > first) {
      columns.setChildren(done, children, first, childCount);
      if (openFielded[depth] === 1) {
        const type = names[columns.typeIds[done]];
        const fields = fieldsFor(type, childCount - first, () => Array.from(children.subarray(first, childCount), (c) => names[columns.typeIds[c]]));
        let id = shapeIds.get(fields);
        if (id === undefined) shapeIds.set(fields, (id = fieldShapes.push(fields) - 1));
        columns.fieldShapeIds[done] = id;
      }
      childCount = first;
    }
  };
  // The columns are kept as they are, a little longer than the tree: copying them to size costs more than the unused tail.
  const finish = (): PyTree =>
    new PyTree(text, names, columns.count, columns.typeIds, columns.starts, columns.ends, columns.subtreeEnds, columns.firstChildAt, columns.childCounts, columns.childList, columns.fieldShapeIds, fieldShapes, numberLists);
  // A cursor, not Node objects: no allocation per node on the binding's side, which is what costs here.
  const cursor = walkTree(tree);
  try {
    if (!cursor.gotoFirstChild()) return finish();
    walk: for (;;) {
      const typeId = cursor.nodeTypeId;
      // tree-sitter's ERROR symbol lies outside the language's table of node types.
      const how = typeId < handling.length ? handling[typeId] : Handling.Descend;
      let descend = false;
      if (how !== Handling.Skip) {
        const start = cursor.startIndex;
        // Identifiers and numbers end where their characters end: reading that from the text saves a call into WebAssembly.
        const end = how === Handling.Token ? tokenEnd(text, start) : cursor.endIndex;
        const node = columns.add(typeId < handling.length && names[typeId] ? typeId : ERROR, start, end);
        if (childCount === children.length) children = growTo(children, childCount + 1);
        children[childCount++] = node;
        if (depth >= MAX_DEPTH) {
          columns.typeIds[node] = OPAQUE;
        } else if (how === Handling.Sequence && end - start >= FAST_LITERAL_MIN_LENGTH) {
          const numbers = parseNumericLiteral(text.slice(start, end));
          if (numbers) {
            columns.typeIds[node] = NUMLIST;
            numberLists.set(node, numbers);
          } else descend = true;
        } else descend = how === Handling.Descend || how === Handling.Sequence;
        if (descend && cursor.gotoFirstChild()) {
          open[depth] = node;
          openFirstChild[depth] = childCount;
          openFielded[depth] = fielded[typeId] === true ? 1 : 0;
          depth++;
          continue;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) break walk;
        complete();
        if (depth === 0) return finish();
      }
    }
  } finally {
    cursor.delete();
  }
  while (depth > 0) complete();
  return finish();
}
