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
  // A tensor of ones (zeros) of the operand's shape (`tf.ones_like(y_pred)`).
  'ones_like', 'zeros_like',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Operations of two tensors (or a tensor and a number), element by element, with broadcasting. */
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squared_difference', 'bce',
  // Comparisons, 1 where they hold and 0 elsewhere (`K.cast(K.equal(y_true, 1), 'float32')`); the condition of a `where`.
  'equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions over axes (all axes when `axis` is null). */
export const REDUCE_OPS = ['mean', 'sum', 'max', 'min', 'prod'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** One axis of `index`: a position, or a range. */
export type IndexAxis = { index: number } | { start: number | null; stop: number | null };

/** The positions a Python slice `start:stop` keeps of an axis of `n`: its first and how many. */
export function sliceRange(n: number, start: number | null, stop: number | null): { begin: number; size: number } {
  const clamp = (v: number) => Math.min(n, Math.max(0, v < 0 ? n + v : v));
  const begin = start === null ? 0 : clamp(start);
  const end = stop === null ? n : clamp(stop);
  return { begin, size: Math.max(0, end - begin) };
}

/** One size of a drawn tensor's shape: a number, or a size of another tensor (`K.shape(z_mean)[0]`, the batch). */
export type NoiseDim = number | { of: TensorExpr; axis: number };

export type TensorExpr =
  /**
   * The function's argument: a Lambda's input (0; input i of a Lambda applied to a list of
   * tensors), a loss's y_true (0) and y_pred (1), or the i-th tensor an added loss reads.
   */
  | { op: 'arg'; index: number }
  | { op: 'const'; value: number }
  /** A row of constants along the last axis, one per feature (`x - self.mean` with a per-column mean the program computed). */
  | { op: 'row'; values: number[] }
  /**
   * A per-column statistic of an array of the program's (`self.mean` of `nums.mean(axis=0)`), as a
   * row along the last axis: `data` numbers the model's `data.statistics`; the plan reads that data
   * and puts the row in its place. `ddof` as numpy's (pandas's std and var: 1).
   */
  | { op: 'statistic'; label: 'mean' | 'std' | 'var' | 'min' | 'max'; data: number; ddof: number }
  /**
   * `x[:, 0]`, `x[:, 2:5]`: on each axis after the batch's, in order, one position (the axis goes)
   * or a range (Python's, negative counting from the end; null: that end); axes past the list are kept whole.
   * `fromEnd` (`x[..., 0]`): the list is of the last axes, those before it kept whole.
   */
  | { op: 'index'; x: TensorExpr; axes: IndexAxis[]; fromEnd?: true }
  | { op: UnaryOp; x: TensorExpr }
  /** `bce`: binary cross-entropy of targets `a` and probabilities `b`, element by element (probabilities clipped to [1e-7, 1 - 1e-7], as Keras does). */
  | { op: BinaryOp; a: TensorExpr; b: TensorExpr }
  | { op: 'clip'; x: TensorExpr; min: number; max: number }
  /** `tf.where(cond, a, b)`: `a` where the condition is not 0, `b` elsewhere, broadcast together (both computed, as TensorFlow does). */
  | { op: 'where'; cond: TensorExpr; a: TensorExpr; b: TensorExpr }
  /** The last axis (an image's channels) in reverse order: keras.applications' RGB to BGR. */
  | { op: 'reverse_channels'; x: TensorExpr }
  /** A number added to each channel (the last axis), one per channel: `preprocess_input`'s mean pixel taken off. */
  | { op: 'channel_offset'; x: TensorExpr; values: number[] }
  /** `K.flatten`: every value in one axis (the batch's too); `K.batch_flatten`: one row of values per sample. */
  | { op: 'flatten' | 'batch_flatten'; x: TensorExpr }
  /** `K.reshape(t, (x.shape[0], 1))`: each sample's values in the shape given after the batch's (one -1 at most), the batch kept. */
  | { op: 'reshape'; x: TensorExpr; shape: number[] }
  | { op: ReduceOp; x: TensorExpr; axis: number[] | null; keepdims: boolean }
  /**
   * Gaussian noise (`K.random_normal(shape=(K.shape(z_mean)[0], dim))`): fresh draws at each
   * evaluation, of the given sizes or of the shape of `like` (`tf.random.normal(tf.shape(x))`).
   */
  | { op: 'random_normal'; shape: NoiseDim[] | { like: TensorExpr }; mean: number; stddev: number }
  /**
   * `tf.image.ssim(a, b, max_val)`: the structural similarity of two batches of images (batch,
   * height, width, channels), one value per image, as TensorFlow computes it (a Gaussian window of
   * `filterSize` and `filterSigma`, valid positions only, the mean over positions and channels).
   */
  | { op: 'ssim'; a: TensorExpr; b: TensorExpr; maxVal: number; filterSize: number; filterSigma: number; k1: number; k2: number }
  /** `size` entries of `x` along `axis` from `begin` (a part of `tf.split`: the CVAE's mean and log-variance halves). */
  | { op: 'slice'; x: TensorExpr; axis: number; begin: number; size: number }
  /** `tf.image.resize(x, (height, width))`: images (batch, height, width, channels) resized bilinearly, as TensorFlow 2 does (half-pixel centers, no antialiasing). */
  | { op: 'resize'; x: TensorExpr; height: number; width: number }
  /**
   * A trainable weight of a custom layer, made in its `build` by `self.add_weight(shape=...,
   * initializer=...)` (DEC's cluster centres, an attention kernel): the layer's weight `index`,
   * of that shape (no batch axis), started by the Keras initializer named.
   */
  | { op: 'weight'; index: number; name: string; shape: number[]; initializer: string }
  /**
   * A weight of another layer of the model, read and trained where it is (a tied-weights
   * autoencoder's `DenseTranspose`: `tf.matmul(inputs, self.dense.weights[0], transpose_b=True)`):
   * the Dense layer named `layer`, its `kernel` (inputs x units) or `bias` (units).
   */
  | { op: 'layer_weight'; layer: string; weight: 'kernel' | 'bias'; shape: number[] }
  /** `K.dot(x, w)`, `tf.matmul(a, b)`, `a @ b`: the product over the last axis of `a` and the first of a 2-D `b` (or a batched product of two tensors of one rank). */
  | { op: 'matmul'; a: TensorExpr; b: TensorExpr }
  /** `K.expand_dims(x, axis)`: an axis of 1 inserted at `axis` (counted with the batch's, negative from the end). */
  | { op: 'expand_dims'; x: TensorExpr; axis: number }
  /** `K.transpose(x)`: every axis in reverse order, the batch's included. */
  | { op: 'transpose'; x: TensorExpr };

/** Every operation of an expression, each node once, the operands of a noise draw's shape included. */
function eachOp(expr: TensorExpr, seen: (e: TensorExpr) => void): void {
  const visit = (e: TensorExpr): void => {
    seen(e);
    if (e.op === 'random_normal') {
      if (!Array.isArray(e.shape)) visit(e.shape.like);
      else for (const d of e.shape) if (typeof d !== 'number') visit(d.of);
    } else if (e.op === 'where') [e.cond, e.a, e.b].forEach(visit);
    else if ('a' in e) [e.a, e.b].forEach(visit);
    else if ('x' in e) visit(e.x);
  };
  visit(expr);
}

/** The other layers' weights an expression reads (`layer_weight`), each once. */
export function exprLayerWeights(expr: TensorExpr): Extract<TensorExpr, { op: 'layer_weight' }>[] {
  const found = new Map<string, Extract<TensorExpr, { op: 'layer_weight' }>>();
  eachOp(expr, (e) => void (e.op === 'layer_weight' && found.set(`${e.layer}/${e.weight}`, e)));
  return [...found.values()];
}

/** The weights an expression reads, each once, in the order of their index. */
export function exprWeights(expr: TensorExpr): Extract<TensorExpr, { op: 'weight' }>[] {
  const found = new Map<number, Extract<TensorExpr, { op: 'weight' }>>();
  eachOp(expr, (e) => void (e.op === 'weight' && found.set(e.index, e)));
  return [...found.values()].sort((a, b) => a.index - b.index);
}

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
  return exprOutputShapeOf(expr, [input]);
}

/** The output shape (batch first) of an expression of several inputs (argument i has shape `inputs[i]`). Null when not known. */
export function exprOutputShapeOf(expr: TensorExpr, inputs: (number | null)[][]): (number | null)[] | null {
  switch (expr.op) {
    case 'arg':
      return inputs[expr.index]?.slice() ?? null;
    case 'const':
      return [];
    case 'row':
      return [expr.values.length];
    case 'statistic':
      return [null];
    case 'index': {
      const inner = exprOutputShapeOf(expr.x, inputs);
      if (!inner || expr.axes.length >= inner.length) return null;
      const out: (number | null)[] = [inner[0]];
      const first = expr.fromEnd ? inner.length - expr.axes.length : 1;
      for (let i = 1; i < inner.length; i++) {
        const axis = i >= first ? expr.axes[i - first] : undefined;
        const n = inner[i];
        if (!axis) out.push(n);
        else if ('index' in axis) {
          if (n !== null && (axis.index >= n || axis.index < -n)) return null;
        } else out.push(n === null ? null : sliceRange(n, axis.start, axis.stop).size);
      }
      return out;
    }
    case 'clip':
      return exprOutputShapeOf(expr.x, inputs);
    case 'flatten':
    case 'batch_flatten': {
      const inner = exprOutputShapeOf(expr.x, inputs);
      if (!inner) return null;
      const rest = inner.slice(expr.op === 'flatten' ? 0 : 1);
      const size = rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1);
      return expr.op === 'flatten' ? [size] : [inner[0] ?? null, size];
    }
    case 'reshape': {
      const inner = exprOutputShapeOf(expr.x, inputs);
      if (!inner) return null;
      const rest = inner.slice(1);
      const size = rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1);
      const known = expr.shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      return [inner[0] ?? null, ...expr.shape.map((d) => (d === -1 ? (size === null || known === 0 ? null : size / known) : d))];
    }
    case 'slice': {
      const inner = exprOutputShapeOf(expr.x, inputs);
      const axis = inner && expr.axis < 0 ? inner.length + expr.axis : expr.axis;
      if (!inner || axis < 0 || axis >= inner.length) return null;
      return inner.map((d, i) => (i === axis ? expr.size : d));
    }
    case 'random_normal': {
      if (!Array.isArray(expr.shape)) return exprOutputShapeOf(expr.shape.like, inputs);
      const out: (number | null)[] = [];
      for (const d of expr.shape) {
        if (typeof d === 'number') out.push(d);
        else {
          const of = exprOutputShapeOf(d.of, inputs);
          if (!of) return null;
          out.push(of[d.axis < 0 ? of.length + d.axis : d.axis] ?? null);
        }
      }
      return out;
    }
    case 'resize': {
      const inner = exprOutputShapeOf(expr.x, inputs);
      return inner && inner.length === 4 ? [inner[0], expr.height, expr.width, inner[3]] : null;
    }
    case 'ssim': {
      const a = exprOutputShapeOf(expr.a, inputs);
      return a && a.length === 4 ? [a[0]] : null;
    }
    case 'weight':
    case 'layer_weight':
      return expr.shape.slice();
    case 'matmul': {
      const a = exprOutputShapeOf(expr.a, inputs);
      const b = exprOutputShapeOf(expr.b, inputs);
      if (!a || !b || a.length < 2 || b.length < 2) return null;
      const inner = a[a.length - 1];
      if (b.length === 2) return inner !== null && b[0] !== null && inner !== b[0] ? null : [...a.slice(0, -1), b[1]];
      if (a.length !== b.length) return null;
      return [...a.slice(0, -1), b[b.length - 1]];
    }
    case 'expand_dims': {
      const inner = exprOutputShapeOf(expr.x, inputs);
      if (!inner) return null;
      const at = expr.axis < 0 ? inner.length + 1 + expr.axis : expr.axis;
      if (at < 0 || at > inner.length) return null;
      return [...inner.slice(0, at), 1, ...inner.slice(at)];
    }
    case 'transpose': {
      const inner = exprOutputShapeOf(expr.x, inputs);
      return inner ? inner.slice().reverse() : null;
    }
    case 'where': {
      const shapes = [expr.cond, expr.a, expr.b].map((e) => exprOutputShapeOf(e, inputs));
      if (shapes.some((sh) => !sh)) return null;
      const ab = broadcast(shapes[1]!, shapes[2]!);
      return ab && broadcast(shapes[0]!, ab);
    }
    default:
      break;
  }
  if ('a' in expr) {
    const a = exprOutputShapeOf(expr.a, inputs);
    const b = exprOutputShapeOf(expr.b, inputs);
    if (!a || !b) return null;
    return broadcast(a, b);
  }
  if ('axis' in expr) {
    const inner = exprOutputShapeOf(expr.x, inputs);
    if (!inner) return null;
    if (expr.axis === null) return expr.keepdims ? inner.map(() => 1) : [];
    const axes = new Set(expr.axis.map((a) => (a < 0 ? inner.length + a : a)));
    if ([...axes].some((a) => a < 0 || a >= inner.length)) return null;
    return expr.keepdims ? inner.map((d, i) => (axes.has(i) ? 1 : d)) : inner.filter((_, i) => !axes.has(i));
  }
  return exprOutputShapeOf((expr as { x: TensorExpr }).x, inputs);
}

function broadcast(a: (number | null)[], b: (number | null)[]): (number | null)[] | null {
  const n = Math.max(a.length, b.length);
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    // A missing leading axis counts as 1; an axis of unknown size (null, the batch's) stays unknown.
    const x = a.length - n + i >= 0 ? a[a.length - n + i] : 1;
    const y = b.length - n + i >= 0 ? b[b.length - n + i] : 1;
    if (x === 1) out.push(y);
    else if (y === 1 || x === y || y === null) out.push(x);
    else if (x === null) out.push(y);
    else return null;
  }
  return out;
}

/** True when the expression is one number whatever its arguments' shapes: a full reduction (`tf.reduce_mean(x)`), a constant, or element-wise operations of those. */
export function reducesToScalar(expr: TensorExpr): boolean {
  if (expr.op === 'const') return true;
  if (isReduceOp(expr.op)) return 'keepdims' in expr && expr.axis === null && !expr.keepdims;
  if (isUnaryOp(expr.op)) return reducesToScalar((expr as { x: TensorExpr }).x);
  if (isBinaryOp(expr.op) && 'a' in expr) return reducesToScalar(expr.a) && reducesToScalar(expr.b);
  return false;
}

/**
 * How an expression's value depends on the samples of its batch, for splitting a batch into
 * micro-batches whose losses add up to the batch's:
 * - `const`: no sample's;
 * - `sample`: each sample's values from that sample alone, the batch axis first;
 * - `flat`: such values with the batch merged into one axis (`K.flatten`);
 * - `shifted`: per-sample values plus a batch mean (`recon + kl` where `recon` is a full mean);
 * - `mean`: one number, linear in the samples' average (`K.mean(...)` over the batch, scaled or added);
 * - `other`: anything else (a sum, maximum or nonlinear function over the batch).
 */
export type BatchDependence = 'const' | 'sample' | 'flat' | 'shifted' | 'mean' | 'other';

export function batchDependence(expr: TensorExpr): BatchDependence {
  switch (expr.op) {
    case 'arg':
      return 'sample';
    case 'const':
    case 'row':
    case 'statistic':
    case 'weight':
    case 'layer_weight':
      return 'const';
    case 'matmul': {
      // Each sample's values times the layer's weights stay that sample's; anything else mixes the batch.
      const a = batchDependence(expr.a);
      const b = batchDependence(expr.b);
      return b === 'const' && (a === 'sample' || a === 'const') ? a : 'other';
    }
    case 'expand_dims':
      return expr.axis === 0 ? 'other' : elementwise([batchDependence(expr.x)]);
    case 'transpose':
      return batchDependence(expr.x) === 'const' ? 'const' : 'other';
    case 'random_normal':
      // Noise drawn per sample follows the batch it is given; noise of a fixed number of rows does not.
      return Array.isArray(expr.shape) && typeof expr.shape[0] === 'number' ? 'other' : 'sample';
    case 'flatten': {
      const x = batchDependence(expr.x);
      return x === 'const' ? 'const' : x === 'sample' ? 'flat' : 'other';
    }
    case 'slice':
      return expr.axis === 0 ? 'other' : elementwise([batchDependence(expr.x)]);
    case 'where':
      return elementwise([batchDependence(expr.cond), batchDependence(expr.a), batchDependence(expr.b)]);
    case 'ssim':
      // One value an image, of that image's pixels.
      return elementwise([batchDependence(expr.a), batchDependence(expr.b)]);
    default:
      break;
  }
  if (isReduceOp(expr.op) && 'axis' in expr) {
    const x = batchDependence(expr.x);
    if (x === 'const' || x === 'other') return x;
    // Over the batch's axis: a mean is linear in the samples' average; a sum, maximum or product is not.
    const overBatch = expr.axis === null || expr.axis.includes(0) || x === 'flat' || x === 'mean';
    if (overBatch) return expr.op === 'mean' ? 'mean' : 'other';
    return expr.op === 'mean' || expr.op === 'sum' ? x : x === 'sample' ? 'sample' : 'other';
  }
  if (isBinaryOp(expr.op) && 'a' in expr) {
    const a = batchDependence(expr.a);
    const b = batchDependence(expr.b);
    const linear = (k: BatchDependence): boolean => k === 'mean' || k === 'shifted';
    if (expr.op === 'add' || expr.op === 'sub') {
      if ((a === 'mean' || a === 'const') && (b === 'mean' || b === 'const')) return a === 'const' && b === 'const' ? 'const' : 'mean';
      if ((linear(a) && (b === 'sample' || b === 'shifted')) || (linear(b) && (a === 'sample' || a === 'shifted'))) return 'shifted';
    }
    if ((expr.op === 'mul' || expr.op === 'div') && ((linear(a) && b === 'const') || (expr.op === 'mul' && a === 'const' && linear(b)))) return linear(a) ? a : b;
    return elementwise([a, b]);
  }
  if (isUnaryOp(expr.op) && 'x' in expr) {
    const x = batchDependence(expr.x);
    return expr.op === 'neg' && (x === 'mean' || x === 'shifted') ? x : elementwise([x]);
  }
  // Operations of each sample's values (index, reshape, clip, ssim, resize, channels): what their argument is.
  return 'x' in expr ? elementwise([batchDependence(expr.x)]) : 'other';
}

/** An element-wise operation of operands of these kinds: per-sample if they all are (or constants), flat if they all are. */
function elementwise(kinds: BatchDependence[]): BatchDependence {
  if (kinds.every((k) => k === 'const')) return 'const';
  if (kinds.every((k) => k === 'const' || k === 'sample')) return 'sample';
  if (kinds.every((k) => k === 'const' || k === 'flat')) return 'flat';
  return 'other';
}

/** True when the expression reads its argument number `index`. */
export function readsArg(expr: TensorExpr, index: number): boolean {
  if (expr.op === 'arg') return expr.index === index;
  if (expr.op === 'const' || expr.op === 'row' || expr.op === 'statistic' || expr.op === 'weight' || expr.op === 'layer_weight') return false;
  if (expr.op === 'random_normal') return Array.isArray(expr.shape) ? expr.shape.some((d) => typeof d !== 'number' && readsArg(d.of, index)) : readsArg(expr.shape.like, index);
  if (expr.op === 'where' && readsArg(expr.cond, index)) return true;
  if ('a' in expr) return readsArg(expr.a, index) || readsArg(expr.b, index);
  return readsArg((expr as { x: TensorExpr }).x, index);
}

/** The largest argument index the expression reads, plus one (0 for an expression of no argument). */
export function argCount(expr: TensorExpr): number {
  let count = 0;
  const visit = (e: TensorExpr): void => {
    if (e.op === 'arg') count = Math.max(count, e.index + 1);
    else if (e.op === 'const' || e.op === 'row' || e.op === 'statistic' || e.op === 'weight' || e.op === 'layer_weight') return;
    else if (e.op === 'random_normal') {
      if (!Array.isArray(e.shape)) visit(e.shape.like);
      else for (const d of e.shape) if (typeof d !== 'number') visit(d.of);
    } else if ('a' in e) {
      if (e.op === 'where') visit(e.cond);
      visit(e.a);
      visit(e.b);
    } else visit((e as { x: TensorExpr }).x);
  };
  visit(expr);
  return count;
}

/** The expression with argument i replaced by `args[i]`. */
export function substituteArgs(expr: TensorExpr, args: TensorExpr[]): TensorExpr {
  const visit = (e: TensorExpr): TensorExpr => {
    switch (e.op) {
      case 'arg':
        return args[e.index] ?? e;
      case 'const':
      case 'row':
      case 'statistic':
      case 'weight':
      case 'layer_weight':
        return e;
      case 'random_normal':
        return { ...e, shape: Array.isArray(e.shape) ? e.shape.map((d) => (typeof d === 'number' ? d : { of: visit(d.of), axis: d.axis })) : { like: visit(e.shape.like) } };
      case 'where':
        return { ...e, cond: visit(e.cond), a: visit(e.a), b: visit(e.b) };
      default:
        if ('a' in e) return { ...e, a: visit(e.a), b: visit(e.b) };
        return { ...e, x: visit((e as { x: TensorExpr }).x) } as TensorExpr;
    }
  };
  return visit(expr);
}
