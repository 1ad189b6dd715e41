/**
 * "Apply to code" from the panel: a finding's fix as a workspace edit, placed as the quick
 * fix places it (the analysed file's edits on its document, a notebook's on the finding's cell,
 * other files by path).
 */
import * as vscode from 'vscode';
import type { Finding, Fix, TextEdit } from '../../core/findings';
import { toRange } from '../convert';
import type { TargetResult } from '../findingStore';

function uriOf(edit: TextEdit, finding: Finding, result: TargetResult): vscode.Uri | undefined {
  const own = edit.path === finding.path || edit.path === result.analysis.path;
  if (!own) return vscode.Uri.file(edit.path);
  const cell = edit.cell ?? finding.cell;
  if (!result.cells || cell === undefined) return result.target;
  for (const [uri, index] of result.cells) if (index === cell) return vscode.Uri.parse(uri);
  return undefined;
}

export function fixEdit(fix: Fix, finding: Finding, result: TargetResult): vscode.WorkspaceEdit {
  const out = new vscode.WorkspaceEdit();
  for (const edit of fix.edits) {
    const uri = uriOf(edit, finding, result);
    if (uri) out.replace(uri, toRange(edit.range), edit.newText);
  }
  return out;
}
