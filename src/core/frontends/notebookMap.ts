/**
 * Notebooks as one Python text, and the way back to cells.
 *
 * The code cells of a notebook are joined in order into one Python text, so the Python
 * front-end sees a model defined in one cell and trained in another as one program. The
 * analysis and the rules work in the coordinates of that joined text (suppression comments
 * included); only at the end are findings moved to their cell with {@link mapFindingsToCells}
 * (`Finding.cell` set, range cell-relative), as VS Code numbers cells: index among all
 * cells, markdown and raw included.
 */
import type { Finding, TextEdit } from '../findings';
import type { InputProblem, NotebookMap, Position, Range, SourceLocation } from '../ir';
import { LineIndex } from '../text';

export type { NotebookMap, NotebookCellSpan } from '../ir';

export interface JoinedNotebook {
  /** The code cells joined; `map.source` is the same text. */
  map: NotebookMap;
  problems: InputProblem[];
  /** False when the file is not a notebook we can read (invalid JSON, no cells, another language). */
  ok: boolean;
}

// Cell magics whose body is not Python: the whole cell is blanked.
export const FOREIGN_CELL_MAGICS = new Set([
  'bash',
  'sh',
  'script',
  'html',
  'javascript',
  'js',
  'latex',
  'markdown',
  'perl',
  'ruby',
  'svg',
  'writefile',
  'file',
  'sql',
  'R',
  'r',
  'system',
]);

/** `%magic`, `!cmd`, `x = !cmd`, `x = %magic`, `model.fit?`: not Python, blanked (indentation kept, `pass` inside a block). */
const IPYTHON_LINE = /^(\s*)(?:[%!]|[A-Za-z_][\w.,\s]*=\s*[%!]|[\w.]+\?{1,2}\s*$|\?)/;

function blank(indent: string): string {
  return indent.length > 0 ? `${indent}pass` : '';
}

/** One cell's source lines, with IPython-only syntax blanked so that line counts stay. */
export function pythonLinesOfCell(source: string): string[] {
  const lines = source.split(/\r\n|\r|\n/);
  const first = lines[0]?.trim() ?? '';
  if (first.startsWith('%%')) {
    const magic = first.slice(2).split(/\s+/)[0];
    if (FOREIGN_CELL_MAGICS.has(magic)) return lines.map(() => '');
    // %%time, %%capture, ...: the body is Python.
    return ['', ...lines.slice(1).map(blankIPythonLine)];
  }
  return lines.map(blankIPythonLine);
}

function blankIPythonLine(line: string): string {
  const m = IPYTHON_LINE.exec(line);
  return m ? blank(m[1]) : line;
}

function sourceOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string').join('');
  return undefined;
}

interface RawCell {
  cell_type?: unknown;
  source?: unknown;
  /** nbformat 3 */
  input?: unknown;
}

function jsonErrorPosition(err: unknown, text: string): Position | undefined {
  const message = String(err);
  if (/end of JSON input/.test(message)) return new LineIndex(text).positionAt(text.length);
  const pos = /position (\d+)/.exec(message);
  if (pos) return new LineIndex(text).positionAt(Number(pos[1]));
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]) - 1, character: Number(lc[2]) - 1 };
  return undefined;
}

function emptyMap(path: string): NotebookMap {
  return { path, source: '', cells: [], lineCount: 0 };
}

/** Parses an `.ipynb` and joins its code cells. Never throws. */
export function joinNotebook(path: string, text: string): JoinedNotebook {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (err) {
    const at = jsonErrorPosition(err, text);
    const where = at ? ` at line ${at.line + 1}, column ${at.character + 1}` : '';
    // V8's reason without its own position suffix: "Unexpected end of JSON input".
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    const problem: InputProblem = { severity: 'error', message: `not a valid notebook: invalid JSON${where} (${reason.slice(0, 80)})` };
    if (at) problem.location = { path, range: { start: at, end: at } };
    return { map: emptyMap(path), problems: [problem], ok: false };
  }
  if (doc === undefined) return { map: emptyMap(path), problems: [{ severity: 'info', message: 'empty notebook file' }], ok: false };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { map: emptyMap(path), problems: [{ severity: 'error', message: 'not a notebook: the file is not a JSON object' }], ok: false };
  }
  const nb = doc as { cells?: unknown; worksheets?: unknown; metadata?: { kernelspec?: { language?: unknown }; language_info?: { name?: unknown } } };
  const language = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language;
  if (typeof language === 'string' && language.toLowerCase() !== 'python') {
    return { map: emptyMap(path), problems: [{ severity: 'info', message: `a ${language} notebook; nanguard reads Python notebooks only` }], ok: false };
  }
  let cells: unknown = nb.cells;
  if (!Array.isArray(cells) && Array.isArray(nb.worksheets)) {
    // nbformat 3 kept cells in worksheets, code in `input`.
    const sheet = (nb.worksheets as { cells?: unknown }[])[0];
    cells = sheet?.cells;
  }
  if (!Array.isArray(cells)) {
    return { map: emptyMap(path), problems: [{ severity: 'error', message: "not a notebook: no 'cells' list (nbformat 4 expected)" }], ok: false };
  }

  const lines: string[] = [];
  const spans: NotebookMap['cells'] = [];
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index] as RawCell | null;
    if (!cell || typeof cell !== 'object' || cell.cell_type !== 'code') continue;
    const source = sourceOf(cell.source) ?? sourceOf(cell.input) ?? '';
    const cellLines = pythonLinesOfCell(source);
    spans.push({ cell: index, startLine: lines.length, lineCount: cellLines.length });
    for (const l of cellLines) lines.push(l);
  }
  return { map: { path, source: lines.join('\n'), cells: spans, lineCount: lines.length }, problems: [], ok: true };
}

/** Cell and cell-relative line of a line of the joined text; undefined outside every cell. */
export function toCellLine(map: NotebookMap, line: number): { cell: number; line: number } | undefined {
  const spans = map.cells;
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = spans[mid];
    if (line < span.startLine) high = mid - 1;
    else if (line >= span.startLine + span.lineCount) low = mid + 1;
    else return { cell: span.cell, line: line - span.startLine };
  }
  return undefined;
}

/** A range of the joined text -> the cell it starts in and a range within that cell. */
export function toCellRange(map: NotebookMap, range: Range): { cell: number; range: Range } | undefined {
  const start = toCellLine(map, range.start.line);
  if (!start) return undefined;
  const end = toCellLine(map, range.end.line);
  if (end && end.cell === start.cell) {
    return { cell: start.cell, range: { start: { line: start.line, character: range.start.character }, end: { line: end.line, character: range.end.character } } };
  }
  // A range running into the next cell stops at the end of its own cell.
  const span = map.cells.find((s) => s.cell === start.cell)!;
  const lastLine = span.lineCount - 1;
  const lastText = map.source.split('\n', span.startLine + span.lineCount)[span.startLine + lastLine] ?? '';
  return { cell: start.cell, range: { start: { line: start.line, character: range.start.character }, end: { line: lastLine, character: lastText.length } } };
}

/** Moves a location of the joined text into its cell (other files' locations are returned unchanged). */
export function toCellLocation(map: NotebookMap, location: SourceLocation): SourceLocation {
  if (location.path !== map.path || location.cell !== undefined) return location;
  const mapped = toCellRange(map, location.range);
  return mapped ? { ...location, range: mapped.range, cell: mapped.cell } : location;
}

function mapEdit(map: NotebookMap, edit: TextEdit): TextEdit | undefined {
  if (edit.path !== map.path || edit.cell !== undefined) return edit;
  const start = toCellLine(map, edit.range.start.line);
  const end = toCellLine(map, edit.range.end.line);
  // An edit across cells cannot be applied to a notebook.
  if (!start || !end || start.cell !== end.cell) return undefined;
  return {
    ...edit,
    cell: start.cell,
    range: { start: { line: start.line, character: edit.range.start.character }, end: { line: end.line, character: edit.range.end.character } },
  };
}

/**
 * Findings on the joined text -> findings on cells: `cell` set and the range cell-relative;
 * related locations and fix edits in the notebook get their cell too. Findings in other
 * files (a config JSON the notebook reads) are unchanged.
 */
export function mapFindingsToCells(findings: readonly Finding[], map: NotebookMap): Finding[] {
  return findings.map((finding) => {
    const related = finding.related.map((r) => ({ ...r, location: toCellLocation(map, r.location) }));
    const fixes = finding.fixes
      .map((fix) => {
        const edits = fix.edits.map((e) => mapEdit(map, e));
        return edits.every((e): e is TextEdit => e !== undefined) ? { ...fix, edits } : undefined;
      })
      .filter((f): f is NonNullable<typeof f> => f !== undefined);
    if (finding.path !== map.path || finding.cell !== undefined) return { ...finding, related, fixes };
    const mapped = toCellRange(map, finding.range);
    if (!mapped) return { ...finding, related, fixes };
    return { ...finding, range: mapped.range, cell: mapped.cell, related, fixes };
  });
}

/** Input problems (syntax errors) of the joined text -> their cells. */
export function mapProblemsToCells(problems: readonly InputProblem[], map: NotebookMap): InputProblem[] {
  return problems.map((p) => (p.location ? { ...p, location: toCellLocation(map, p.location) } : p));
}
