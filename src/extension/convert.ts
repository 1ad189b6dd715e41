/** Core values to editor values: positions, ranges, severities, diagnostics. */
import * as vscode from 'vscode';
import type { Finding, Severity } from '../core/findings';
import type { InputProblem, Range, SourceLocation } from '../core/ir';
import { RULE_DOC_SCHEME, ruleDocPath } from './logic/presentation';

export function toRange(range: Range): vscode.Range {
  const clamp = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
  const start = new vscode.Position(clamp(range.start.line), clamp(range.start.character));
  const end = new vscode.Position(clamp(range.end.line), clamp(range.end.character));
  return end.isBefore(start) ? new vscode.Range(start, start) : new vscode.Range(start, end);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

/** The virtual document that shows a rule's documentation (`nanguard-rule:/NAN101.md`). */
export function ruleDocUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: `/${ruleDocPath(ruleId)}` });
}

/** Reads the rule id back from a diagnostic's `code`, the only thing code actions match on. */
export function diagnosticRule(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== 'nanguard') return undefined;
  const code = diagnostic.code;
  const value = typeof code === 'string' || typeof code === 'number' ? String(code) : code && typeof code === 'object' ? String(code.value) : undefined;
  // Notes (`not-understood`) carry no rule: nothing to fix, suppress or document by rule.
  return value !== undefined && /^NAN\d{3}$/.test(value) ? value : undefined;
}

/** Maps a location in core terms (path, optional notebook cell) to an editor URI. */
export type LocationMapper = (path: string, cell: number | undefined) => vscode.Uri | undefined;

/** A line that trains what the analysis did not follow: information, with no rule (nothing to fix or suppress). */
export function toNoteDiagnostic(problem: InputProblem & { location: SourceLocation }): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(problem.location.range), problem.message, vscode.DiagnosticSeverity.Information);
  diagnostic.source = 'nanguard';
  if (problem.code) diagnostic.code = problem.code;
  return diagnostic;
}

export function toDiagnostic(finding: Finding, range: vscode.Range, mapLocation: LocationMapper): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, finding.message, toSeverity(finding.severity));
  diagnostic.source = 'nanguard';
  diagnostic.code = { value: finding.rule, target: ruleDocUri(finding.rule) };
  const related: vscode.DiagnosticRelatedInformation[] = [];
  for (const r of finding.related) {
    const cell = r.location.cell ?? finding.cell;
    const uri = mapLocation(r.location.path, cell);
    if (uri) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.location.range)), r.message));
  }
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}
