/** A layer's activity regularizer when it is the program's own code, as the front-end leaves it in the layer's spec. */
import type { LayerSpec } from '../ir';

/**
 * The custom activity regularizer of a layer: a function's name (`activity_regularizer=sparse_reg`),
 * or the class of an object built in the argument (`SparseReg(beta=5e-1, p=1e-2)`), with the text as written.
 */
export function customActivityRegularizer(layer: LayerSpec): { functionName?: string; className?: string; text: string } | undefined {
  const named = layer.config['activity_regularizer'];
  if (typeof named === 'string' && /^[A-Za-z_]\w*$/.test(named)) return { functionName: named, text: named };
  const unresolved = layer.unresolved?.find((u) => u.key === 'activity_regularizer');
  const constructed = unresolved ? /^([A-Za-z_]\w*)\s*\(/.exec(unresolved.text.trim()) : null;
  return constructed && unresolved ? { className: constructed[1], text: unresolved.text.trim() } : undefined;
}
