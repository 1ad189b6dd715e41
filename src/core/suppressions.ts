import type { Suppression } from './ir';

// `# nanguard: ignore` or `# nanguard: ignore[NAN101, NAN202]`, anywhere in a comment on the line.
const SUPPRESSION = /#\s*nanguard:\s*ignore(?:\[([A-Za-z0-9_,\s-]*)\])?/g;

/** Finds suppression comments in Python text, line by line. Cheap: one regex pass. */
export function parsePythonSuppressions(text: string): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes('nanguard')) return out;
  const lines = text.split(/\r?\n/);
  for (let line = 0; line < lines.length; line++) {
    const lineText = lines[line];
    if (!lineText.includes('nanguard')) continue;
    SUPPRESSION.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = SUPPRESSION.exec(lineText)) !== null) {
      const rules = (m[1] ?? '')
        .split(',')
        .map((r) => r.trim().toUpperCase())
        .filter((r) => r.length > 0);
      out.push({ line, rules, range: { start: { line, character: m.index }, end: { line, character: m.index + m[0].length } } });
    }
  }
  return out;
}

export function isSuppressed(suppressions: readonly Suppression[], line: number, ruleId: string): boolean {
  return suppressions.some((s) => s.line === line && (s.rules.length === 0 || s.rules.includes(ruleId)));
}
