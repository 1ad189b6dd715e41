/**
 * The "ignore this rule on this line" edit: adds `# nanguard: ignore[RULE]` to a Python
 * line, or extends the list of a suppression comment already there. Pure text in, edit out,
 * so the editor and the tests compute the very same change.
 */
import type { Range } from '../ir';
import { LineIndex } from '../text';

/** A replacement within one text; the caller knows which document it belongs to. */
export interface LineEdit {
  range: Range;
  newText: string;
}

// Same grammar as the parser in `suppressions.ts`: `# nanguard: ignore` with an optional rule list.
const SUPPRESSION = /#\s*nanguard:\s*ignore(\[([A-Za-z0-9_,\s-]*)\])?/;

/**
 * The edit that silences `ruleId` on `line` (0-based) of a Python text whose line reads
 * `lineText`. Returns undefined when no comment can be added without changing the
 * program (a line continued with a backslash) or when the line is already silenced.
 */
export function suppressionEdit(lineText: string, line: number, ruleId: string): LineEdit | undefined {
  const rule = ruleId.trim().toUpperCase();
  const existing = SUPPRESSION.exec(lineText);
  if (existing) {
    const list = existing[2];
    // A bare `# nanguard: ignore` already silences every rule.
    if (existing[1] === undefined) return undefined;
    const rules = (list ?? '')
      .split(',')
      .map((r) => r.trim().toUpperCase())
      .filter((r) => r.length > 0);
    if (rules.includes(rule)) return undefined;
    const open = existing.index + existing[0].indexOf('[');
    const close = existing.index + existing[0].length - 1;
    const newList = [...rules, rule].join(', ');
    return { range: { start: { line, character: open + 1 }, end: { line, character: close } }, newText: newList };
  }
  const trimmedEnd = lineText.replace(/\s+$/, '');
  // A comment after a line continuation would end the statement there.
  if (trimmedEnd.endsWith('\\')) return undefined;
  const comment = `# nanguard: ignore[${rule}]`;
  const at = { line, character: trimmedEnd.length };
  const end = { line, character: lineText.length };
  return { range: { start: at, end }, newText: trimmedEnd.length === 0 ? comment : `  ${comment}` };
}

/** Applies non-overlapping edits to a text and returns the new text. Used by tests and previews. */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  const index = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
