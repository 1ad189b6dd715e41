import type { Rule } from './rule';

/** Every rule, in id order. Each lives in its own file beside this one. */
export const ALL_RULES: readonly Rule[] = [];

export function findRule(idOrName: string): Rule | undefined {
  const q = idOrName.trim().toUpperCase();
  return ALL_RULES.find((r) => r.id === q || r.name.toUpperCase() === q);
}
