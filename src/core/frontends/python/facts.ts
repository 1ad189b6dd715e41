/**
 * Facts the rules decide on that the abstract run does not produce, read from the syntax tree
 * after it: what a call's exponent is, what a statement assigns, whether the file sorts or
 * shuffles its rows, trains with its own loop, or counts a Sequence's batches one too many.
 * From the tree, so that a comment or a string never stands for code.
 */
import type { DataSpec, ModelSpec, NumericOp, SourceLocation } from '../../ir';
import type { LineIndex } from '../../text';
import { customActivityRegularizer } from '../../keras/regularizers';
import { parseNumberText, parseStringText, pythonArithmetic } from './literals';
import type { PyNode, PyTree } from './syntax';

export interface SyntaxFactsInput {
  path: string;
  tree: PyTree;
  lines: LineIndex;
  models: ModelSpec[];
}

/** Generators of counts: their draws are exactly 0 with positive probability. */
const COUNTS = new Set(['poisson', 'binomial', 'randint', 'integers', 'geometric', 'negative_binomial', 'zeros']);
/** Calls and activations that keep a value bounded, so that exp of it cannot overflow. */
const BOUNDED = /clip|softplus|tanh|sigmoid|hard_sigmoid|minimum|maximum|relu6/i;
/** Calls that keep a value away from 0 (or name an epsilon). */
const GUARDING = /clip|maximum|epsilon|softplus/;
const NAN_HANDLING = new Set(['dropna', 'fillna', 'interpolate', 'ffill', 'bfill', 'nan_to_num']);
const SORTS = new Set(['sort_values', 'sort_index', 'argsort']);
const TIME_WORD = /date|time|timestamp|datetime|day|month|year|period|epoch/i;
const SEQUENCE_BASE = /^(Sequence|PyDataset)$/;

interface Assignment {
  node: PyNode;
  /** `x` for `x = ...` and `self.x = ...`. */
  name: string;
  right: PyNode;
}

class TreeFacts {
  readonly calls: PyNode[] = [];
  readonly assignments: Assignment[] = [];
  readonly callAt = new Map<number, PyNode>();
  readonly nodeAt = new Map<number, PyNode>();

  constructor(
    readonly tree: PyTree,
    readonly lines: LineIndex,
    readonly path: string,
  ) {
    const [CALL, ASSIGNMENT] = ['call', 'assignment'].map((t) => tree.typeIdOf(t));
    for (let node = tree.root; node < tree.nodeCount; node++) {
      const start = tree.start(node);
      if (!this.nodeAt.has(start)) this.nodeAt.set(start, node);
      const type = tree.typeId(node);
      if (type === CALL) {
        this.calls.push(node);
        if (!this.callAt.has(start)) this.callAt.set(start, node);
      } else if (type === ASSIGNMENT) {
        const left = tree.child(node, 'left');
        const right = tree.child(node, 'right');
        const name = left !== undefined ? this.targetName(left) : undefined;
        if (name && right !== undefined) this.assignments.push({ node, name, right });
      }
    }
  }

  private targetName(left: PyNode): string | undefined {
    const { tree } = this;
    if (tree.type(left) === 'identifier') return tree.src(left);
    if (tree.type(left) === 'attribute') {
      const object = tree.child(left, 'object');
      const attr = tree.child(left, 'attribute');
      if (object !== undefined && attr !== undefined && tree.type(object) === 'identifier' && tree.src(object) === 'self') return tree.src(attr);
    }
    return undefined;
  }

  offsetOf(location: SourceLocation): number {
    return this.lines.offsetAt(location.range.start);
  }

  contains(outer: PyNode, inner: PyNode): boolean {
    return inner > outer && inner < this.tree.subtreeEnd(outer);
  }

  /** The last name of a call's callee: `log1p` for `np.log1p(x)`. */
  calleeName(call: PyNode): string {
    const { tree } = this;
    const callee = tree.child(call, 'function');
    if (callee === undefined) return '';
    if (tree.type(callee) === 'identifier') return tree.src(callee);
    if (tree.type(callee) === 'attribute') {
      const attr = tree.child(callee, 'attribute');
      return attr !== undefined ? tree.src(attr) : '';
    }
    return '';
  }

  /** The callee's dotted name (`np.random.rand`), when it is one. */
  dottedCallee(call: PyNode): string | undefined {
    const callee = this.tree.child(call, 'function');
    return callee !== undefined ? this.dotted(callee) : undefined;
  }

  dotted(node: PyNode): string | undefined {
    const { tree } = this;
    if (tree.type(node) === 'identifier') return tree.src(node);
    if (tree.type(node) !== 'attribute') return undefined;
    const object = tree.child(node, 'object');
    const attr = tree.child(node, 'attribute');
    const head = object !== undefined ? this.dotted(object) : undefined;
    return head !== undefined && attr !== undefined ? `${head}.${tree.src(attr)}` : undefined;
  }

  positional(call: PyNode): PyNode[] {
    const args = this.tree.child(call, 'arguments');
    return args === undefined ? [] : this.tree.children(args).filter((a) => this.tree.type(a) !== 'keyword_argument');
  }

  keyword(call: PyNode, name: string): PyNode | undefined {
    const { tree } = this;
    const args = tree.child(call, 'arguments');
    if (args === undefined) return undefined;
    for (const a of tree.children(args)) {
      if (tree.type(a) !== 'keyword_argument') continue;
      const key = tree.child(a, 'name');
      if (key !== undefined && tree.src(key) === name) return tree.child(a, 'value') ?? a;
    }
    return undefined;
  }

  /** Nodes of a subtree of the given type, in order. */
  within(node: PyNode, type: string): PyNode[] {
    const { tree } = this;
    const id = tree.typeIdOf(type);
    const out: PyNode[] = [];
    for (let n = node; n < tree.subtreeEnd(node); n++) if (tree.typeId(n) === id) out.push(n);
    return out;
  }

  /** The calls of a subtree: a slice of the calls, which are in pre-order. */
  callsWithin(node: PyNode): PyNode[] {
    const end = this.tree.subtreeEnd(node);
    let lo = 0;
    let hi = this.calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.calls[mid] < node) lo = mid + 1;
      else hi = mid;
    }
    const out: PyNode[] = [];
    for (let i = lo; i < this.calls.length && this.calls[i] < end; i++) out.push(this.calls[i]);
    return out;
  }

  identifiersWithin(node: PyNode): Set<string> {
    return new Set(this.within(node, 'identifier').map((n) => this.tree.src(n)));
  }

  stringValue(node: PyNode): string | undefined {
    return this.tree.type(node) === 'string' ? parseStringText(this.tree.src(node)) : undefined;
  }

  /** The strings of a string or a list of strings. */
  strings(node: PyNode): string[] {
    const one = this.stringValue(node);
    if (one !== undefined) return [one];
    return this.within(node, 'string').map((s) => parseStringText(this.tree.src(s)) ?? '');
  }

  /** A constant number: `0.5`, `-2`, `1/3`, `(1. / 3)`. */
  constant(node: PyNode): number | undefined {
    const { tree } = this;
    switch (tree.type(node)) {
      case 'integer':
      case 'float': {
        const v = parseNumberText(tree.src(node));
        return Number.isFinite(v) ? v : undefined;
      }
      case 'parenthesized_expression': {
        const inner = tree.children(node)[0];
        return inner !== undefined ? this.constant(inner) : undefined;
      }
      case 'unary_operator': {
        const inner = tree.child(node, 'argument');
        const v = inner !== undefined ? this.constant(inner) : undefined;
        if (v === undefined || inner === undefined) return undefined;
        const op = tree.text.slice(tree.start(node), tree.start(inner)).trim();
        return op === '-' ? -v : op === '+' ? v : undefined;
      }
      case 'binary_operator': {
        const left = tree.child(node, 'left');
        const right = tree.child(node, 'right');
        if (left === undefined || right === undefined) return undefined;
        const a = this.constant(left);
        const b = this.constant(right);
        if (a === undefined || b === undefined) return undefined;
        // A division by zero (inf) or 0/0 is no constant a rule can use.
        const value = pythonArithmetic(tree.operatorBetween(left, right) ?? '', a, b);
        return value !== undefined && Number.isFinite(value) ? value : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The whole line a node starts on, as the findings that point at a statement show it. */
  lineLocation(node: PyNode): SourceLocation {
    const line = this.lines.positionAt(this.tree.start(node)).line;
    return { path: this.path, range: { start: { line, character: 0 }, end: { line, character: this.lines.lineText(line)?.length ?? 0 } } };
  }

  /** Where a node is in the file, start to end. */
  nodeLocation(node: PyNode): SourceLocation {
    return { path: this.path, range: { start: this.lines.positionAt(this.tree.start(node)), end: this.lines.positionAt(this.tree.end(node)) } };
  }

  line(node: PyNode): number {
    return this.lines.positionAt(this.tree.start(node)).line;
  }

  /** The innermost node of a type that contains the node. */
  enclosing(node: PyNode, type: string, among?: PyNode[]): PyNode | undefined {
    let found: PyNode | undefined;
    for (const candidate of among ?? this.within(this.tree.root, type)) {
      if (candidate >= node) break;
      if (this.contains(candidate, node)) found = candidate;
    }
    return found;
  }
}

function numericFacts(facts: TreeFacts, op: NumericOp, functions: PyNode[]): void {
  const call = facts.callAt.get(facts.offsetOf(op.location));
  if (call === undefined) return;
  const { tree } = facts;
  op.call = facts.calleeName(call);
  const args = facts.positional(call);
  if (op.fn === 'pow' && args[1] !== undefined) {
    const exponent = facts.constant(args[1]);
    if (exponent !== undefined) op.exponent = exponent;
  }
  // The innermost assignment whose right side holds the call: the last such one in pre-order.
  for (let i = facts.assignments.length - 1; i >= 0; i--) {
    const a = facts.assignments[i];
    if (a.node > call || !(a.right === call || facts.contains(a.right, call))) continue;
    if (tree.type(tree.child(a.node, 'left') ?? a.node) === 'identifier') op.assignedTo = a.name;
    break;
  }
  const argument = args[0];
  if (argument === undefined) return;
  if (tree.type(argument) === 'identifier') {
    const name = tree.src(argument);
    for (const a of facts.assignments) {
      if (a.name !== name || tree.type(tree.child(a.node, 'left') ?? a.node) !== 'identifier') continue;
      const generator = facts.callsWithin(a.right).map((c) => facts.calleeName(c)).find((n) => COUNTS.has(n));
      if (generator) {
        op.countsFrom = generator;
        break;
      }
    }
  }
  const names = facts.identifiersWithin(argument);
  if (op.fn === 'exp') {
    const bounded = [...names].filter((name) => facts.assignments.some((a) => a.name === name && boundsValue(facts, a.right)));
    if (bounded.length > 0) op.boundedVariables = bounded;
  }
  if (op.context === 'loss') {
    const fn = facts.enclosing(call, 'function_definition', functions);
    const guards = fn === undefined ? [] : facts.assignments.filter((a) => facts.contains(fn, a.node) && a.node < call && names.has(a.name) && guardsValue(facts, a.right));
    if (guards.length > 0) op.guardedBefore = true;
    // log(1 - p) with p clipped (earlier, or inside the argument) below an upper bound float32 rounds to 1.0.
    if (op.fn === 'log' && oneMinus(facts, argument)) {
      const clips = [...guards.flatMap((a) => facts.callsWithin(a.right)), ...facts.callsWithin(argument)].filter((c) => /clip/.test(facts.calleeName(c)));
      for (const clip of clips) {
        const hi = upperBound(facts, clip);
        if (hi === undefined || hi.value >= 1 || Math.fround(hi.value) < 1) continue;
        op.absorbedBound = { value: hi.value, location: facts.nodeLocation(hi.node) };
        break;
      }
    }
  }
}

/** `1 - p` (or `1. - p`), the complement of a probability. */
function oneMinus(facts: TreeFacts, node: PyNode): boolean {
  const { tree } = facts;
  const inner = tree.type(node) === 'parenthesized_expression' ? tree.children(node)[0] : node;
  if (inner === undefined || tree.type(inner) !== 'binary_operator') return false;
  const left = tree.child(inner, 'left');
  const right = tree.child(inner, 'right');
  return left !== undefined && right !== undefined && tree.operatorBetween(left, right) === '-' && facts.constant(left) === 1;
}

/** A clip's constant upper bound: `clip(x, lo, hi)`, `clip_by_value(x, lo, hi)`, `clip(x, max=hi)`. */
function upperBound(facts: TreeFacts, clip: PyNode): { value: number; node: PyNode } | undefined {
  const node = facts.positional(clip)[2] ?? facts.keyword(clip, 'max_value') ?? facts.keyword(clip, 'clip_value_max') ?? facts.keyword(clip, 'a_max') ?? facts.keyword(clip, 'max');
  const value = node === undefined ? undefined : facts.constant(node);
  return node === undefined || value === undefined ? undefined : { value, node };
}

/** A value made by a bounding call or with a bounded activation. */
function boundsValue(facts: TreeFacts, right: PyNode): boolean {
  for (const c of facts.callsWithin(right)) {
    if (BOUNDED.test(facts.calleeName(c))) return true;
    const activation = facts.keyword(c, 'activation');
    if (activation !== undefined && (BOUNDED.test(facts.stringValue(activation) ?? '') || BOUNDED.test(facts.dotted(activation) ?? ''))) return true;
    if (facts.calleeName(c) === 'Activation') {
      const first = facts.positional(c)[0];
      if (first !== undefined && BOUNDED.test(facts.stringValue(first) ?? facts.dotted(first) ?? '')) return true;
    }
  }
  return false;
}

/** A value clipped, floored, passed through softplus, or offset by a small constant or an epsilon. */
function guardsValue(facts: TreeFacts, right: PyNode): boolean {
  const { tree } = facts;
  if (facts.callsWithin(right).some((c) => GUARDING.test(facts.calleeName(c)))) return true;
  if ([...facts.identifiersWithin(right)].some((n) => /epsilon/.test(n))) return true;
  return facts.within(right, 'binary_operator').some((b) => {
    const l = tree.child(b, 'left');
    const r = tree.child(b, 'right');
    return l !== undefined && r !== undefined && tree.operatorBetween(l, r) === '+' && tree.type(r) === 'float' && /^1e-/i.test(tree.src(r));
  });
}

function dataOrder(facts: TreeFacts): ModelSpec['dataOrder'] {
  const { tree } = facts;
  const sort = facts.calls.find((c) => {
    const name = facts.calleeName(c);
    if (SORTS.has(name)) return tree.type(tree.child(c, 'function') ?? c) === 'attribute';
    if (name === 'sorted') return tree.type(tree.child(c, 'function') ?? c) === 'identifier';
    return name === 'sort' && /^(np|numpy)\.sort$/.test(facts.dottedCallee(c) ?? '');
  });
  const shuffled = facts.calls.some((c) => {
    const name = facts.calleeName(c);
    return name === 'shuffle' || name === 'permutation' || name === 'train_test_split' || (name === 'sample' && facts.keyword(c, 'frac') !== undefined);
  });
  const dates =
    facts.calls.some((c) => {
      const name = facts.calleeName(c);
      if (name === 'to_datetime' || name === 'date_range' || name === 'DatetimeIndex') return true;
      if (facts.keyword(c, 'parse_dates') !== undefined) return true;
      const index = facts.keyword(c, 'index_col');
      return index !== undefined && /date|time/i.test(facts.stringValue(index) ?? '');
    }) || facts.within(tree.root, 'attribute').some((a) => /\.DatetimeIndex$/.test(facts.dotted(a) ?? ''));
  let chronological = dates;
  if (sort !== undefined) {
    const name = facts.calleeName(sort);
    const key = facts.keyword(sort, 'by') ?? facts.positional(sort)[0];
    const byTime = name === 'sort_values' && key !== undefined && facts.strings(key).some((s) => TIME_WORD.test(s));
    chronological = byTime || (name === 'sort_index' && dates);
  }
  return { ...(sort !== undefined ? { sortedAt: facts.lineLocation(sort) } : {}), shuffled, chronological };
}

function customTrainingLoop(facts: TreeFacts): ModelSpec['customTrainingLoop'] {
  const tape = facts.calls.find((c) => facts.calleeName(c) === 'GradientTape');
  if (tape === undefined) return undefined;
  if (facts.calls.some((c) => facts.calleeName(c) === 'fit' && facts.tree.type(facts.tree.child(c, 'function') ?? c) === 'attribute')) return undefined;
  const lossScaled = facts.within(facts.tree.root, 'identifier').some((n) => facts.tree.src(n) === 'LossScaleOptimizer');
  return { location: facts.lineLocation(tape), lossScaled };
}

/** `len(x) // batch_size + 1`, also inside `int(...)` or parentheses. */
function floorPlusOne(facts: TreeFacts, node: PyNode): boolean {
  const { tree } = facts;
  if (tree.type(node) !== 'binary_operator') return false;
  const left = tree.child(node, 'left');
  const right = tree.child(node, 'right');
  if (left === undefined || right === undefined || tree.operatorBetween(left, right) !== '+' || facts.constant(right) !== 1) return false;
  let inner: PyNode | undefined = left;
  while (inner !== undefined && (tree.type(inner) === 'parenthesized_expression' || (tree.type(inner) === 'call' && facts.dottedCallee(inner) === 'int'))) {
    inner = tree.type(inner) === 'call' ? facts.positional(inner)[0] : tree.children(inner)[0];
  }
  if (inner === undefined || tree.type(inner) !== 'binary_operator') return false;
  const a = tree.child(inner, 'left');
  const b = tree.child(inner, 'right');
  return a !== undefined && b !== undefined && tree.operatorBetween(a, b) === '//' && tree.type(a) === 'call' && facts.dottedCallee(a) === 'len';
}

function sequenceLengthPlusOne(facts: TreeFacts): SourceLocation | undefined {
  const { tree } = facts;
  for (const cls of facts.within(tree.root, 'class_definition')) {
    const bases = tree.child(cls, 'superclasses');
    if (bases === undefined || !tree.children(bases).some((b) => SEQUENCE_BASE.test((facts.dotted(b) ?? '').split('.').pop() ?? ''))) continue;
    for (const fn of facts.within(cls, 'function_definition')) {
      const name = tree.child(fn, 'name');
      const body = tree.child(fn, 'body');
      if (name === undefined || tree.src(name) !== '__len__' || body === undefined) continue;
      const first = tree.children(body)[0];
      if (first === undefined || tree.type(first) !== 'return_statement') continue;
      const value = tree.children(first)[0];
      if (value !== undefined && floorPlusOne(facts, value)) return facts.lineLocation(first);
    }
  }
  return undefined;
}

/** The latest plain assignment to a name starting on or before a line. */
function assignmentBefore(facts: TreeFacts, name: string, line: number): Assignment | undefined {
  let found: Assignment | undefined;
  for (const a of facts.assignments) {
    if (facts.line(a.node) > line) break;
    if (a.name === name && facts.tree.type(facts.tree.child(a.node, 'left') ?? a.node) === 'identifier') found = a;
  }
  return found;
}

/** `pct_change()` or `diff()` on the assignments that lead to an array the analysis could not follow. */
function differenced(facts: TreeFacts, data: DataSpec): DataSpec['differenced'] {
  if (data.source.kind !== 'unknown' || data.transforms.length > 0 || !data.location || data.location.path !== facts.path) return undefined;
  const { tree } = facts;
  let name = data.name;
  let line = data.location.range.start.line;
  let found: DataSpec['differenced'];
  for (let depth = 0; depth < 8 && /^[A-Za-z_]\w*$/.test(name); depth++) {
    const a = assignmentBefore(facts, name, line);
    if (!a) break;
    const called = facts.callsWithin(a.right).map((c) => facts.calleeName(c));
    if (called.some((n) => NAN_HANDLING.has(n) || /Imputer/.test(n))) return undefined;
    const method = called.find((n): n is 'pct_change' | 'diff' => n === 'pct_change' || n === 'diff');
    if (method) found = { method, location: facts.lineLocation(a.node) };
    // The variable the right side starts from: `prices` in `prices.pct_change().values`.
    let head: PyNode | undefined = a.right;
    while (head !== undefined && tree.type(head) !== 'identifier') {
      const t = tree.type(head);
      head = t === 'call' ? tree.child(head, 'function') : t === 'attribute' ? tree.child(head, 'object') : t === 'subscript' ? tree.child(head, 'value') : undefined;
    }
    if (head === undefined) break;
    name = tree.src(head);
    line = facts.line(a.node) - 1;
  }
  return found;
}

/** Rows made by `name = np.random.rand(1000, 8)` or `np.zeros((1000, 8))`: the first such assignment. */
function literalRows(facts: TreeFacts, name: string): number | undefined {
  const { tree } = facts;
  for (const a of facts.assignments) {
    if (a.name !== name || tree.type(tree.child(a.node, 'left') ?? a.node) !== 'identifier' || tree.type(a.right) !== 'call') continue;
    if (!/^np\.(random\.)?\w+$/.test(facts.dottedCallee(a.right) ?? '')) continue;
    const args = facts.positional(a.right);
    const first = args[0];
    if (first === undefined) continue;
    if (tree.type(first) === 'integer' && args.length >= 2) return facts.constant(first);
    if (tree.type(first) === 'tuple') {
      const parts = tree.children(first);
      if (parts.length >= 2 && tree.type(parts[0]) === 'integer') return facts.constant(parts[0]);
    }
  }
  return undefined;
}

/** Rows of `X[a:b]` when X was made with a literal row count and the IR's shape is unknown. */
function sliceRows(facts: TreeFacts, data: DataSpec): number | undefined {
  if (data.source.kind !== 'derived' || data.source.location.path !== facts.path) return undefined;
  const { tree } = facts;
  const node = facts.nodeAt.get(facts.offsetOf(data.source.location));
  const subscript = node !== undefined && tree.type(node) === 'subscript' ? node : undefined;
  if (subscript === undefined) return undefined;
  const value = tree.child(subscript, 'value');
  const parts = tree.childrenOf(subscript, 'subscript');
  if (value === undefined || tree.type(value) !== 'identifier' || tree.src(value) !== data.source.of || parts.length !== 1 || tree.type(parts[0]) !== 'slice') return undefined;
  const text = tree.src(parts[0]).replace(/\s+/g, '');
  const m = /^(\d*):(\d*)$/.exec(text);
  if (!m) return undefined;
  const total = literalRows(facts, data.source.of);
  if (total === undefined) return undefined;
  const start = m[1] === '' ? 0 : Math.min(Number(m[1]), total);
  const end = m[2] === '' ? total : Math.min(Number(m[2]), total);
  return Math.max(0, end - start);
}

/** `from_logits=True` in the compile call, or on the loss object it passes by name. */
function fromLogits(facts: TreeFacts, location: SourceLocation): boolean {
  const { tree } = facts;
  const call = facts.callAt.get(facts.offsetOf(location)) ?? facts.nodeAt.get(facts.offsetOf(location));
  if (call === undefined) return false;
  const logits = (node: PyNode) => facts.callsWithin(node).some((c) => {
    const v = facts.keyword(c, 'from_logits');
    return v !== undefined && tree.type(v) === 'true';
  });
  if (logits(call)) return true;
  const compile = tree.type(call) === 'call' ? call : facts.callsWithin(call)[0];
  const loss = compile !== undefined ? facts.keyword(compile, 'loss') : undefined;
  if (loss === undefined || tree.type(loss) !== 'identifier') return false;
  const name = tree.src(loss);
  return facts.assignments.some((a) => a.name === name && logits(a.right));
}

/** The parameters of a function definition, `self` left out. */
function parameterNames(facts: TreeFacts, fn: PyNode): string[] {
  const { tree } = facts;
  const params = tree.child(fn, 'parameters');
  if (params === undefined) return [];
  return tree
    .children(params)
    .map((p) => (tree.type(p) === 'identifier' ? tree.src(p) : tree.type(p) === 'default_parameter' || tree.type(p) === 'typed_parameter' || tree.type(p) === 'typed_default_parameter' ? tree.src(tree.child(p, 'name') ?? tree.children(p)[0] ?? p) : ''))
    .filter((n) => n !== '' && n !== 'self');
}

/**
 * The names inside each function that carry a regularizer's input (the layer's activations):
 * its parameter, what is assigned from it, and, through calls to the file's own functions, the
 * parameters those receive it in (`kl_divergence(rho, rho_hat)` with `rho_hat = mean(x)`), a few calls deep.
 */
function activationNames(facts: TreeFacts, entry: PyNode, functions: Map<string, PyNode>): Map<PyNode, Set<string>> {
  const { tree } = facts;
  const carried = new Map<PyNode, Set<string>>();
  const visit = (fn: PyNode, names: Set<string>, depth: number): void => {
    const known = carried.get(fn) ?? new Set<string>();
    const fresh = [...names].filter((n) => !known.has(n));
    if (fresh.length === 0) return;
    for (const n of fresh) known.add(n);
    carried.set(fn, known);
    // Assignments in order: a name assigned from a carrying value carries it too.
    for (const a of facts.assignments) {
      if (!facts.contains(fn, a.node)) continue;
      if ([...facts.identifiersWithin(a.right)].some((n) => known.has(n))) known.add(a.name);
    }
    if (depth >= 3) return;
    for (const call of facts.callsWithin(fn)) {
      const callee = functions.get(facts.calleeName(call));
      if (callee === undefined || callee === fn || tree.type(tree.child(call, 'function') ?? call) !== 'identifier') continue;
      const params = parameterNames(facts, callee);
      const passed = new Set<string>();
      facts.positional(call).forEach((arg, i) => {
        if (params[i] !== undefined && [...facts.identifiersWithin(arg)].some((n) => known.has(n))) passed.add(params[i]);
      });
      if (passed.size > 0) visit(callee, passed, depth + 1);
    }
  };
  const params = parameterNames(facts, entry);
  if (params[0] !== undefined) visit(entry, new Set([params[0]]), 0);
  return carried;
}

/** Marks the numeric ops whose argument reads the activations a custom activity regularizer receives. */
function regularizerInputs(facts: TreeFacts, models: ModelSpec[], functions: PyNode[]): void {
  const names = new Set<string>();
  for (const layer of models.flatMap((m) => m.layers)) {
    const reg = customActivityRegularizer(layer);
    const name = reg?.functionName ?? reg?.className;
    if (name !== undefined) names.add(name);
  }
  if (names.size === 0) return;
  const { tree } = facts;
  const classes = facts.within(tree.root, 'class_definition');
  const topLevel = new Map<string, PyNode>();
  for (const fn of functions) {
    const name = tree.child(fn, 'name');
    if (name !== undefined && facts.enclosing(fn, 'function_definition', functions) === undefined && facts.enclosing(fn, 'class_definition', classes) === undefined) topLevel.set(tree.src(name), fn);
  }
  const ops = [...new Set(models.flatMap((m) => m.numerics))].filter((op) => op.location.path === facts.path);
  for (const name of names) {
    let entry = topLevel.get(name);
    if (entry === undefined) {
      // A Regularizer class: Keras calls its __call__ with the activations.
      const cls = classes.find((c) => tree.src(tree.child(c, 'name') ?? c) === name);
      entry = cls === undefined ? undefined : functions.find((f) => facts.contains(cls, f) && tree.src(tree.child(f, 'name') ?? f) === '__call__');
    }
    if (entry === undefined) continue;
    const carried = activationNames(facts, entry, topLevel);
    for (const op of ops) {
      const call = facts.callAt.get(facts.offsetOf(op.location));
      if (call === undefined) continue;
      const fn = facts.enclosing(call, 'function_definition', functions);
      const argument = facts.positional(call)[0];
      const inFn = fn !== undefined ? carried.get(fn) : undefined;
      if (!inFn || argument === undefined || ![...facts.identifiersWithin(argument)].some((n) => inFn.has(n))) continue;
      op.activationsOf = [...new Set([...(op.activationsOf ?? []), name])];
    }
  }
}

/** Attaches the facts to the models of one file. */
export function attachSyntaxFacts(input: SyntaxFactsInput): void {
  if (input.models.length === 0) return;
  const facts = new TreeFacts(input.tree, input.lines, input.path);
  const functions = facts.within(input.tree.root, 'function_definition');
  const order = dataOrder(facts);
  const loop = customTrainingLoop(facts);
  const sequence = sequenceLengthPlusOne(facts);
  const seenOps = new Set<NumericOp>();
  const seenData = new Set<DataSpec>();
  regularizerInputs(facts, input.models, functions);
  for (const model of input.models) {
    model.dataOrder = order;
    if (loop) model.customTrainingLoop = loop;
    if (sequence) model.sequenceLengthPlusOne = sequence;
    for (const op of model.numerics) {
      if (seenOps.has(op) || op.location.path !== input.path) continue;
      seenOps.add(op);
      numericFacts(facts, op, functions);
    }
    const loss = model.compile?.loss;
    const where = model.compile?.location ?? loss?.location;
    if (loss && where && where.path === input.path && fromLogits(facts, where)) loss.fromLogits = true;
    const validation = model.fit?.validation;
    const arrays = [model.data.train, model.data.target, ...(validation?.kind === 'data' ? [validation.x, validation.y] : [])];
    for (const data of arrays) {
      if (!data || seenData.has(data)) continue;
      seenData.add(data);
      const diff = differenced(facts, data);
      if (diff) data.differenced = diff;
      const rows = sliceRows(facts, data);
      if (rows !== undefined) data.sliceRows = rows;
    }
  }
}
