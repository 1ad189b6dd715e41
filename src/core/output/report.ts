/**
 * A report is what the formatters print: findings grouped by the file they point into,
 * and the input problems of each analysed file. Pure data; the CLI builds it, the
 * formatters (text, JSON, SARIF) render it.
 */
import { SEVERITY_ORDER, type Finding, type Severity } from '../findings';
import type { InputProblem } from '../ir';

export interface FileReport {
  /** Display path: relative to the current directory, forward slashes. */
  path: string;
  findings: Finding[];
  problems: InputProblem[];
}

export interface Report {
  /** Sorted by path; every analysed file appears, and every file a finding points into. */
  files: FileReport[];
}

/** One analysed file: its own path, what the rules found (possibly in other files), and its input problems. */
export interface AnalysedFile {
  path: string;
  findings: readonly Finding[];
  problems: readonly InputProblem[];
}

function findingKey(f: Finding): string {
  const r = f.range;
  return `${f.rule}|${f.path}|${f.cell ?? ''}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${f.message}`;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.cell ?? -1) - (b.cell ?? -1) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Groups findings under the file they point into. A finding in `config.json` reported while
 * analysing `train.py`, and again while analysing `config.json` itself, is kept once.
 */
export function buildReport(analysed: readonly AnalysedFile[]): Report {
  const byPath = new Map<string, FileReport>();
  const entry = (path: string): FileReport => {
    let e = byPath.get(path);
    if (!e) {
      e = { path, findings: [], problems: [] };
      byPath.set(path, e);
    }
    return e;
  };
  // Of two copies, the one with more related places (usually the one found through the script) is kept.
  const kept = new Map<string, { list: Finding[]; index: number }>();
  for (const file of analysed) {
    const own = entry(file.path);
    own.problems.push(...file.problems);
    for (const f of file.findings) {
      const key = findingKey(f);
      const previous = kept.get(key);
      if (previous) {
        if (f.related.length > previous.list[previous.index].related.length) previous.list[previous.index] = f;
        continue;
      }
      const list = entry(f.path).findings;
      kept.set(key, { list, index: list.length });
      list.push(f);
    }
  }
  const files = [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
  for (const f of files) f.findings.sort(compareFindings);
  return { files };
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  total: number;
  /** Files with at least one finding. */
  filesWithFindings: number;
}

export function countFindings(report: Report): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, total: 0, filesWithFindings: 0 };
  for (const file of report.files) {
    if (file.findings.length > 0) counts.filesWithFindings++;
    for (const f of file.findings) {
      counts[f.severity]++;
      counts.total++;
    }
  }
  return counts;
}

/** True when a finding at or above `level` exists: the CLI's exit code 1. */
export function hasFindingAtOrAbove(report: Report, level: Severity): boolean {
  return report.files.some((file) => file.findings.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[level]));
}
