/**
 * Which model the cursor is on, for the model quick pick's default. Pure (no editor API).
 * A model spans from its definition to its `fit(...)`; a cursor inside no span belongs to the
 * nearest model defined above it. Notebook locations are compared cell-relative.
 */
import { toCellLocation } from '../../core/frontends/notebookMap';
import type { FileAnalysis, ModelSpec, SourceLocation } from '../../core/ir';

export interface Cursor {
  line: number;
  /** For notebooks: the 0-based index of the cell the cursor is in. */
  cell?: number;
}

/** A position as one comparable number: cell first, then line. */
function key(cell: number | undefined, line: number): number {
  return (cell ?? 0) * 1_000_000 + line;
}

function place(analysis: FileAnalysis, location: SourceLocation | undefined, end: boolean): number | undefined {
  if (!location || location.path !== analysis.path) return undefined;
  const mapped = analysis.notebook ? toCellLocation(analysis.notebook, location) : location;
  if (analysis.notebook && mapped.cell === undefined) return undefined;
  return key(mapped.cell, end ? mapped.range.end.line : mapped.range.start.line);
}

export function modelAtLine(analysis: FileAnalysis, cursor: Cursor | undefined): ModelSpec | undefined {
  if (!cursor) return undefined;
  const at = key(cursor.cell, cursor.line);
  let inside: { model: ModelSpec; size: number } | undefined;
  let above: { model: ModelSpec; start: number } | undefined;
  for (const model of analysis.models) {
    const start = place(analysis, model.location, false) ?? place(analysis, model.fit?.location, false);
    if (start === undefined) continue;
    const end = Math.max(start, place(analysis, model.fit?.location, true) ?? place(analysis, model.location, true) ?? start);
    if (at >= start && at <= end && (!inside || end - start < inside.size)) inside = { model, size: end - start };
    if (start <= at && (!above || start > above.start)) above = { model, start };
  }
  return inside?.model ?? above?.model;
}
