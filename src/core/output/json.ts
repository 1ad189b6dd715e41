/**
 * The stable JSON form (`--format json`), as the README's command-line section promises (`"version": 1`, 0-based lines and characters).
 * Keys are written in a fixed order; optional keys (`model`, `cell`, `observed`, `problems`) only when present.
 */
import type { Finding } from '../findings';
import type { InputProblem, Range } from '../ir';
import type { Report } from './report';

export interface JsonRelated {
  path: string;
  range: Range;
  cell?: number;
}

export interface JsonFinding {
  rule: string;
  cause: string;
  severity: string;
  range: Range;
  message: string;
  related: JsonRelated[];
  model?: string;
  cell?: number;
  /** True when the finding rests on facts observed at the program's first fit (`check --observe`). */
  observed?: boolean;
}

export interface JsonProblem {
  severity: string;
  message: string;
  /** Only when the problem points into a file other than the one it is listed under. */
  path?: string;
  range?: Range;
  cell?: number;
  /** `not-understood`: the line trains something nanguard did not follow. */
  code?: string;
}

export interface JsonFile {
  path: string;
  findings: JsonFinding[];
  problems?: JsonProblem[];
}

export interface JsonReport {
  version: 1;
  files: JsonFile[];
}

function copyRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function toJsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    rule: f.rule,
    cause: f.cause,
    severity: f.severity,
    range: copyRange(f.range),
    message: f.message,
    related: f.related.map((r) => {
      const related: JsonRelated = { path: r.location.path, range: copyRange(r.location.range) };
      if (r.location.cell !== undefined) related.cell = r.location.cell;
      return related;
    }),
  };
  if (f.model !== undefined) out.model = f.model;
  if (f.cell !== undefined) out.cell = f.cell;
  if (f.observed) out.observed = true;
  return out;
}

function toJsonProblem(p: InputProblem, filePath: string): JsonProblem {
  const out: JsonProblem = { severity: p.severity, message: p.message };
  if (p.location) {
    if (p.location.path !== filePath) out.path = p.location.path;
    out.range = copyRange(p.location.range);
    if (p.location.cell !== undefined) out.cell = p.location.cell;
  }
  if (p.code) out.code = p.code;
  return out;
}

export function toJsonReport(report: Report): JsonReport {
  return {
    version: 1,
    files: report.files.map((file) => {
      const out: JsonFile = { path: file.path, findings: file.findings.map(toJsonFinding) };
      if (file.problems.length > 0) out.problems = file.problems.map((p) => toJsonProblem(p, file.path));
      return out;
    }),
  };
}

export function formatJson(report: Report): string {
  return JSON.stringify(toJsonReport(report), null, 2) + '\n';
}
