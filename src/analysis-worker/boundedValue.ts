/**
 * A copy of a plain value with at most `maxDepth` levels of arrays and objects; deeper ones
 * become `null`. Iterative, so a value nested a million levels deep is copied without
 * overflowing the stack, which `structuredClone` (every `postMessage`) and `JSON.stringify`
 * cannot do: they recurse once per level.
 */
export function boundedValue(value: unknown, maxDepth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  const root: { value: unknown } = { value: undefined };
  // Each entry: a source value and where its copy goes.
  const stack: { source: unknown; depth: number; assign: (copy: unknown) => void }[] = [{ source: value, depth: 1, assign: (copy) => (root.value = copy) }];
  while (stack.length > 0) {
    const { source, depth, assign } = stack.pop()!;
    if (source === null || typeof source !== 'object') {
      assign(source);
      continue;
    }
    if (depth > maxDepth) {
      assign(null);
      continue;
    }
    if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      assign(copy);
      for (let i = 0; i < source.length; i++) stack.push({ source: source[i], depth: depth + 1, assign: (c) => (copy[i] = c) });
      continue;
    }
    if (ArrayBuffer.isView(source) || source instanceof Date || source instanceof RegExp) {
      assign(source); // flat values: cloned as they are
      continue;
    }
    const copy: Record<string, unknown> = {};
    assign(copy);
    for (const [key, item] of Object.entries(source)) stack.push({ source: item, depth: depth + 1, assign: (c) => (copy[key] = c) });
  }
  return root.value;
}

/** Levels of arrays and objects in a plain value (iteratively: any depth). */
export function valueDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object' || ArrayBuffer.isView(item)) {
      if (depth > deepest) deepest = depth;
      continue;
    }
    const children = Array.isArray(item) ? item : Object.values(item);
    if (children.length === 0 && depth + 1 > deepest) deepest = depth + 1;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return deepest;
}
