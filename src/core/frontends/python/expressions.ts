/**
 * Translates small Python functions on tensors into {@link TensorExpr}: a `Lambda` layer's
 * function (`lambda x: x * 0.1`, `lambda t: K.clip(t, 0, 1)`) or a custom loss
 * (`def rmse(y_true, y_pred): return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))`), when
 * they are made of element-wise operations and reductions of `tf.*`, `K.*` (keras.backend) and
 * `keras.ops.*`. Anything else gives a sentence naming the line and what could not be translated.
 * Never runs the code: names are resolved by the evaluator, numbers must be known.
 */
import { batchDependence, type IndexAxis, type NoiseDim, type TensorExpr, isReduceOp, isUnaryOp, type BinaryOp, type ReduceOp, type UnaryOp } from '../../tensorExpr';
import { lossName, type LossName } from '../../keras/names';
import { canonicalPath, lastSegment } from './keras';
import type { PyNode, PyTree } from './syntax';
import { truthiness, type Value } from './values';

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
  inline?(callee: Value): InlinedFunction | undefined;
  /**
   * `self.vae_loss(x, z_decoded)`, `super().call(inputs)`: the method of the object's class the
   * callee names, with `self` bound in its context; undefined when the callee is no such method.
   */
  method?(callee: PyNode): InlinedFunction | undefined;
  /**
   * A value of the program's graph as an expression (a Keras tensor, or a term already built of
   * them), for code outside a function (`vae.add_loss(K.mean(kl_loss))`); a string says why a
   * value is not one; `refused`: why the name `node` cannot be read there (said with its line).
   * Undefined: not a tensor.
   */
  tensor?(value: Value, node?: PyNode): TensorExpr | string | { refused: string } | undefined;
  /**
   * A call the evaluator has just run as it traced a `call` (`self.dense(x)` inside
   * `tf.nn.relu(self.dense(x))`): the tensor it gave, read through `tensor` instead of being
   * translated again; undefined for any other node.
   */
  evaluated?(node: PyNode): Value | undefined;
  /** A weight the layer made in its `build` (`self.clusters = self.add_weight(...)`) as the expression reading it; undefined for any other value. */
  weight?(value: Value): TensorExpr | undefined;
}

/** A function of the program to translate in place of its call: its `def`, a context where it was defined, and its name for messages. */
export interface InlinedFunction {
  ctx: ExpressionContext;
  node: PyNode;
  name: string;
  /** A method called on its object: the first parameter (`self`) is already bound, not passed. */
  bound?: boolean;
  /** Defined in another file of the program (`vae_losses.py`): its lines are that file's. */
  file?: string;
}

/** `passThrough`: the function returns the list of tensors it is given, unchanged (`expr` is its first). */
export type Translation = { expr: TensorExpr; losses?: TensorExpr[]; passThrough?: true } | { problem: string };

export interface FunctionShape {
  /** Tensors passed: a Lambda layer or a layer's `call`: 1; a loss: y_true and y_pred. */
  arity: number;
  /** A method (`call(self, inputs)`): the first parameter is `self`, not a tensor. */
  method?: boolean;
  /** Collect `self.add_loss(...)` terms (a custom layer's `call`), as expressions of the same arguments. */
  addedLosses?: boolean;
}

/** Names in a translated function: tensors, sizes of tensors (`batch = K.shape(z)[0]`), and the list a Lambda of several inputs gets. */
interface Env {
  tensors: Map<string, TensorExpr>;
  dims: Map<string, NoiseDim>;
  /** The parameter that holds the list of inputs (`def sampling(args): z_mean, z_log_var = args`). */
  pack?: string;
  /** The function returns that list as it was given (`return inputs`): set by the return. */
  passThrough?: boolean;
  losses?: TensorExpr[];
  /** Parameters of an inlined function given a value that is not a tensor (`keepdims=True`, `axis=None`). */
  values?: Map<string, Value>;
  /** Names bound to every axis but the batch's (`axis_to_reduce = range(1, K.ndim(x))`): see `everyAxisButBatch`. */
  everyAxisButBatch?: Set<string>;
  /** The functions being inlined, outermost first: a call of one of them again is recursion. */
  inlining?: PyNode[];
}

function newEnv(): Env {
  return { tensors: new Map(), dims: new Map() };
}

/** A number, flag or None named in a translated function: a parameter bound to it, a constant, or the program's value. */
function valueOf(ctx: ExpressionContext, node: PyNode, env: Env | undefined): Value {
  if (env !== undefined && ctx.t.type(node) === 'identifier') {
    const name = ctx.t.src(node);
    const given = env.values?.get(name);
    if (given !== undefined) return given;
    const tensor = env.tensors.get(name);
    if (tensor?.op === 'const') return { k: 'num', v: tensor.value, origin: { kind: 'inferred', note: name } };
    if (tensor !== undefined) return { k: 'unknown' };
  }
  return ctx.resolve(node);
}

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

/** Function names (last segment) of the variance and standard deviation over axes. */
const SPREAD: Record<string, 'var' | 'std'> = { std: 'std', reduce_std: 'std', var: 'var', variance: 'var', reduce_variance: 'var' };

const REDUCE: Record<string, ReduceOp> = {
  mean: 'mean', reduce_mean: 'mean', sum: 'sum', reduce_sum: 'sum', max: 'max', reduce_max: 'max', min: 'min', reduce_min: 'min', prod: 'prod', reduce_prod: 'prod',
};

/** Python operators to binary operations. */
const OPERATORS: Record<string, BinaryOp> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '**': 'pow' };

/** Comparison functions (`tf.equal`, `K.greater`, `keras.ops.less_equal`) and Python's comparison operators, to comparisons. */
const COMPARISON_FUNCTIONS: Record<string, BinaryOp> = { equal: 'equal', not_equal: 'not_equal', greater: 'greater', greater_equal: 'greater_equal', less: 'less', less_equal: 'less_equal' };
const COMPARISON_OPERATORS: Record<string, BinaryOp> = { '==': 'equal', '!=': 'not_equal', '>': 'greater', '>=': 'greater_equal', '<': 'less', '<=': 'less_equal' };

/** Keras's backend epsilon (`K.epsilon()`). */
const KERAS_EPSILON = 1e-7;

/**
 * Translates a `lambda` or `def` node taking `arity` tensors (a Lambda layer: 1; a loss: y_true
 * and y_pred) into an expression, or says why it cannot.
 */
export function translateFunction(ctx: ExpressionContext, fn: PyNode, shape: number | FunctionShape): Translation {
  const { arity, method, addedLosses } = typeof shape === 'number' ? { arity: shape, method: false, addedLosses: false } : shape;
  try {
    const declared = parameters(ctx, fn);
    const params = declared.map((p) => p.name);
    // A method's `self` is bound to its object (whose attributes the context resolves), not passed.
    const names = method ? params.slice(1) : params;
    if (names.length < arity) return { problem: `line ${ctx.line(fn)}: the function takes ${names.length} argument${names.length === 1 ? '' : 's'} where ${arity} are passed` };
    const env = newEnv();
    names.slice(0, arity).forEach((name, index) => env.tensors.set(name, { op: 'arg', index }));
    // Parameters past the tensors keep their defaults (`def loss(y_true, y_pred, epsilon=K.epsilon())`), as Keras calls the function with two.
    for (const p of declared.slice((method ? 1 : 0) + arity)) {
      if (p.default === undefined) continue;
      try {
        env.tensors.set(p.name, translate(ctx, p.default, newEnv(), 1));
      } catch (error) {
        // A default nanguard cannot read stays unknown: the function is refused only if it reads it.
        if (!(error instanceof Untranslatable)) throw error;
      }
    }
    // One argument may be a list of tensors (`Lambda(sampling)([z_mean, z_log_var])`): unpacked or indexed, its items are arguments 0, 1, ...
    if (arity === 1) env.pack = names[0];
    if (addedLosses) env.losses = [];
    const expr = translateBody(ctx, fn, env, 0);
    return { expr, ...(env.losses && env.losses.length > 0 ? { losses: env.losses } : {}), ...(env.passThrough ? { passThrough: true as const } : {}) };
  } catch (error) {
    if (error instanceof Untranslatable) return { problem: error.message };
    throw error;
  }
}

/** The first tensor given, as bound to its parameter: `return inputs` with `inputs` never reassigned. */
function isFirstArgument(expr: TensorExpr | undefined): boolean {
  return expr?.op === 'arg' && expr.index === 0;
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
    // `call(self, inputs, **kwargs)`: keywords (training, mask) that no translated call passes; a read of them is refused by name.
    else if (type === 'dictionary_splat_pattern') continue;
    else fail(ctx, p, 'is a parameter nanguard cannot pass');
  }
  return out;
}

/**
 * The value a lambda or `def` returns, with its parameters bound in `env`: plain assignments
 * (and `self.add_loss(...)` terms, when `env` collects them), then a return.
 */
function translateBody(ctx: ExpressionContext, fn: PyNode, env: Env, depth: number): TensorExpr {
  const { t } = ctx;
  const body = t.child(fn, 'body');
  if (t.type(fn) === 'lambda') return body === undefined ? fail(ctx, fn, 'has no body') : translate(ctx, body, env, depth + 1);
  const returned = translateStatements(ctx, body ? t.children(body) : [], env, depth);
  if (returned !== undefined) return returned;
  throw new Untranslatable(`line ${ctx.line(fn)}: the function returns nothing nanguard can read`);
}

/**
 * The condition of an `if` when the code alone decides it (`if use_loss == 'xent':` of a
 * module constant, `if self.beta > 0:` of a number given): true or false, else undefined.
 */
function staticCondition(ctx: ExpressionContext, node: PyNode, env: Env): boolean | undefined {
  const { t } = ctx;
  const type = t.type(node);
  if (type === 'parenthesized_expression' && t.children(node).length === 1) return staticCondition(ctx, t.children(node)[0], env);
  if (type === 'not_operator') {
    const inner = t.child(node, 'argument') ?? t.children(node).at(-1);
    const value = inner === undefined ? undefined : staticCondition(ctx, inner, env);
    return value === undefined ? undefined : !value;
  }
  if (type === 'boolean_operator') {
    const left = t.child(node, 'left');
    const right = t.child(node, 'right');
    if (!left || !right) return undefined;
    const [a, b] = [staticCondition(ctx, left, env), staticCondition(ctx, right, env)];
    const and = t.operatorBetween(left, right) === 'and';
    if (and) return a === false || b === false ? false : a === true && b === true ? true : undefined;
    return a === true || b === true ? true : a === false && b === false ? false : undefined;
  }
  if (type === 'comparison_operator') {
    const operands = t.children(node);
    if (operands.length !== 2) return undefined;
    const op = t.operatorBetween(operands[0], operands[1]);
    const [a, b] = operands.map((o) => valueOf(ctx, o, env));
    const plain = (v: Value): number | string | boolean | null | undefined => (v.k === 'num' || v.k === 'str' || v.k === 'bool' ? v.v : v.k === 'none' ? null : undefined);
    const [x, y] = [plain(a), plain(b)];
    if (x === undefined || y === undefined) return undefined;
    if (op === '==' || op === 'is') return x === y;
    if (op === '!=' || op === 'is not') return x !== y;
    if (typeof x !== 'number' || typeof y !== 'number') return undefined;
    return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : op === '>=' ? x >= y : undefined;
  }
  if (type === 'identifier' || type === 'attribute' || type === 'true' || type === 'false' || type === 'none' || type === 'integer' || type === 'float') {
    const value = valueOf(ctx, node, env);
    if (value.k === 'bool') return value.v;
    if (value.k === 'none') return false;
    if (value.k === 'num') return value.v !== 0;
    if (value.k === 'str') return value.v.length > 0;
  }
  return undefined;
}

/**
 * Statements in order, with their assignments bound in `env`: the value of the first `return`
 * reached, or undefined when they end without one. An `if` whose condition the code decides
 * takes its branch; any other control flow is not translated.
 */
function translateStatements(ctx: ExpressionContext, statements: PyNode[], env: Env, depth: number): TensorExpr | undefined {
  const { t } = ctx;
  for (const statement of statements) {
    const type = t.type(statement);
    if (type === 'if_statement') {
      const branch = decidedBranch(ctx, statement, env);
      if (branch === undefined) fail(ctx, statement, 'is an if whose condition depends on values known only when the code runs, which nanguard does not translate');
      const returned = branch === null ? undefined : translateStatements(ctx, t.children(branch), env, depth);
      if (returned !== undefined) return returned;
      continue;
    }
    if (type === 'expression_statement') {
      const inner = t.children(statement)[0];
      if (inner !== undefined && t.type(inner) === 'string') continue; // a docstring
      // `print(...)`, `tf.print(...)`, `logging.info(...)`: output, no value of the function's.
      if (inner !== undefined && t.type(inner) === 'call' && /^(print|tf\.print|tensorflow\.print|logging\.\w+|logger\.\w+)$/.test(t.src(t.child(inner, 'function') ?? inner))) continue;
      if (inner !== undefined && (t.type(inner) === 'assignment' || t.type(inner) === 'augmented_assignment') && assign(ctx, inner, env)) continue;
      if (inner !== undefined && env.losses && addLoss(ctx, inner, env)) continue;
      fail(ctx, statement, 'is not a plain assignment of a tensor expression');
    }
    if (type === 'pass_statement') continue;
    if (type === 'return_statement') {
      const value = t.children(statement)[0];
      if (value === undefined) fail(ctx, statement, 'returns nothing');
      // `return inputs`, the list of tensors given, as given: its first is the value here, the layer gives back the others too.
      if (env.pack !== undefined && depth === 0 && t.type(value) === 'identifier' && t.src(value) === env.pack && isFirstArgument(env.tensors.get(env.pack))) {
        env.passThrough = true;
        return { op: 'arg', index: 0 };
      }
      return translate(ctx, value, env, depth + 1);
    }
    fail(ctx, statement, 'is Python control flow or a statement nanguard does not translate');
  }
  return undefined;
}

/** The block an `if` statement runs (its own, an `elif`'s or the `else`'s; null: none), when the code decides each condition it reaches. */
function decidedBranch(ctx: ExpressionContext, statement: PyNode, env: Env): PyNode | null | undefined {
  const { t } = ctx;
  const condition = t.child(statement, 'condition');
  const decided = condition ? staticCondition(ctx, condition, env) : undefined;
  if (decided === undefined) return undefined;
  if (decided) return t.child(statement, 'consequence') ?? null;
  for (const clause of t.children(statement)) {
    const type = t.type(clause);
    if (type === 'elif_clause') {
      const c = t.child(clause, 'condition');
      const value = c ? staticCondition(ctx, c, env) : undefined;
      if (value === undefined) return undefined;
      if (value) return t.child(clause, 'consequence') ?? null;
    } else if (type === 'else_clause') {
      return t.child(clause, 'body') ?? null;
    }
  }
  return null;
}

/**
 * A call of one of the program's own functions (or of a method of the object translated)
 * inside the translated one, inlined: its parameters bound to the arguments (tensor
 * expressions, or numbers and flags; defaults where none is given), its body translated where
 * it was defined. What cannot be translated in it is named with the function and the call's line.
 */
function inlineCall(ctx: ExpressionContext, node: PyNode, callee: InlinedFunction, positional: PyNode[], keywords: Map<string, PyNode>, env: Env, depth: number): TensorExpr {
  const inlining = env.inlining ?? [];
  if (inlining.includes(callee.node)) fail(ctx, node, `calls ${callee.name} again from inside itself (recursion), which nanguard does not translate`);
  const params = parameters(callee.ctx, callee.node).slice(callee.bound ? 1 : 0);
  if (positional.length > params.length) fail(ctx, node, `passes ${positional.length} arguments to ${callee.name}, which takes ${params.length}`);
  for (const k of keywords.keys()) if (!params.some((p) => p.name === k)) fail(ctx, node, `passes ${k}=, which ${callee.name} does not take`);
  // A method of the layer translated may add its own terms (`self.add_loss` in a helper of `call`).
  const bound: Env = { ...newEnv(), values: new Map(), inlining: [...inlining, callee.node], ...(callee.bound && env.losses ? { losses: env.losses } : {}) };
  params.forEach((p, i) => {
    const given = i < positional.length ? positional[i] : keywords.get(p.name);
    if (given === undefined && p.default === undefined) return fail(ctx, node, `gives no value for the parameter ${p.name} of ${callee.name}`);
    // An argument is read where the call is; a default, where the function was defined.
    const [from, fromEnv, argument] = given !== undefined ? [ctx, env, given] : [callee.ctx, newEnv(), p.default!];
    const type = from.t.type(argument);
    // The list of tensors a layer's call is given (`super().call(inputs)`), passed on whole.
    if (type === 'identifier' && fromEnv.pack !== undefined && from.t.src(argument) === fromEnv.pack) {
      bound.pack = p.name;
      const whole = fromEnv.tensors.get(fromEnv.pack);
      if (whole) bound.tensors.set(p.name, whole);
      return;
    }
    const local = type === 'identifier' && fromEnv.tensors.has(from.t.src(argument));
    const value = local ? undefined : valueOf(from, argument, fromEnv);
    const numbers = value?.k === 'seq' && value.items.every((item) => item.k === 'num');
    if (value !== undefined && (value.k === 'bool' || value.k === 'none' || value.k === 'str' || numbers)) bound.values!.set(p.name, value);
    else bound.tensors.set(p.name, translate(from, argument, fromEnv, depth + 1));
  });
  try {
    return translateBody(callee.ctx, callee.node, bound, depth + 1);
  } catch (error) {
    if (!(error instanceof Untranslatable) || inlining.length > 0) throw error;
    // Named once, at the outermost call: the line inside the function says the rest.
    throw new Untranslatable(`line ${ctx.line(node)}: \`${short(ctx.t.src(node))}\` calls ${callee.name} (line ${callee.ctx.line(callee.node)}${callee.file ? ` of ${callee.file}` : ''}), which nanguard cannot translate: ${error.message}`);
  }
}

/**
 * An expression of the program's graph tensors outside any function (`K.mean(reconstruction +
 * kl)` passed to `add_loss`): its tensors come from `ctx.tensor`.
 */
export function translateExpression(ctx: ExpressionContext, node: PyNode): Translation {
  try {
    return { expr: translate(ctx, node, newEnv()) };
  } catch (error) {
    if (error instanceof Untranslatable) return { problem: error.message };
    throw error;
  }
}

/** `x = ...`, `x *= ...`, `a, b = inputs`, `batch = K.shape(z)[0]` in a translated function: false when it is none of these. */
function assign(ctx: ExpressionContext, node: PyNode, env: Env): boolean {
  const { t } = ctx;
  const left = t.child(node, 'left');
  const right = t.child(node, 'right');
  if (left === undefined || right === undefined) return false;
  const leftType = t.type(left);
  if (t.type(node) === 'augmented_assignment') {
    if (leftType !== 'identifier') return false;
    const op = OPERATORS[t.operatorBetween(left, right).replace(/=$/, '')];
    const current = env.tensors.get(t.src(left));
    if (!op || !current) return false;
    env.tensors.set(t.src(left), { op, a: current, b: translate(ctx, right, env) });
    return true;
  }
  if ((leftType === 'pattern_list' || leftType === 'tuple_pattern' || leftType === 'list_pattern' || leftType === 'tuple') && t.type(right) === 'identifier' && t.src(right) === env.pack) {
    t.children(left).forEach((name, index) => env.tensors.set(t.src(name), { op: 'arg', index }));
    return true;
  }
  // `x, x_decoded = inputs[0], inputs[1]`: one name for each item.
  const rightType = t.type(right);
  if ((leftType === 'pattern_list' || leftType === 'tuple_pattern') && (rightType === 'expression_list' || rightType === 'tuple')) {
    const names = t.children(left);
    const values = t.children(right).filter((c) => t.type(c) !== 'comment');
    if (names.length !== values.length || names.some((n) => t.type(n) !== 'identifier')) return false;
    const translated = values.map((v) => translate(ctx, v, env));
    names.forEach((n, i) => env.tensors.set(t.src(n), translated[i]));
    return true;
  }
  if (leftType !== 'identifier') return false;
  // `axes = [2, 3] if self.channel_axis == 1 else [1, 2]`: numbers for a later call's axis, not a tensor.
  if (rightType === 'conditional_expression' || rightType === 'list' || rightType === 'tuple') {
    const v = valueOf(ctx, right, env);
    if (v.k === 'seq' && v.items.length > 0 && v.items.every((i) => i.k === 'num')) {
      (env.values ??= new Map()).set(t.src(left), v);
      return true;
    }
  }
  if (everyAxisButBatch(ctx, right, env)) {
    (env.everyAxisButBatch ??= new Set()).add(t.src(left));
    return true;
  }
  const dim = dimOf(ctx, right, env);
  if (dim !== undefined && typeof dim !== 'number') {
    env.dims.set(t.src(left), dim);
    return true;
  }
  env.tensors.set(t.src(left), translate(ctx, right, env));
  return true;
}

/** `self.add_loss(term)` in a layer's `call`: the term, kept. */
function addLoss(ctx: ExpressionContext, node: PyNode, env: Env): boolean {
  const { t } = ctx;
  if (t.type(node) !== 'call') return false;
  const fn = t.child(node, 'function');
  if (fn === undefined || t.type(fn) !== 'attribute' || !/^self\.add_loss$/.test(t.src(fn).replace(/\s+/g, ''))) return false;
  const argsNode = t.child(node, 'arguments');
  const arg = argsNode ? t.children(argsNode).find((c) => t.type(c) !== 'comment') : undefined;
  if (arg === undefined) return false;
  env.losses!.push(translate(ctx, t.type(arg) === 'keyword_argument' ? (t.child(arg, 'value') ?? arg) : arg, env));
  return true;
}

/** Functions that give a tensor's shape (`K.shape(x)`, `tf.shape(x)`, `K.int_shape(x)`), by their last segment. */
const SHAPE_FUNCTIONS = new Set(['shape', 'int_shape']);

/** The tensor whose shape a node reads (`K.shape(z)`, `z.shape`), or undefined. */
function shapeOf(ctx: ExpressionContext, node: PyNode, env: Env): TensorExpr | undefined {
  const { t } = ctx;
  if (t.type(node) === 'attribute') {
    const attribute = t.child(node, 'attribute');
    const object = t.child(node, 'object');
    if (attribute !== undefined && object !== undefined && t.src(attribute) === 'shape') return translate(ctx, object, env);
    return undefined;
  }
  if (t.type(node) !== 'call') return undefined;
  const fn = t.child(node, 'function');
  const callee = fn !== undefined ? ctx.resolve(fn) : undefined;
  const path = callee?.k === 'ref' ? canonicalPath(callee.path) : '';
  if (!TENSOR_MODULES.test(path) || !SHAPE_FUNCTIONS.has(lastSegment(path))) return undefined;
  const argsNode = t.child(node, 'arguments');
  const arg = argsNode ? t.children(argsNode).find((c) => t.type(c) !== 'comment' && t.type(c) !== 'keyword_argument') : undefined;
  return arg === undefined ? undefined : translate(ctx, arg, env);
}

/** One size of a noise's shape: a number, a size of a tensor (`K.shape(z)[0]`, `K.int_shape(z)[1]`), or a name holding one; undefined otherwise. */
function dimOf(ctx: ExpressionContext, node: PyNode, env: Env): NoiseDim | undefined {
  const { t } = ctx;
  const type = t.type(node);
  if (type === 'identifier') {
    const dim = env.dims.get(t.src(node));
    if (dim !== undefined) return dim;
  }
  if (type === 'subscript') {
    const value = t.child(node, 'value');
    const index = t.childrenOf(node, 'subscript');
    const of = value !== undefined ? shapeOf(ctx, value, env) : undefined;
    if (of !== undefined && index.length === 1) {
      const axis = valueOf(ctx, index[0], env);
      if (axis.k === 'num' && Number.isInteger(axis.v)) return { of, axis: axis.v };
    }
    return undefined;
  }
  if (type === 'integer' || type === 'identifier' || type === 'attribute' || type === 'binary_operator') {
    const v = valueOf(ctx, node, env);
    if (v.k === 'num' && Number.isInteger(v.v) && v.v > 0) return v.v;
    // `batch = tf.shape(z_mean)[0]` read before, in the traced call: that tensor's size along the axis.
    if (v.k === 'unknown' && v.dimOf && ctx.tensor) {
      const of = ctx.tensor(v.dimOf.tensor, node);
      if (of !== undefined && typeof of !== 'string' && !('refused' in of)) return { of, axis: v.dimOf.axis };
    }
  }
  return undefined;
}

/** The `shape=` of a draw: a tuple of sizes, or the shape of a tensor (`K.shape(z_mean)`). */
function noiseShape(ctx: ExpressionContext, node: PyNode, env: Env): NoiseDim[] | { like: TensorExpr } {
  const { t } = ctx;
  const like = shapeOf(ctx, node, env);
  if (like !== undefined) return { like };
  const type = t.type(node);
  if (type === 'tuple' || type === 'list' || type === 'expression_list') {
    return t.children(node).map((c) => dimOf(ctx, c, env) ?? fail(ctx, c, 'is not a size nanguard can follow (a number, or K.shape(x)[i] of a tensor)'));
  }
  const v = valueOf(ctx, node, env);
  if (v.k === 'seq' && v.items.every((i) => i.k === 'num' && Number.isInteger(i.v) && i.v > 0)) return v.items.map((i) => (i as { v: number }).v);
  return fail(ctx, node, 'is not a shape nanguard can follow (a tuple of sizes, or the shape of a tensor)');
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

/** A value of the program (outside the function) as a tensor expression, or a failure naming it. */
function outside(ctx: ExpressionContext, node: PyNode, why: string): TensorExpr {
  const v = ctx.resolve(node);
  if (v.k === 'num') return { op: 'const', value: v.v };
  const weight = ctx.weight?.(v);
  if (weight) return weight;
  const tensor = ctx.tensor?.(v, node);
  if (typeof tensor === 'string') throw new Untranslatable(tensor);
  if (tensor && 'refused' in tensor) return fail(ctx, node, tensor.refused);
  if (tensor) return tensor;
  return fail(ctx, node, why);
}

function translate(ctx: ExpressionContext, node: PyNode, env: Env, depth = 0): TensorExpr {
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
      const local = env.tensors.get(t.src(node));
      if (local) return local;
      if (env.values?.has(t.src(node))) return fail(ctx, node, 'is a parameter given a value that is not a tensor or a number');
      return outside(ctx, node, 'is a name whose value nanguard does not know');
    }
    case 'attribute':
      return outside(ctx, node, 'is not a tensor or a number nanguard knows');
    case 'subscript': {
      // `args[1]`: an input of a Lambda applied to a list of tensors.
      const value = t.child(node, 'value');
      const index = t.childrenOf(node, 'subscript');
      if (value !== undefined && t.type(value) === 'identifier' && t.src(value) === env.pack && index.length === 1) {
        const i = valueOf(ctx, index[0], env);
        if (i.k === 'num' && Number.isInteger(i.v) && i.v >= 0) return { op: 'arg', index: i.v };
      }
      const indexed = value !== undefined ? tensorIndex(ctx, value, index, env, depth) : undefined;
      if (indexed) return indexed;
      return outside(ctx, node, 'is a slice or an item nanguard does not translate');
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
      // `a @ b`: the matrix product.
      if (t.operatorBetween(left, right) === '@') return { op: 'matmul', a: translate(ctx, left, env, depth + 1), b: translate(ctx, right, env, depth + 1) };
      const op = OPERATORS[t.operatorBetween(left, right)];
      if (!op) return fail(ctx, node, `uses the operator ${t.operatorBetween(left, right)}, which nanguard does not translate`);
      const a = translate(ctx, left, env, depth + 1);
      const b = translate(ctx, right, env, depth + 1);
      if (a.op === 'const' && b.op === 'const') return { op: 'const', value: fold(op, a.value, b.value) };
      return { op, a, b };
    }
    case 'call':
      return call(ctx, node, env, depth);
    case 'conditional_expression': {
      // `a if self.scaled else b` on a setting known when the model is built: the branch taken.
      const children = t.children(node).filter((c) => t.type(c) !== 'comment');
      const taken = children.length === 3 ? truthiness(valueOf(ctx, children[1], env)) : undefined;
      if (taken === undefined) return fail(ctx, node, 'chooses on a condition nanguard does not know before the run');
      return translate(ctx, taken ? children[0] : children[2], env, depth + 1);
    }
    case 'comparison_operator': {
      // `y_true == 1`, `y_pred > 0.5`: one comparison of two operands (a chain such as `0 < x < 1` is not translated).
      const operands = t.children(node).filter((c) => t.type(c) !== 'comment');
      const op = operands.length === 2 ? COMPARISON_OPERATORS[t.operatorBetween(operands[0], operands[1])] : undefined;
      if (!op) return fail(ctx, node, 'is a comparison nanguard does not translate (it translates one ==, !=, <, <=, > or >= of two tensors or numbers)');
      return { op, a: translate(ctx, operands[0], env, depth + 1), b: translate(ctx, operands[1], env, depth + 1) };
    }
    default:
      return fail(ctx, node, 'is not an operation nanguard translates (element-wise arithmetic, tf/K/keras.ops functions, means and sums)');
  }
}

/**
 * `y_true[:, 0]`, `x[:, :hidden]`, `y_pred[..., 1]` of a tensor: the batch's axis (or, after `...`,
 * every axis before the ones listed) kept whole, then positions and ranges of whole numbers;
 * undefined for any other subscript.
 */
function tensorIndex(ctx: ExpressionContext, valueNode: PyNode, parts: PyNode[], env: Env, depth: number): TensorExpr | undefined {
  const { t } = ctx;
  const [head, ...rest] = parts;
  if (head === undefined || rest.length === 0) return undefined;
  const fromEnd = t.type(head) === 'ellipsis';
  if (!fromEnd && !(t.type(head) === 'slice' && t.src(head).replace(/\s/g, '') === ':')) return undefined;
  const whole = (n: PyNode | undefined): number | null | undefined => {
    if (n === undefined) return null;
    const v = valueOf(ctx, n, env);
    return v.k === 'num' && Number.isInteger(v.v) ? v.v : undefined;
  };
  const axes: IndexAxis[] = [];
  for (const part of rest) {
    if (t.type(part) === 'slice') {
      const pieces = t.src(part).replace(/\s/g, '').split(':');
      if (pieces.length > 2) return undefined;
      const bounds = t.children(part).filter((c) => t.type(c) !== ':' && t.type(c) !== 'comment');
      const start = whole(pieces[0] ? bounds[0] : undefined);
      const stop = whole(pieces[1] ? bounds[pieces[0] ? 1 : 0] : undefined);
      if (start === undefined || stop === undefined) return undefined;
      axes.push({ start, stop });
    } else {
      const index = whole(part);
      if (index === undefined || index === null) return undefined;
      axes.push({ index });
    }
  }
  return { op: 'index', x: translate(ctx, valueNode, env, depth + 1), axes, ...(fromEnd ? { fromEnd: true as const } : {}) };
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

/** A numpy or math function of numbers, by name; undefined for one not known here. */
function numericCall(name: string, args: number[]): number | undefined {
  const [a, b] = args;
  const one: Record<string, (x: number) => number> = { log: Math.log, log2: Math.log2, log10: Math.log10, log1p: Math.log1p, exp: Math.exp, expm1: Math.expm1, sqrt: Math.sqrt, abs: Math.abs, fabs: Math.abs, tanh: Math.tanh, sin: Math.sin, cos: Math.cos, square: (x) => x * x };
  if (args.length === 1 && one[name]) return one[name](a);
  if (args.length === 2 && (name === 'power' || name === 'pow')) return a ** b;
  if (args.length === 2 && name === 'maximum') return Math.max(a, b);
  if (args.length === 2 && name === 'minimum') return Math.min(a, b);
  return undefined;
}

/** Functions that draw standard-normal noise, by canonical path. */
const NORMAL_DRAWS = /^(keras\.backend\.random_normal|keras\.random\.normal|tensorflow\.random\.normal|tensorflow\.random_normal|tensorflow\.keras\.backend\.random_normal)$/;

function call(ctx: ExpressionContext, node: PyNode, env: Env, depth: number): TensorExpr {
  const { t } = ctx;
  const fnNode = t.child(node, 'function');
  if (fnNode === undefined) return fail(ctx, node, 'calls nothing');
  const ran = ctx.evaluated?.(node);
  const ranTensor = ran !== undefined ? ctx.tensor?.(ran) : undefined;
  if (typeof ranTensor === 'string') throw new Untranslatable(ranTensor);
  if (ranTensor !== undefined && !('refused' in ranTensor)) return ranTensor;
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
  const own = ctx.method?.(fnNode) ?? (callee.k === 'fn' ? ctx.inline?.(callee) : undefined);
  if (own) return inlineCall(ctx, node, own, positional, keywords, env, depth);
  if (callee.k === 'loss') return lossObjectCall(ctx, node, callee, positional, keywords, env, depth);
  // A layer without weights applied inside the expression (`Flatten()(x)` in a VAE's added loss): its operation.
  if (callee.k === 'layer' && callee.layer.spec.className === 'Flatten' && positional.length === 1) {
    return { op: 'batch_flatten', x: translate(ctx, positional[0], env, depth + 1) };
  }
  const path = callee.k === 'ref' ? canonicalPath(callee.path) : '';
  if (NORMAL_DRAWS.test(path)) return normalDraw(ctx, node, positional, keywords, env, depth);
  // numpy and math of numbers (`np.log(2 * math.pi)` in a Gaussian log-density): the number they give.
  if (/^(numpy|math)\./.test(path) && keywords.size === 0 && positional.length > 0) {
    const args = positional.map((p) => translate(ctx, p, env, depth + 1));
    const value = args.every((a) => a.op === 'const') ? numericCall(lastSegment(path), args.map((a) => (a as { value: number }).value)) : undefined;
    if (value !== undefined && Number.isFinite(value)) return { op: 'const', value };
  }
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
  // `keras.activations.linear(x)` (what `activations.get(None)` gives): x itself.
  if (name === 'linear' && path.startsWith('keras.activations.')) return tensor(0, 'x');
  // `K.get_value(beta)` of a `K.variable(0)`: read once, when the loss is built, as Keras reads it (a warm-up callback's later K.set_value does not reach it).
  if ((name === 'get_value' || name === 'eval') && path.startsWith('keras.backend.')) {
    const value = tensor(0, 'x');
    if (value.op !== 'const') return fail(ctx, node, 'reads the value of something other than a number nanguard knows');
    return value;
  }
  // Keras losses inside a custom loss: one value per sample (the mean over the last axis, or the
  // axes given), as Keras's loss functions return it; the backend's binary cross-entropy is element-wise.
  const lossModule = /^keras\.(losses|metrics)\./.test(path);
  // keras.ops's cross-entropies take what keras.backend's take: `ops.binary_crossentropy(target, output)` is element-wise too.
  if (lossModule || path.startsWith('keras.backend.') || (/^keras\.ops\.(nn\.)?\w+$/.test(path) && BACKEND_LOSSES[name] !== undefined)) {
    const lossFn = lossModule ? lossName(name) : BACKEND_LOSSES[name];
    if (lossFn !== undefined && KERAS_LOSSES[lossFn]) {
      const yTrue = tensor(0, 'y_true', 'target');
      const yPred = tensor(1, 'y_pred', 'output');
      // keras.backend's and keras.ops's take (target, output, from_logits, axis), without label smoothing.
      const accepted = lossModule ? (KERAS_LOSSES[lossFn] ?? []) : ['from_logits', 'axis'];
      const options = lossOptions(ctx, node, lossFn, { accepted, positional: positional.slice(2), keywords, skip: ['y_true', 'y_pred', 'target', 'output'] }, env);
      return kerasLoss(lossFn, { ...options, perSample: lossModule || lossFn !== 'binary_crossentropy' })(yTrue, yPred);
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
  if (name === 'sigmoid_cross_entropy_with_logits') {
    return sigmoidCrossEntropyWithLogits(tensor(0, 'labels'), tensor(1, 'logits'));
  }
  if ((name === 'flatten' || name === 'batch_flatten') && path.startsWith('keras.backend.')) return { op: name, x: tensor(0, 'x') };
  // `tf.reshape(x, shape=[-1])` in a loss (the DeepLearning.AI VAE's reconstruction term): every value in one axis, as K.flatten.
  if (name === 'reshape') {
    const shape = arg(1, 'shape', 'newshape');
    if (shape !== undefined && /^[[(]\s*-1\s*,?\s*[\])]$/.test(ctx.t.src(shape))) return { op: 'flatten', x: tensor(0, 'x', 'tensor') };
    // `K.reshape(t, (x.shape[0], 1))`, `tf.reshape(t, [-1, 28, 28])`: the batch first (its size, -1 or None), then numbers.
    const dims = shape !== undefined && ['tuple', 'list'].includes(ctx.t.type(shape)) ? ctx.t.children(shape).filter((c) => ctx.t.type(c) !== 'comment') : undefined;
    if (dims && dims.length >= 2 && BATCH_SIZE_TEXT.test(ctx.t.src(dims[0]).replace(/\s+/g, ''))) {
      const rest = dims.slice(1).map((d) => constant(ctx, translate(ctx, d, env, depth + 1), d));
      if (rest.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) && rest.filter((d) => d === -1).length <= 1) return { op: 'reshape', x: tensor(0, 'x', 'tensor'), shape: rest };
    }
  }
  if (COMPARISON_FUNCTIONS[name]) return { op: COMPARISON_FUNCTIONS[name], a: tensor(0, 'x', 'x1'), b: tensor(1, 'y', 'x2') };
  // `K.dot(x, kernel)`, `tf.matmul(a, b)`, `keras.ops.matmul(x1, x2)`: a product with a layer's weight, mostly. Transposed operands are not translated.
  if ((name === 'dot' && path.startsWith('keras.backend.')) || name === 'matmul') {
    // `tf.matmul(inputs, self.dense.weights[0], transpose_b=True)`: a weight matrix transposed (a tied-weights decoder's); a transposed batch of matrices is not translated.
    const transposeB = name === 'matmul' && keywords.has('transpose_b') && t.src(keywords.get('transpose_b')!) === 'True';
    for (const key of ['transpose_a', 'adjoint_a', 'adjoint_b', ...(transposeB ? [] : ['transpose_b'])]) {
      const given = keywords.get(key);
      if (given !== undefined && t.src(given) !== 'False') return fail(ctx, node, `multiplies with ${key}=${t.src(given)}, which nanguard does not translate`);
    }
    const b = tensor(1, 'y', 'b', 'x2');
    if (transposeB) {
      if (batchDependence(b) !== 'const') return fail(ctx, node, 'multiplies by a transposed tensor of the batch, which nanguard does not translate');
      return { op: 'matmul', a: tensor(0, 'x', 'a', 'x1'), b: { op: 'transpose', x: b } };
    }
    return { op: 'matmul', a: tensor(0, 'x', 'a', 'x1'), b };
  }
  if (name === 'expand_dims') {
    const axisNode = arg(1, 'axis', 'dim');
    const axis = axisNode === undefined ? -1 : constant(ctx, translate(ctx, axisNode, env, depth + 1), axisNode);
    if (!Number.isInteger(axis)) return fail(ctx, node, 'inserts an axis at a position nanguard does not know');
    return { op: 'expand_dims', x: tensor(0, 'x', 'input'), axis };
  }
  // `K.transpose(x)`, `tf.transpose(x)`: every axis reversed (a permutation given is not translated).
  if (name === 'transpose' && arg(1, 'perm', 'axes') === undefined) return { op: 'transpose', x: tensor(0, 'x', 'a') };
  // `tf.math.is_finite(t)`: x - x is 0 for a finite x and NaN for inf or NaN, which equals nothing; `is_nan(t)`: x != x.
  if (name === 'is_finite' || name === 'isfinite') {
    const x = tensor(0, 'x');
    return { op: 'equal', a: { op: 'sub', a: x, b: x }, b: { op: 'const', value: 0 } };
  }
  if (name === 'is_nan' || name === 'isnan') {
    const x = tensor(0, 'x');
    return { op: 'not_equal', a: x, b: x };
  }
  if (name === 'where' || (name === 'switch' && path.startsWith('keras.backend.'))) {
    // `tf.where(cond)` alone gives the positions where cond holds, not a selection.
    if (arg(1, 'x', 'x1', 'then_expression') === undefined || arg(2, 'y', 'x2', 'else_expression') === undefined) return fail(ctx, node, 'is a where of one argument (the positions of its true values), which nanguard does not translate');
    return { op: 'where', cond: tensor(0, 'condition'), a: tensor(1, 'x', 'x1', 'then_expression'), b: tensor(2, 'y', 'x2', 'else_expression') };
  }
  if (name === 'ones_like' || name === 'zeros_like') return { op: name, x: tensor(0, 'x', 'input', 'tensor') };
  if (name === 'cast') {
    // Comparisons are already 1 and 0 as floats: a cast to a float type changes nothing; to bool, what is not 0.
    const dtypeNode = arg(1, 'dtype');
    const dtype = dtypeNode === undefined ? '' : t.src(dtypeNode);
    if (/float(16|32|64)|floatx\(\)/.test(dtype)) return tensor(0, 'x');
    if (/\bbool\b/.test(dtype)) return { op: 'not_equal', a: tensor(0, 'x'), b: { op: 'const', value: 0 } };
    return fail(ctx, node, 'casts to a type nanguard does not translate (it translates casts to float types and bool)');
  }
  if (name === 'constant' || name === 'convert_to_tensor') {
    // `tf.constant(2.0)`, `K.constant(0.5)`, `tf.convert_to_tensor(y_true)`: the value, when it stays a float.
    const dtypeNode = arg(1, 'dtype');
    const dtype = dtypeNode === undefined ? '' : t.src(dtypeNode);
    if (dtype !== '' && !/float(16|32|64)|floatx\(\)/.test(dtype)) return fail(ctx, node, 'makes a constant of a type nanguard does not translate (it translates float constants)');
    return tensor(0, 'value');
  }
  if (name === 'clip' || name === 'clip_by_value') {
    const x = tensor(0, 'x', 't');
    const lo = arg(1, 'min_value', 'clip_value_min', 'x_min');
    const hi = arg(2, 'max_value', 'clip_value_max', 'x_max');
    if (lo === undefined || hi === undefined) return fail(ctx, node, 'needs both bounds');
    return { op: 'clip', x, min: constant(ctx, translate(ctx, lo, env, depth + 1), lo), max: constant(ctx, translate(ctx, hi, env, depth + 1), hi) };
  }
  if (name === 'resize' && /^tensorflow\.image\.resize$/.test(path)) {
    const sizeNode = arg(1, 'size');
    const size = sizeNode !== undefined ? ctx.resolve(sizeNode) : undefined;
    const dims = size?.k === 'seq' && size.items.length === 2 && size.items.every((d) => d.k === 'num' && Number.isInteger(d.v) && d.v > 0) ? size.items.map((d) => (d as { v: number }).v) : undefined;
    if (!dims) return fail(ctx, node, 'resizes to a size nanguard could not work out');
    // Bilinear, without antialiasing or a kept aspect ratio, is TensorFlow's default and the resize translated.
    const method = arg(2, 'method');
    const methodText = method !== undefined ? t.src(method) : undefined;
    if (methodText !== undefined && !/^(['"]bilinear['"]|(tf\.image\.)?ResizeMethod\.BILINEAR)$/.test(methodText)) return fail(ctx, node, `resizes with the method ${methodText}, where nanguard translates the bilinear one`);
    for (const key of ['preserve_aspect_ratio', 'antialias']) {
      const flag = keywords.get(key);
      if (flag !== undefined && t.src(flag) !== 'False') return fail(ctx, node, `resizes with ${key}=${t.src(flag)}, which nanguard does not translate`);
    }
    return { op: 'resize', x: tensor(0, 'images'), height: dims[0], width: dims[1] };
  }
  if (name === 'ssim' && /^tensorflow\.image\.ssim$/.test(path)) {
    const number = (i: number, key: string, fallback?: number): number => {
      const n = arg(i, key);
      if (n === undefined) return fallback ?? fail(ctx, node, `is missing its argument ${key}`);
      return constant(ctx, translate(ctx, n, env, depth + 1), n);
    };
    // TensorFlow's defaults for the window and the constants.
    return { op: 'ssim', a: tensor(0, 'img1'), b: tensor(1, 'img2'), maxVal: number(2, 'max_val'), filterSize: number(3, 'filter_size', 11), filterSigma: number(4, 'filter_sigma', 1.5), k1: number(5, 'k1', 0.01), k2: number(6, 'k2', 0.03) };
  }
  // A reduction's operand, axis and keepdims, as tf, K and keras.ops spell them.
  const reduction = () => {
    const x = tensor(0, 'x', 'input_tensor');
    const keepNode = arg(2, 'keepdims', 'keep_dims');
    return { x, axisNode: arg(1, 'axis'), keepdims: keepNode === undefined ? false : flag(ctx, keepNode, env) };
  };
  const reduce = REDUCE[name];
  if (reduce && isReduceOp(reduce) && !(path === 'max' || path === 'min')) {
    const { x, axisNode, keepdims } = reduction();
    if (axisNode !== undefined && everyAxisButBatch(ctx, axisNode, env)) {
      // A loss's mean over each sample's values, which Keras then averages over the batch: every sample
      // holds as many values, so that is the mean over all of them. A sum or a kept axis is not.
      if (reduce !== 'mean' || keepdims) return fail(ctx, axisNode, `reduces every axis but the batch's with ${name}, which nanguard translates only for a mean`);
      return { op: 'mean', x, axis: null, keepdims: false };
    }
    return { op: reduce, x, axis: axisNode === undefined ? null : axes(ctx, axisNode, env), keepdims };
  }
  // The population variance and standard deviation (numpy's and TensorFlow's, ddof 0): the mean square
  // deviation from the mean over the same axes, and its root.
  const spread = SPREAD[name];
  if (spread) {
    const { x, axisNode, keepdims } = reduction();
    const axis = axisNode === undefined ? null : axes(ctx, axisNode, env);
    const deviation: TensorExpr = { op: 'sub', a: x, b: { op: 'mean', x, axis, keepdims: true } };
    const variance: TensorExpr = { op: 'mean', x: { op: 'square', x: deviation }, axis, keepdims };
    return spread === 'var' ? variance : { op: 'sqrt', x: variance };
  }
  return fail(ctx, node, `calls ${name}, which nanguard does not translate`);
}

/**
 * `loss_fn(x, reconstruction)` with `loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)`:
 * the per-sample losses reduced over the batch as the object says (`reduction`: their mean by
 * default, their sum, or none), with the options it was built with.
 */
function lossObjectCall(ctx: ExpressionContext, node: PyNode, callee: Extract<Value, { k: 'loss' }>, positional: PyNode[], keywords: Map<string, PyNode>, env: Env, depth: number): TensorExpr {
  const name = lossName(callee.loss.name);
  if (name === undefined || !KERAS_LOSSES[name]) return fail(ctx, node, `calls a Keras loss object (${callee.loss.name}) that nanguard does not translate (it translates ${TRANSLATED_LOSS_NAMES})`);
  if (keywords.has('sample_weight') || positional.length > 2) return fail(ctx, node, 'passes sample weights, which nanguard does not translate');
  const yTrue = keywords.get('y_true') ?? positional[0];
  const yPred = keywords.get('y_pred') ?? positional[1];
  if (yTrue === undefined || yPred === undefined) return fail(ctx, node, 'is missing y_true or y_pred');
  const built = callee.arguments ?? { positional: [], keywords: new Map<string, Value>() };
  const options = lossObjectOptions(ctx, node, name, built);
  const perSample = kerasLoss(name, { ...options, perSample: true })(translate(ctx, yTrue, env, depth + 1), translate(ctx, yPred, env, depth + 1));
  if (options.reduction === 'none') return perSample;
  return { op: options.reduction === 'sum' ? 'sum' : 'mean', x: perSample, axis: null, keepdims: false };
}

/** The batch's size as a shape's first entry: -1, None, `x.shape[0]`, `K.shape(x)[0]`, `tf.shape(x)[0]`, `batch_size`. */
const BATCH_SIZE_TEXT = /^(-1|None|[\w.]+\.shape\[0\]|(K|tf|ops|keras\.ops)\.shape\([\w.]+\)\[0\]|batch_size|batch)$/;

/** `K.random_normal(shape=(batch, dim), mean=0., stddev=1.0)` and its tf and keras.random spellings (a `seed` changes nothing here: noise is drawn from the run's seed). */
function normalDraw(ctx: ExpressionContext, node: PyNode, positional: PyNode[], keywords: Map<string, PyNode>, env: Env, depth: number): TensorExpr {
  const shapeNode = keywords.get('shape') ?? positional[0];
  if (shapeNode === undefined) return fail(ctx, node, 'draws noise of a shape nanguard cannot see');
  const number = (key: string, index: number, fallback: number): number => {
    const n = keywords.get(key) ?? positional[index];
    return n === undefined ? fallback : constant(ctx, translate(ctx, n, env, depth + 1), n);
  };
  return { op: 'random_normal', shape: noiseShape(ctx, shapeNode, env), mean: number('mean', 1, 0), stddev: number('stddev', 2, 1) };
}

function axes(ctx: ExpressionContext, node: PyNode, env: Env): number[] | null {
  const { t } = ctx;
  const type = t.type(node);
  const given = valueOf(ctx, node, env);
  if (type === 'none' || given.k === 'none') return null;
  if (type === 'identifier' && given.k === 'seq') {
    return given.items.map((i) => (i.k === 'num' && Number.isInteger(i.v) ? i.v : fail(ctx, node, 'must be whole numbers')));
  }
  const read = (n: PyNode): number => {
    const v = valueOf(ctx, n, env);
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

/**
 * `range(1, K.ndim(x))`, `range(1, len(x.shape))` (in `list(...)` or `tuple(...)` too), or a name
 * bound to one: every axis of a tensor but the first, the batch's.
 */
function everyAxisButBatch(ctx: ExpressionContext, node: PyNode, env: Env): boolean {
  const { t } = ctx;
  if (t.type(node) === 'identifier') return env.everyAxisButBatch?.has(t.src(node)) === true;
  if (t.type(node) !== 'call') return false;
  const text = t.src(node).replace(/\s+/g, '');
  const range = /^(list|tuple)\((.*)\)$/.exec(text)?.[2] ?? text;
  // The rank of a tensor: `K.ndim(x)`, `x.ndim`, `len(x.shape)`, `len(K.int_shape(x))`.
  return /^range\(1,((\w+\.)*ndim\(\w+\)|\w+\.ndim|len\(\w+\.shape\)|len\((\w+\.)*(int_)?shape\(\w+\)\))\)$/.test(range);
}

function flag(ctx: ExpressionContext, node: PyNode, env: Env): boolean {
  const v = valueOf(ctx, node, env);
  if (v.k === 'bool') return v.v;
  return fail(ctx, node, 'must be True or False');
}

/** What changes a Keras loss besides its tensors: `from_logits=True`, `label_smoothing=0.1`, `axis=(1, 2)`; a loss object's `reduction`. */
interface LossOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
  /** The axes a per-sample loss averages (or, for the categorical cross-entropy, sums) over: the last by default. */
  axis?: number[];
  reduction?: 'mean' | 'sum' | 'none';
  /** Huber's threshold between its quadratic and linear parts. */
  delta?: number;
}

/** Keras's loss functions nanguard translates, by the IR's loss name (core/keras/names.ts), and the options each takes. */
const KERAS_LOSSES: Partial<Record<LossName, readonly string[]>> = {
  mse: [],
  mae: [],
  mape: [],
  msle: [],
  binary_crossentropy: ['from_logits', 'label_smoothing', 'axis'],
  categorical_crossentropy: ['from_logits', 'label_smoothing', 'axis'],
  kl_divergence: [],
  poisson: [],
  log_cosh: [],
  huber: ['delta'],
};

const TRANSLATED_LOSS_NAMES = 'mean squared, absolute, absolute percentage and squared logarithmic error, binary and categorical cross-entropy, KL divergence, Poisson, log-cosh and Huber';

/** keras.backend's losses (element-wise for the binary cross-entropy, over an axis for the categorical one), by function name. */
const BACKEND_LOSSES: Record<string, LossName> = { binary_crossentropy: 'binary_crossentropy', categorical_crossentropy: 'categorical_crossentropy' };

/** The options a loss function is called with (`binary_crossentropy(x, y, axis=(1, 2, 3))`); any it does not take, or that is not a known value, is refused by line. */
function lossOptions(ctx: ExpressionContext, node: PyNode, name: LossName, given: { accepted: readonly string[]; positional: PyNode[]; keywords: Map<string, PyNode>; skip: string[] }, env: Env): LossOptions {
  const { accepted } = given;
  const options: LossOptions = {};
  const entries: Array<[string, PyNode]> = [...given.positional.map((n, i): [string, PyNode] => [accepted[i] ?? `argument ${i + 3}`, n]), ...[...given.keywords].filter(([k]) => !given.skip.includes(k))];
  for (const [key, valueNode] of entries) {
    if (!accepted.includes(key)) return fail(ctx, node, `passes ${key} to ${name}, which nanguard does not translate`);
    if (key === 'from_logits') options.fromLogits = flag(ctx, valueNode, env);
    else if (key === 'label_smoothing') {
      options.labelSmoothing = constant(ctx, translate(ctx, valueNode, env), valueNode);
      if (options.labelSmoothing && name === 'categorical_crossentropy') return fail(ctx, node, 'smooths the labels of a categorical cross-entropy, which nanguard does not translate');
    } else if (key === 'axis') options.axis = axes(ctx, valueNode, env) ?? undefined;
    else if (key === 'delta') options.delta = constant(ctx, translate(ctx, valueNode, env), valueNode);
  }
  return options;
}

/** The options a loss object was built with (`BinaryCrossentropy(from_logits=True, reduction="sum")`), read from its arguments' values. */
function lossObjectOptions(ctx: ExpressionContext, node: PyNode, name: LossName, built: { positional: Value[]; keywords: ReadonlyMap<string, Value> }): LossOptions {
  const accepted = KERAS_LOSSES[name] ?? [];
  // Keras's constructors: the loss's own options first, then reduction and name.
  const order = [...accepted, 'reduction', 'name'];
  const options: LossOptions = {};
  const entries: Array<[string, Value]> = [...built.positional.map((v, i): [string, Value] => [order[i] ?? `argument ${i + 1}`, v]), ...built.keywords];
  const unreadable = (key: string): never => fail(ctx, node, `calls a ${name} loss object built with ${key} of a value nanguard does not know`);
  for (const [key, v] of entries) {
    if (key === 'name' || key === 'dtype') continue;
    if (key === 'reduction') {
      const text = v.k === 'str' ? v.v : v.k === 'ref' ? lastSegment(v.path) : v.k === 'none' ? 'none' : unreadable(key);
      const reduction = { auto: 'mean', sum_over_batch_size: 'mean', sum: 'sum', none: 'none' }[text.toLowerCase()] as LossOptions['reduction'];
      if (reduction === undefined) return fail(ctx, node, `calls a ${name} loss object with reduction ${text}, which nanguard does not translate`);
      options.reduction = reduction;
    } else if (!accepted.includes(key)) return fail(ctx, node, `calls a ${name} loss object built with ${key}, which nanguard does not translate`);
    else if (key === 'from_logits') options.fromLogits = v.k === 'bool' ? v.v : unreadable(key);
    else if (key === 'label_smoothing') {
      options.labelSmoothing = v.k === 'num' ? v.v : unreadable(key);
      if (options.labelSmoothing && name === 'categorical_crossentropy') return fail(ctx, node, 'calls a categorical cross-entropy that smooths its labels, which nanguard does not translate');
    } else if (key === 'delta') options.delta = v.k === 'num' ? v.v : unreadable(key);
    else if (key === 'axis') {
      const items = v.k === 'num' ? [v] : v.k === 'seq' ? v.items : [];
      if (items.length === 0 || items.some((i) => i.k !== 'num' || !Number.isInteger(i.v))) return unreadable(key);
      options.axis = items.map((i) => (i as { v: number }).v);
    }
  }
  return options;
}

/** Binary cross-entropy of labels `z` and logits `x` in TensorFlow's stable form: max(x, 0) - x * z + log(1 + exp(-|x|)). */
function sigmoidCrossEntropyWithLogits(z: TensorExpr, x: TensorExpr): TensorExpr {
  return { op: 'add', a: { op: 'sub', a: { op: 'maximum', a: x, b: { op: 'const', value: 0 } }, b: { op: 'mul', a: x, b: z } }, b: { op: 'log1p', x: { op: 'exp', x: { op: 'neg', x: { op: 'abs', x } } } } };
}

/**
 * Keras's loss functions (Keras 3's `keras.losses`), as expressions of (y_true, y_pred): one value
 * per sample (`perSample`), else element-wise (keras.backend's binary cross-entropy).
 */
function kerasLoss(name: LossName, options: LossOptions & { perSample: boolean }): (t: TensorExpr, p: TensorExpr) => TensorExpr {
  const axis = options.axis ?? [-1];
  const c = (value: number): TensorExpr => ({ op: 'const', value });
  const perSample = (x: TensorExpr): TensorExpr => (options.perSample ? { op: 'mean', x, axis, keepdims: false } : x);
  // label_smoothing: binary targets pulled towards 0.5 (the categorical one's, towards 1 / classes, is refused where it is read).
  const smoothed = (t: TensorExpr): TensorExpr => (options.labelSmoothing ? { op: 'add', a: { op: 'mul', a: t, b: c(1 - options.labelSmoothing) }, b: c(0.5 * options.labelSmoothing) } : t);
  // At least eps (and at most `max`): the plan is JSON, where Infinity has no spelling.
  const clipped = (x: TensorExpr, max?: number): TensorExpr => (max === undefined ? { op: 'maximum', a: x, b: c(KERAS_EPSILON) } : { op: 'clip', x, min: KERAS_EPSILON, max });
  switch (name) {
    case 'mse':
      return (t, p) => perSample({ op: 'square', x: { op: 'sub', a: p, b: t } });
    case 'mae':
      return (t, p) => perSample({ op: 'abs', x: { op: 'sub', a: p, b: t } });
    case 'mape':
      // 100 * |t - p| / max(|t|, eps)
      return (t, p) => perSample({ op: 'mul', a: c(100), b: { op: 'div', a: { op: 'abs', x: { op: 'sub', a: t, b: p } }, b: clipped({ op: 'abs', x: t }) } });
    case 'msle':
      return (t, p) => perSample({ op: 'squared_difference', a: { op: 'log1p', x: clipped(p) }, b: { op: 'log1p', x: clipped(t) } });
    case 'binary_crossentropy':
      return (t, p) => {
        const z = smoothed(t);
        return perSample(options.fromLogits ? sigmoidCrossEntropyWithLogits(z, p) : { op: 'bce', a: z, b: p });
      };
    case 'categorical_crossentropy':
      return (t, p) => {
        const classAxis = axis.length === 1 ? axis : [-1];
        const sum = (x: TensorExpr, keepdims: boolean): TensorExpr => ({ op: 'sum', x, axis: classAxis, keepdims });
        if (options.fromLogits) {
          // -sum(t * log_softmax(x)), log_softmax(x) = x - m - log(sum(exp(x - m))) with m the largest logit.
          const shifted: TensorExpr = { op: 'sub', a: p, b: { op: 'max', x: p, axis: classAxis, keepdims: true } };
          const logSoftmax: TensorExpr = { op: 'sub', a: shifted, b: { op: 'log', x: sum({ op: 'exp', x: shifted }, true) } };
          return { op: 'neg', x: sum({ op: 'mul', a: t, b: logSoftmax }, false) };
        }
        // Probabilities scaled to sum to one, clipped to [eps, 1 - eps], as Keras does.
        const probabilities: TensorExpr = { op: 'clip', x: { op: 'div', a: p, b: sum(p, true) }, min: KERAS_EPSILON, max: 1 - KERAS_EPSILON };
        return { op: 'neg', x: sum({ op: 'mul', a: t, b: { op: 'log', x: probabilities } }, false) };
      };
    case 'kl_divergence':
      return (t, p) => {
        const tc = clipped(t, 1);
        return { op: 'sum', x: { op: 'mul', a: tc, b: { op: 'log', x: { op: 'div', a: tc, b: clipped(p, 1) } } }, axis: [-1], keepdims: false };
      };
    case 'poisson':
      return (t, p) => perSample({ op: 'sub', a: p, b: { op: 'mul', a: t, b: { op: 'log', x: { op: 'add', a: p, b: c(KERAS_EPSILON) } } } });
    case 'log_cosh':
      // log(cosh(x)) = x + softplus(-2x) - log(2), with x = p - t.
      return (t, p) => {
        const x: TensorExpr = { op: 'sub', a: p, b: t };
        return perSample({ op: 'sub', a: { op: 'add', a: x, b: { op: 'softplus', x: { op: 'mul', a: c(-2), b: x } } }, b: c(Math.log(2)) });
      };
    case 'huber':
      // Keras 3: 0.5 x^2 where |x| <= delta, delta |x| - 0.5 delta^2 elsewhere, with x = p - t.
      return (t, p) => {
        const delta = options.delta ?? 1;
        const x: TensorExpr = { op: 'sub', a: p, b: t };
        const quadratic: TensorExpr = { op: 'mul', a: c(0.5), b: { op: 'square', x } };
        const linear: TensorExpr = { op: 'sub', a: { op: 'mul', a: c(delta), b: { op: 'abs', x } }, b: c(0.5 * delta * delta) };
        return perSample({ op: 'where', cond: { op: 'less_equal', a: { op: 'abs', x }, b: c(delta) }, a: quadratic, b: linear });
      };
    default:
      throw new Untranslatable(`the loss ${name} is not translated`);
  }
}
