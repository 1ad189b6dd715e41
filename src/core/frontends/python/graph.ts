/**
 * Helpers shared by the evaluator and the model builder: the functional graph's order and
 * the DataSpec of a value passed to `fit`.
 */
import type { DataSpec, SourceLocation } from '../../ir';
import { toDataSpec } from './data';
import type { ArrayObj, TensorObj, Value } from './values';

/** The DataSpec for a value passed to `fit` (unknown when it is not an array the analysis followed). */
export function dataSpecOf(v: Value | ArrayObj | undefined, text: string, location?: SourceLocation): DataSpec {
  if (v && 'k' in v && v.k === 'array') return toDataSpec(v.array, text);
  if (v && !('k' in v)) return toDataSpec(v, text);
  return { name: text, source: { kind: 'unknown', note: `not followed: ${text}`.slice(0, 200), location }, transforms: [] };
}


/** Tensors from the graph's inputs to `outputs`, each after the tensors it is computed from. Iterative. */
export function topologicalOrder(outputs: TensorObj[]): TensorObj[] {
  const order: TensorObj[] = [];
  const visited = new Set<TensorObj>();
  const stack: Array<{ tensor: TensorObj; expanded: boolean }> = outputs.slice().reverse().map((tensor) => ({ tensor, expanded: false }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.tensor);
      continue;
    }
    if (visited.has(top.tensor)) continue;
    visited.add(top.tensor);
    stack.push({ tensor: top.tensor, expanded: true });
    for (let i = top.tensor.inputs.length - 1; i >= 0; i--) {
      const input = top.tensor.inputs[i];
      if (!visited.has(input)) stack.push({ tensor: input, expanded: false });
    }
  }
  return order;
}

