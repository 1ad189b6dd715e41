/**
 * Finds numerically delicate operations (log, exp, sqrt, pow, division by a non-constant) in
 * one pass over the whole file's nodes (in order, no recursion), with the context they run in: a loss, a layer, data
 * preparation, or elsewhere.
 */
import type { NumericOp, SourceLocation } from '../../ir';
import { canonicalPath } from './keras';
import type { PyNode, PyTree } from './syntax';
import type { Scope, Value } from './values';

const DELICATE: Record<string, NumericOp['fn']> = {
  log: 'log',
  log1p: 'log',
  log2: 'log',
  log10: 'log',
  exp: 'exp',
  sqrt: 'sqrt',
  rsqrt: 'sqrt',
  pow: 'pow',
  power: 'pow',
  reciprocal: 'reciprocal',
};

/** NaN tests and replacements: inside a loss or a training step they hide a non-finite value rather than prevent it. */
const NAN_MASKS = new Set(['is_nan', 'isnan', 'is_finite', 'isfinite', 'is_inf', 'isinf', 'nan_to_num', 'multiply_no_nan']);
/** The targets: testing them for NaN masks missing labels, which is a sound design, not a hidden failure. */
const TARGETS = /^\s*(?:y_true|y|target|targets|label|labels|y_gt|true|truth)\b/;
/** Functions that run one training step by hand. */
const TRAIN_STEP = /^(?:train_step|training_step|train_on_batch|step)$/;

/** Modules whose log/exp/sqrt are the numerically delicate ones. */
const NUMERIC_MODULE = /^(numpy|tensorflow|keras|math|torch|jax|scipy)(\.|$)/;
/**
 * `1e-10 + 1 - p`: the epsilon is added to 1 first, and float32 rounds 1 + 1e-10 to 1.0 (its
 * numbers next to 1 are 6e-8 apart), so what is left is 1 - p, exactly 0 at a saturated output.
 * The epsilon written, or undefined.
 */
function absorbedEpsilon(argument: string): number | undefined {
  const m = /^\s*\(?\s*(\d*\.?\d*e-\d+)\s*\+\s*1(?:\.0*)?\s*-/i.exec(argument);
  const value = m ? Number(m[1]) : NaN;
  return Number.isFinite(value) && value > 0 && value < 2 ** -24 ? value : undefined;
}

/** Whether the argument of a log, sqrt or division is kept off 0 as written (a clip, a maximum, an epsilon float32 keeps, ...); `absorbed`: its absorbedEpsilon. */
function guards(argument: string, absorbed = absorbedEpsilon(argument)): boolean {
  return absorbed === undefined && GUARD.test(argument);
}

const GUARD = /\+\s*(?:eps|epsilon|1e-\d+|\d*\.\d*e-\d+|K\.epsilon\(\)|keras\.backend\.epsilon\(\)|backend\.epsilon\(\)|tf\.keras\.backend\.epsilon\(\))|epsilon|clip|maximum|softplus|abs\([^)]*\)\s*\+|\+\s*1(?:\.0*)?\b|\b1(?:\.0*)?\s*\+/i;

export interface NumericsInput {
  tree: PyTree;
  location: (node: PyNode) => SourceLocation;
  globals: Scope;
  lossFunctions: Set<string>;
  layerFunctions: Set<string>;
}

/** Where a node sits: one object shared by all the nodes in the same context. */
interface Frame {
  context: NumericOp['context'] | 'module';
  functionName?: string;
  /** Inside a class deriving from a Keras Layer or Model. */
  layerClass: boolean;
  /** The enclosing class's name, when inside a `class`. */
  className?: string;
}

export interface NumericsResult {
  numerics: NumericOp[];
  /** The first node tree-sitter could not parse, if any. */
  firstError?: PyNode;
}

export function scanNumerics(input: NumericsInput): NumericsResult {
  const { tree, globals } = input;
  const numerics: NumericOp[] = [];
  let firstError: PyNode | undefined;
  const src = (n: PyNode): string => tree.src(n);
  const resolve = (name: string): Value | undefined => globals.lookup(name);
  const isArrayExpression = (n: PyNode): boolean => {
    const m = /^[A-Za-z_]\w*/.exec(src(n));
    const v = m ? resolve(m[0]) : undefined;
    return v?.k === 'array' || v?.k === 'colvec';
  };
  const isConstant = (n: PyNode): boolean => {
    switch (tree.type(n)) {
      case 'integer':
      case 'float':
        return true;
      case 'unary_operator':
      case 'parenthesized_expression': {
        const inner = tree.children(n)[0];
        return inner ? isConstant(inner) : false;
      }
      case 'binary_operator':
        return tree.children(n).every(isConstant);
      case 'identifier':
        return resolve(src(n))?.k === 'num';
      case 'attribute':
        return /^(np|numpy|math)\.(pi|e)$/.test(src(n));
      default:
        return false;
    }
  };
  const delicateFunction = (callee: PyNode): [NumericOp['fn'], string] | undefined => {
    // The name called, from the tree: most calls are not delicate, and this rules them out without copying text.
    const calleeType = tree.type(callee);
    const nameNode = calleeType === 'identifier' ? callee : calleeType === 'attribute' ? tree.child(callee, 'attribute') : undefined;
    const last = nameNode === undefined ? '' : src(nameNode);
    if (!Object.hasOwn(DELICATE, last)) return undefined;
    const fn = DELICATE[last];
    const rootName = /^[A-Za-z_]\w*/.exec(src(callee))?.[0] ?? '';
    const bound = resolve(rootName);
    const path = bound?.k === 'ref' ? canonicalPath(bound.path) : /^(np|tf|K|ops|math|torch|jnp|keras)$/.test(rootName) ? 'numpy' : '';
    if (!NUMERIC_MODULE.test(path) && !/^(np|tf|K|ops|math|torch|jnp|keras)$/.test(rootName)) return undefined;
    return [fn, last];
  };
  /** `tf.math.is_nan`, `np.isnan`, `ops.nan_to_num`, ...: the called name when it is a NaN test from a numeric module. */
  const nanMask = (callee: PyNode): string | undefined => {
    const calleeType = tree.type(callee);
    const nameNode = calleeType === 'identifier' ? callee : calleeType === 'attribute' ? tree.child(callee, 'attribute') : undefined;
    const last = nameNode === undefined ? '' : src(nameNode);
    if (!NAN_MASKS.has(last)) return undefined;
    const rootName = /^[A-Za-z_]\w*/.exec(src(callee))?.[0] ?? '';
    const bound = resolve(rootName);
    const path = bound?.k === 'ref' ? canonicalPath(bound.path) : '';
    return NUMERIC_MODULE.test(path) || /^(np|tf|K|ops|math|torch|jnp|keras)$/.test(rootName) ? last : undefined;
  };
  const contextOf = (frame: Frame, argText: string): NumericOp['context'] => {
    if (frame.context !== 'module') return frame.context;
    return argText ? 'data' : 'other';
  };

  // The nodes in pre-order, by index; a frame is pushed only where the context changes, with the end of the subtree it covers.
  const frames: Frame[] = [{ context: 'module', layerClass: false }];
  const frameEnds: number[] = [tree.nodeCount];
  // Type numbers, not names: this loop visits every node of the file.
  const [ERROR, FUNCTION, CLASS, CALL, KEYWORD, BINARY, AUGMENTED] = ['ERROR', 'function_definition', 'class_definition', 'call', 'keyword_argument', 'binary_operator', 'augmented_assignment'].map((t) => tree.typeIdOf(t));
  for (let node = tree.root; node < tree.nodeCount; node++) {
    while (frameEnds[frameEnds.length - 1] <= node) {
      frames.pop();
      frameEnds.pop();
    }
    const type = tree.typeId(node);
    if (type !== FUNCTION && type !== CLASS && type !== CALL && type !== KEYWORD && type !== BINARY && type !== AUGMENTED) {
      if (type === ERROR && firstError === undefined) firstError = node;
      continue;
    }
    const frame = frames[frames.length - 1];
    let childContext = frame.context;
    let functionName = frame.functionName;
    let layerClass = frame.layerClass;
    let className = frame.className;

    if (type === FUNCTION) {
      const nameNode = tree.child(node, 'name');
      functionName = nameNode ? src(nameNode) : undefined;
      if (functionName && (/loss/i.test(functionName) || input.lossFunctions.has(functionName))) childContext = 'loss';
      else if (functionName && input.layerFunctions.has(functionName)) childContext = 'layer';
      else if (frame.layerClass && (functionName === 'call' || functionName === '__call__')) childContext = 'layer';
      else if (frame.context === 'module' || frame.context === 'data') childContext = 'other';
    } else if (type === CLASS) {
      const bases = tree.child(node, 'superclasses');
      layerClass = bases ? /\b(Layer|Model)\b/.test(src(bases)) : false;
      const classNameNode = tree.child(node, 'name');
      className = classNameNode ? src(classNameNode) : undefined;
    } else if (type === CALL) {
      const callee = tree.child(node, 'function');
      const args = tree.child(node, 'arguments');
      if (callee) {
        const calleeText = src(callee);
        if (/(^|\.)Lambda$/.test(calleeText)) childContext = 'layer';
        const masking = (frame.context === 'loss' || (functionName !== undefined && TRAIN_STEP.test(functionName))) && args ? nanMask(callee) : undefined;
        if (masking && args) {
          const first = tree.children(args)[0];
          const argument = first ? src(first) : '';
          if (!TARGETS.test(argument)) {
            numerics.push({ fn: 'nan-mask', context: frame.context === 'module' ? 'other' : frame.context, functionName, ...(frame.className !== undefined ? { className: frame.className } : {}), argument: `${masking}(${argument.slice(0, 180)})`, guarded: false, location: input.location(node) });
          }
        }
        const delicate = masking ? undefined : delicateFunction(callee);
        if (delicate && args) {
          const first = tree.children(args)[0];
          const argument = first ? src(first) : '';
          const [fn, name] = delicate;
          const absorbed = absorbedEpsilon(argument);
          numerics.push({
            fn,
            context: frame.context === 'module' ? (first && isArrayExpression(first) ? 'data' : contextOf(frame, '')) : frame.context,
            functionName,
            ...(frame.className !== undefined ? { className: frame.className } : {}),
            argument: argument.slice(0, 200),
            guarded: name === 'log1p' || guards(argument, absorbed),
            ...(absorbed !== undefined ? { absorbedEpsilon: absorbed } : {}),
            location: input.location(node),
          });
        }
      }
    } else if (type === KEYWORD) {
      const name = tree.child(node, 'name');
      if (name && src(name) === 'loss') childContext = 'loss';
    } else {
      const left = tree.child(node, 'left');
      const right = tree.child(node, 'right');
      if (left && right) {
        const op = tree.operatorBetween(left, right);
        if ((op === '/' || op === '/=') && !isConstant(right)) {
          const argument = src(right);
          const context = frame.context === 'module' ? (isArrayExpression(left) || isArrayExpression(right) ? 'data' : 'other') : frame.context;
          numerics.push({
            fn: 'divide',
            context,
            functionName,
            ...(frame.className !== undefined ? { className: frame.className } : {}),
            argument: argument.slice(0, 200),
            guarded: guards(argument),
            location: input.location(node),
          });
        }
      }
    }
    if (childContext !== frame.context || functionName !== frame.functionName || layerClass !== frame.layerClass || className !== frame.className) {
      frames.push({ context: childContext, functionName, layerClass, ...(className !== undefined ? { className } : {}) });
      frameEnds.push(tree.subtreeEnd(node));
    }
  }
  numerics.sort((a, b) => a.location.range.start.line - b.location.range.start.line || a.location.range.start.character - b.location.range.start.character);
  return { numerics, firstError };
}
