/**
 * Small tensor expressions: what a `Lambda` layer or a custom loss computes, when it is made
 * of element-wise operations and reductions (`lambda x: x * 0.1`, `K.mean(K.square(y_pred -
 * y_true), axis=-1)`). The Python front-end translates such code into this form; the
 * reproduction evaluates it with TensorFlow.js operations. Plain data, no TensorFlow.js here.
 */

/** Operations of one tensor, element by element. */
export const UNARY_OPS = [
  'neg', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'square', 'abs', 'sign', 'reciprocal',
  'sigmoid', 'tanh', 'relu', 'relu6', 'elu', 'selu', 'softplus', 'softsign', 'sin', 'cos', 'floor', 'ceil', 'round',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Operations of two tensors (or a tensor and a number), element by element, with broadcasting. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squared_difference', 'bce'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions over axes (all axes when `axis` is null). */
export const REDUCE_OPS = ['mean', 'sum', 'max', 'min', 'prod'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

export type TensorExpr =
  /** The function's argument: a Lambda's input (0), or a loss's y_true (0) and y_pred (1). */
  | { op: 'arg'; index: number }
  | { op: 'const'; value: number }
  | { op: UnaryOp; x: TensorExpr }
  /** `bce`: binary cross-entropy of targets `a` and probabilities `b`, element by element (probabilities clipped to [1e-7, 1 - 1e-7], as Keras does). */
  | { op: BinaryOp; a: TensorExpr; b: TensorExpr }
  | { op: 'clip'; x: TensorExpr; min: number; max: number }
  | { op: ReduceOp; x: TensorExpr; axis: number[] | null; keepdims: boolean };

export function isUnaryOp(op: string): op is UnaryOp {
  return (UNARY_OPS as readonly string[]).includes(op);
}

export function isBinaryOp(op: string): op is BinaryOp {
  return (BINARY_OPS as readonly string[]).includes(op);
}

export function isReduceOp(op: string): op is ReduceOp {
  return (REDUCE_OPS as readonly string[]).includes(op);
}

/**
 * The output shape (batch first) of an expression of one input of shape `input`: element-wise
 * operations keep it, reductions drop (or keep as 1) their axes. Null when not known.
 */
export function exprOutputShape(expr: TensorExpr, input: (number | null)[]): (number | null)[] | null {
  switch (expr.op) {
    case 'arg':
      return input.slice();
    case 'const':
      return [];
    case 'clip':
      return exprOutputShape(expr.x, input);
    default:
      break;
  }
  if ('a' in expr) {
    const a = exprOutputShape(expr.a, input);
    const b = exprOutputShape(expr.b, input);
    if (!a || !b) return null;
    return broadcast(a, b);
  }
  if ('axis' in expr) {
    const inner = exprOutputShape(expr.x, input);
    if (!inner) return null;
    if (expr.axis === null) return expr.keepdims ? inner.map(() => 1) : [];
    const axes = new Set(expr.axis.map((a) => (a < 0 ? inner.length + a : a)));
    if ([...axes].some((a) => a < 0 || a >= inner.length)) return null;
    return expr.keepdims ? inner.map((d, i) => (axes.has(i) ? 1 : d)) : inner.filter((_, i) => !axes.has(i));
  }
  return exprOutputShape((expr as { x: TensorExpr }).x, input);
}

function broadcast(a: (number | null)[], b: (number | null)[]): (number | null)[] | null {
  const n = Math.max(a.length, b.length);
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1 || x === y || y === null) out.push(x);
    else if (x === null) out.push(y);
    else return null;
  }
  return out;
}

/** True when the expression reads its argument number `index`. */
export function readsArg(expr: TensorExpr, index: number): boolean {
  if (expr.op === 'arg') return expr.index === index;
  if (expr.op === 'const') return false;
  if ('a' in expr) return readsArg(expr.a, index) || readsArg(expr.b, index);
  return readsArg((expr as { x: TensorExpr }).x, index);
}
