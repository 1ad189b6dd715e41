/**
 * Translates small Python functions on tensors into {@link TensorExpr}: a `Lambda` layer's
 * function (`lambda x: x * 0.1`, `lambda t: K.clip(t, 0, 1)`) or a custom loss
 * (`def rmse(y_true, y_pred): return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))`), when
 * they are made of element-wise operations and reductions of `tf.*`, `K.*` (keras.backend) and
 * `keras.ops.*`. Anything else gives a sentence naming the line and what could not be translated.
 * Never runs the code: names are resolved by the evaluator, numbers must be known.
 */
import { type TensorExpr, isReduceOp, isUnaryOp, type BinaryOp, type ReduceOp, type UnaryOp } from '../../tensorExpr';
import { canonicalPath, lastSegment } from './keras';
import type { PyNode, PyTree } from './syntax';
import type { Value } from './values';

export interface ExpressionContext {
  t: PyTree;
  /** The value of a name or dotted name in the function's scope (module paths come back as refs). */
  resolve(node: PyNode): Value;
  /** 1-based line of a node, for messages. */
  line(node: PyNode): number;
  /**
   * A function of the program's own called inside the one translated (`kl_divergence(rho, rho_hat)`):
   * its node and a context for its body (its names resolve where it was defined); undefined for other values.
   */
  inline?(callee: Value): { ctx: ExpressionContext; node: PyNode } | undefined;
}

export type Translation = { expr: TensorExpr } | { problem: string };

class Untranslatable extends Error {}

/** Module prefixes whose functions are tensor operations (after `canonicalPath`). */
const TENSOR_MODULES = /^(keras\.backend|keras\.ops|keras\.ops\.numpy|keras\.activations|keras\.losses|keras\.metrics|tensorflow|tensorflow\.math|tensorflow\.nn|tensorflow\.keras\.backend|tensorflow\.experimental\.numpy)\./;

/** Function names (last segment) to unary operations. */
const UNARY: Record<string, UnaryOp> = {
  exp: 'exp', log: 'log', log1p: 'log1p', expm1: 'expm1', sqrt: 'sqrt', rsqrt: 'rsqrt', square: 'square', abs: 'abs', absolute: 'abs',
  sign: 'sign', reciprocal: 'reciprocal', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu',
  softplus: 'softplus', softsign: 'softsign', sin: 'sin', cos: 'cos', floor: 'floor', ceil: 'ceil', round: 'round', negative: 'neg', neg: 'neg',
};

const BINARY: Record<string, BinaryOp> = {
  add: 'add', subtract: 'sub', multiply: 'mul', divide: 'div', truediv: 'div', true_divide: 'div', pow: 'pow', power: 'pow',
  maximum: 'maximum', minimum: 'minimum', squared_difference: 'squared_difference',
};

const REDUCE: Record<string, ReduceOp> = {
  mean: 'mean', reduce_mean: 'mean', sum: 'sum', reduce_sum: 'sum', max: 'max', reduce_max: 'max', min: 'min', reduce_min: 'min', prod: 'prod', reduce_prod: 'prod',
};

/** Python operators to binary operations. */
const OPERATORS: Record<string, BinaryOp> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '**': 'pow' };

/** Keras's backend epsilon (`K.epsilon()`). */
const KERAS_EPSILON = 1e-7;

/**
 * Translates a `lambda` or `def` node taking `arity` tensors (a Lambda layer: 1; a loss: y_true
 * and y_pred) into an expression, or says why it cannot.
 */
export function translateFunction(ctx: ExpressionContext, fn: PyNode, arity: number, options: { boundSelf?: boolean } = {}): Translation {
  try {
    const params = parameters(ctx, fn);
    // A method's `self` is bound to its object (whose attributes the context resolves), not passed.
    const names = (options.boundSelf ? params.slice(1) : params).map((p) => p.name);
    if (names.length < arity) return { problem: `line ${ctx.line(fn)}: the function takes ${names.length} argument${names.length === 1 ? '' : 's'} where ${arity} are passed` };
    const env = new Map<string, TensorExpr>();
    names.slice(0, arity).forEach((name, index) => env.set(name, { op: 'arg', index }));
    return { expr: translateBody(ctx, fn, env, 0) };
  } catch (error) {
    if (error instanceof Untranslatable) return { problem: error.message };
    throw error;
  }
}

/** A function's parameters: names, and the node of each default. */
function parameters(ctx: ExpressionContext, fn: PyNode): Array<{ name: string; default?: PyNode }> {
  const { t } = ctx;
  const params = t.child(fn, 'parameters');
  const out: Array<{ name: string; default?: PyNode }> = [];
  for (const p of params ? t.children(params) : []) {
    const type = t.type(p);
    if (type === 'identifier') out.push({ name: t.src(p) });
    else if (type === 'typed_parameter') out.push({ name: t.src(t.children(p)[0] ?? p) });
    else if (type === 'default_parameter' || type === 'typed_default_parameter') out.push({ name: t.src(t.child(p, 'name') ?? p), default: t.child(p, 'value') });
    else fail(ctx, p, 'is a parameter nanguard cannot pass');
  }
  return out;
}

/** The value a lambda or `def` returns, with its parameters bound in `env`: plain assignments, then a return. */
function translateBody(ctx: ExpressionContext, fn: PyNode, env: Map<string, TensorExpr>, depth: number): TensorExpr {
  const { t } = ctx;
  const body = t.child(fn, 'body');
  if (t.type(fn) === 'lambda') return body === undefined ? fail(ctx, fn, 'has no body') : translate(ctx, body, env, depth + 1);
  for (const statement of body ? t.children(body) : []) {
    const type = t.type(statement);
    if (type === 'expression_statement') {
      const inner = t.children(statement)[0];
      if (inner !== undefined && t.type(inner) === 'string') continue; // a docstring
      if (inner !== undefined && t.type(inner) === 'assignment') {
        const left = t.child(inner, 'left');
        const right = t.child(inner, 'right');
        if (left !== undefined && right !== undefined && t.type(left) === 'identifier') {
          env.set(t.src(left), translate(ctx, right, env, depth + 1));
          continue;
        }
      }
      fail(ctx, statement, 'is not a plain assignment of a tensor expression');
    }
    if (type === 'return_statement') {
      const value = t.children(statement)[0];
      if (value === undefined) fail(ctx, statement, 'returns nothing');
      return translate(ctx, value, env, depth + 1);
    }
    fail(ctx, statement, 'is Python control flow or a statement nanguard does not translate');
  }
  throw new Untranslatable(`line ${ctx.line(fn)}: the function returns nothing nanguard can read`);
}

/**
 * A call of one of the program's own functions inside the translated one, inlined: its
 * parameters bound to the arguments' expressions (defaults when they are numbers), its body
 * translated where it was defined.
 */
function inlineCall(ctx: ExpressionContext, node: PyNode, callee: { ctx: ExpressionContext; node: PyNode }, positional: PyNode[], keywords: Map<string, PyNode>, env: Map<string, TensorExpr>, depth: number): TensorExpr {
  const params = parameters(callee.ctx, callee.node);
  if (positional.length > params.length) fail(ctx, node, 'passes more arguments than the function takes');
  const bound = new Map<string, TensorExpr>();
  params.forEach((p, i) => {
    const given = i < positional.length ? positional[i] : keywords.get(p.name);
    if (given !== undefined) bound.set(p.name, translate(ctx, given, env, depth + 1));
    else if (p.default !== undefined) bound.set(p.name, translate(callee.ctx, p.default, new Map(), depth + 1));
    else fail(ctx, node, `gives no value for the parameter ${p.name}`);
  });
  return translateBody(callee.ctx, callee.node, bound, depth + 1);
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
}

function fail(ctx: ExpressionContext, node: PyNode, why: string): never {
  throw new Untranslatable(`line ${ctx.line(node)}: \`${short(ctx.t.src(node))}\` ${why}`);
}

function constant(ctx: ExpressionContext, expr: TensorExpr, node: PyNode): number {
  if (expr.op === 'const') return expr.value;
  if (expr.op === 'neg' && expr.x.op === 'const') return -expr.x.value;
  return fail(ctx, node, 'must be a number nanguard knows');
}

function translate(ctx: ExpressionContext, node: PyNode, env: Map<string, TensorExpr>, depth = 0): TensorExpr {
  const { t } = ctx;
  if (depth > 64) fail(ctx, node, 'is nested too deeply');
  const type = t.type(node);
  switch (type) {
    case 'integer':
    case 'float': {
      const v = Number(t.src(node).replace(/_/g, ''));
      if (!Number.isFinite(v)) fail(ctx, node, 'is not a number nanguard reads');
      return { op: 'const', value: v };
    }
    case 'parenthesized_expression': {
      const inner = t.children(node)[0];
      return inner === undefined ? fail(ctx, node, 'is empty') : translate(ctx, inner, env, depth + 1);
    }
    case 'identifier': {
      const local = env.get(t.src(node));
      if (local) return local;
      const v = ctx.resolve(node);
      if (v.k === 'num') return { op: 'const', value: v.v };
      return fail(ctx, node, 'is a name whose value nanguard does not know');
    }
    case 'attribute': {
      const v = ctx.resolve(node);
      if (v.k === 'num') return { op: 'const', value: v.v };
      return fail(ctx, node, 'is not a tensor or a number nanguard knows');
    }
    case 'unary_operator': {
      const arg = t.child(node, 'argument');
      if (arg === undefined) return fail(ctx, node, 'has no operand');
      const op = t.text.slice(t.start(node), t.start(arg)).trim();
      const x = translate(ctx, arg, env, depth + 1);
      if (op === '-') return x.op === 'const' ? { op: 'const', value: -x.value } : { op: 'neg', x };
      if (op === '+') return x;
      return fail(ctx, node, `uses the operator ${op}, which nanguard does not translate`);
    }
    case 'binary_operator': {
      const left = t.child(node, 'left');
      const right = t.child(node, 'right');
      if (left === undefined || right === undefined) return fail(ctx, node, 'is incomplete');
      const op = OPERATORS[t.operatorBetween(left, right)];
      if (!op) return fail(ctx, node, `uses the operator ${t.operatorBetween(left, right)}, which nanguard does not translate`);
      const a = translate(ctx, left, env, depth + 1);
      const b = translate(ctx, right, env, depth + 1);
      if (a.op === 'const' && b.op === 'const') return { op: 'const', value: fold(op, a.value, b.value) };
      return { op, a, b };
    }
    case 'call':
      return call(ctx, node, env, depth);
    default:
      return fail(ctx, node, 'is not an operation nanguard translates (element-wise arithmetic, tf/K/keras.ops functions, means and sums)');
  }
}

function fold(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'pow':
      return a ** b;
    default:
      return NaN;
  }
}

function call(ctx: ExpressionContext, node: PyNode, env: Map<string, TensorExpr>, depth: number): TensorExpr {
  const { t } = ctx;
  const fnNode = t.child(node, 'function');
  if (fnNode === undefined) return fail(ctx, node, 'calls nothing');
  const callee = ctx.resolve(fnNode);
  const argsNode = t.child(node, 'arguments');
  const positional: PyNode[] = [];
  const keywords = new Map<string, PyNode>();
  for (const c of argsNode ? t.children(argsNode) : []) {
    if (t.type(c) === 'keyword_argument') {
      const k = t.child(c, 'name');
      const v = t.child(c, 'value');
      if (k !== undefined && v !== undefined) keywords.set(t.src(k), v);
    } else if (t.type(c) !== 'comment') positional.push(c);
  }
  const own = callee.k === 'fn' ? ctx.inline?.(callee) : undefined;
  if (own) return inlineCall(ctx, node, own, positional, keywords, env, depth);
  const path = callee.k === 'ref' ? canonicalPath(callee.path) : '';
  if (!path || !(TENSOR_MODULES.test(path) || path === 'abs' || path === 'max' || path === 'min')) {
    return fail(ctx, node, 'calls a function that is not a tf, K (keras.backend) or keras.ops operation nanguard translates');
  }
  const name = lastSegment(path);
  const arg = (i: number, ...keys: string[]): PyNode | undefined => {
    for (const k of keys) if (keywords.has(k)) return keywords.get(k);
    return positional[i];
  };
  const tensor = (i: number, ...keys: string[]): TensorExpr => {
    const n = arg(i, ...keys);
    return n === undefined ? fail(ctx, node, `is missing its argument ${keys[0] ?? i + 1}`) : translate(ctx, n, env, depth + 1);
  };
  if (name === 'epsilon' && positional.length === 0) return { op: 'const', value: KERAS_EPSILON };
  // Keras losses inside a custom loss: the mean over the last axis, as Keras's loss functions return it.
  const lossModule = /^keras\.(losses|metrics)\./.test(path);
  if (lossModule || path.startsWith('keras.backend.')) {
    const loss = kerasLoss(name, lossModule);
    if (loss) {
      const yTrue = tensor(0, 'y_true', 'target');
      const yPred = tensor(1, 'y_pred', 'output');
      return loss(yTrue, yPred);
    }
  }
  if (path === 'abs' || UNARY[name]) {
    if (name === 'relu' && (arg(1, 'alpha', 'negative_slope') || arg(2, 'max_value'))) return fail(ctx, node, 'passes arguments to relu that nanguard does not translate');
    const op = path === 'abs' ? 'abs' : UNARY[name];
    if (!isUnaryOp(op)) return fail(ctx, node, 'is not translated');
    return { op, x: tensor(0, 'x') };
  }
  if (BINARY[name] || ((path === 'max' || path === 'min') && positional.length === 2)) {
    const op: BinaryOp = BINARY[name] ?? (path === 'max' ? 'maximum' : 'minimum');
    return { op, a: tensor(0, 'x', 'x1'), b: tensor(1, 'y', 'x2') };
  }
  if (name === 'clip' || name === 'clip_by_value') {
    const x = tensor(0, 'x', 't');
    const lo = arg(1, 'min_value', 'clip_value_min', 'x_min');
    const hi = arg(2, 'max_value', 'clip_value_max', 'x_max');
    if (lo === undefined || hi === undefined) return fail(ctx, node, 'needs both bounds');
    return { op: 'clip', x, min: constant(ctx, translate(ctx, lo, env, depth + 1), lo), max: constant(ctx, translate(ctx, hi, env, depth + 1), hi) };
  }
  const reduce = REDUCE[name];
  if (reduce && isReduceOp(reduce) && !(path === 'max' || path === 'min')) {
    const x = tensor(0, 'x', 'input_tensor');
    const axisNode = arg(1, 'axis');
    const keepNode = arg(2, 'keepdims', 'keep_dims');
    return { op: reduce, x, axis: axisNode === undefined ? null : axes(ctx, axisNode), keepdims: keepNode === undefined ? false : flag(ctx, keepNode) };
  }
  return fail(ctx, node, `calls ${name}, which nanguard does not translate`);
}

function axes(ctx: ExpressionContext, node: PyNode): number[] | null {
  const { t } = ctx;
  const type = t.type(node);
  if (type === 'none') return null;
  const read = (n: PyNode): number => {
    const v = ctx.resolve(n);
    if (v.k === 'num' && Number.isInteger(v.v)) return v.v;
    return fail(ctx, n, 'must be a whole number');
  };
  if (type === 'list' || type === 'tuple') return t.children(node).map(read);
  if (type === 'numlist') {
    const numbers = t.numbers(node);
    if (numbers && numbers.shape.length === 1) return numbers.rows ? numbers.rows.map((r) => r[0]) : fail(ctx, node, 'must be whole numbers');
  }
  return [read(node)];
}

function flag(ctx: ExpressionContext, node: PyNode): boolean {
  const v = ctx.resolve(node);
  if (v.k === 'bool') return v.v;
  return fail(ctx, node, 'must be True or False');
}

/** Keras's loss functions by name, as expressions of (y_true, y_pred); `perSample`: the mean over the last axis (the losses module), else element-wise (the backend's). */
function kerasLoss(name: string, perSample: boolean): ((t: TensorExpr, p: TensorExpr) => TensorExpr) | undefined {
  const lastAxis = (x: TensorExpr): TensorExpr => ({ op: 'mean', x, axis: [-1], keepdims: false });
  switch (name) {
    case 'mean_squared_error':
    case 'mse':
      return perSample ? (t, p) => lastAxis({ op: 'square', x: { op: 'sub', a: p, b: t } }) : undefined;
    case 'mean_absolute_error':
    case 'mae':
      return perSample ? (t, p) => lastAxis({ op: 'abs', x: { op: 'sub', a: p, b: t } }) : undefined;
    case 'binary_crossentropy':
      return perSample ? (t, p) => lastAxis({ op: 'bce', a: t, b: p }) : (t, p) => ({ op: 'bce', a: t, b: p });
    default:
      return undefined;
  }
}
