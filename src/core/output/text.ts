/**
 * The text form, shaped like Ruff's: one line per finding, `path:line:col: ID [severity] message`,
 * 1-based line and column; related places and input notes indented below; a summary line.
 * Notebook findings say which cell: `nb.ipynb:cell 3:2:1: ...` (cell counted from 1, as Ruff does).
 */
import type { Finding, Severity } from '../findings';
import type { InputProblem, Range } from '../ir';
import { countFindings, type Report, type SeverityCounts } from './report';

export interface TextOptions {
  /** ANSI colours; the CLI turns them on only for a terminal. */
  color: boolean;
  /** How many files were analysed, for the summary. */
  filesChecked: number;
}

const ANSI = { bold: '1', dim: '2', red: '31', yellow: '33', cyan: '36' } as const;

function paint(on: boolean, codes: string[], text: string): string {
  return on ? `\u001b[${codes.join(';')}m${text}\u001b[0m` : text;
}

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan };

/** `path:line:col` with 1-based numbers, or `path:cell N:line:col` for a notebook cell. */
export function formatPlace(path: string, range: Range | undefined, cell?: number): string {
  const cellPart = cell !== undefined ? `:cell ${cell + 1}` : '';
  if (!range) return `${path}${cellPart}`;
  return `${path}${cellPart}:${range.start.line + 1}:${range.start.character + 1}`;
}

export function formatFindingLine(f: Finding, color = false): string {
  const place = paint(color, [ANSI.bold], formatPlace(f.path, f.range, f.cell));
  const rule = paint(color, [ANSI.bold, SEVERITY_COLOR[f.severity]], f.rule);
  const severity = paint(color, [SEVERITY_COLOR[f.severity]], `[${f.severity}]`);
  return `${place}: ${rule} ${severity} ${f.message}`;
}

function problemLabel(p: InputProblem): string {
  return p.severity === 'info' ? 'note' : p.severity;
}

function formatProblemLine(filePath: string, p: InputProblem, color: boolean): string {
  const place = p.location ? formatPlace(p.location.path, p.location.range, p.location.cell) : filePath;
  return `${paint(color, [ANSI.bold], place)}: ${paint(color, [ANSI.dim], `${problemLabel(p)}:`)} ${p.message}`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function formatSummary(counts: SeverityCounts, filesChecked: number): string {
  if (counts.total === 0) return `No findings (${plural(filesChecked, 'file')} checked).`;
  const parts: string[] = [];
  if (counts.error > 0) parts.push(plural(counts.error, 'error'));
  if (counts.warning > 0) parts.push(plural(counts.warning, 'warning'));
  if (counts.info > 0) parts.push(`${counts.info} info`);
  return `Found ${plural(counts.total, 'finding')} (${parts.join(', ')}) in ${plural(counts.filesWithFindings, 'file')}.`;
}

export function formatText(report: Report, options: TextOptions): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const p of file.problems) lines.push(formatProblemLine(file.path, p, options.color));
    for (const f of file.findings) {
      lines.push(formatFindingLine(f, options.color));
      for (const r of f.related) {
        const place = formatPlace(r.location.path, r.location.range, r.location.cell);
        lines.push(`    ${paint(options.color, [ANSI.dim], 'note:')} ${place}: ${r.message}`);
      }
    }
  }
  if (lines.length > 0) lines.push('');
  lines.push(formatSummary(countFindings(report), options.filesChecked));
  return lines.join('\n') + '\n';
}
