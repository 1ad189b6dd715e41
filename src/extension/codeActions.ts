/**
 * Quick fixes, matched on the diagnostic's `code` (the rule id) and range, never on its
 * message: the fixes a rule attached to its finding, "Ignore NANxxx on this line", and the
 * rule's documentation.
 */
import * as vscode from 'vscode';
import type { Finding, TextEdit } from '../core/findings';
import { suppressionEdit } from '../core/edits/suppression';
import { diagnosticRule, toRange } from './convert';
import type { FindingStore, TargetResult } from './findingStore';
import { COMMAND_SHOW_RULE } from './logic/presentation';

export class NanguardCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly store: FindingStore) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const placed = this.store.placedOn(doc.uri);
    const covering = this.store.resultFor(doc.uri);
    const actions: vscode.CodeAction[] = [];
    // Two rules may offer the same fix for one cause (NAN101 and NAN102 both scale the data):
    // offer it once, resolving both diagnostics.
    const byFix = new Map<string, vscode.CodeAction>();
    for (const diagnostic of context.diagnostics) {
      const rule = diagnosticRule(diagnostic);
      if (!rule) continue;
      const match = placed.find((p) => p.finding.rule === rule && p.range.isEqual(diagnostic.range));
      if (match) {
        for (const fix of match.finding.fixes) {
          const key = `${fix.title}\u0000${JSON.stringify(fix.edits)}`;
          const same = byFix.get(key);
          if (same) {
            same.diagnostics = [...(same.diagnostics ?? []), diagnostic];
            continue;
          }
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          byFix.set(key, action);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.preferred === true;
          action.edit = this.workspaceEdit(fix.edits, match.finding, doc, covering?.result);
          actions.push(action);
        }
      }
      if (doc.languageId === 'python') {
        const line = diagnostic.range.start.line;
        const edit = suppressionEdit(doc.lineAt(line).text, line, rule);
        if (edit) {
          const action = new vscode.CodeAction(`Ignore ${rule} on this line`, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(doc.uri, toRange(edit.range), edit.newText);
          actions.push(action);
        }
      }
      const docs = new vscode.CodeAction(`Show documentation for ${rule}`, vscode.CodeActionKind.QuickFix);
      docs.diagnostics = [diagnostic];
      docs.command = { title: `Show documentation for ${rule}`, command: COMMAND_SHOW_RULE, arguments: [rule] };
      actions.push(docs);
    }
    return actions;
  }

  /**
   * A fix's edits name files by path. An edit of the analysed file goes to this document
   * (for a notebook: to the finding's cell, ranges being cell-relative); others to their file.
   */
  private workspaceEdit(edits: readonly TextEdit[], finding: Finding, doc: vscode.TextDocument, covering: TargetResult | undefined): vscode.WorkspaceEdit {
    const out = new vscode.WorkspaceEdit();
    for (const edit of edits) {
      const own = edit.path === finding.path || edit.path === covering?.analysis.path;
      const uri = own ? this.ownUri(edit, finding, doc) : vscode.Uri.file(covering ? covering.frame.toAbsolute(edit.path) : edit.path);
      if (uri) out.replace(uri, toRange(edit.range), edit.newText);
    }
    return out;
  }

  private ownUri(edit: TextEdit, finding: Finding, doc: vscode.TextDocument): vscode.Uri | undefined {
    const cell = edit.cell ?? finding.cell;
    if (doc.uri.scheme !== 'vscode-notebook-cell' || cell === undefined) return doc.uri;
    const covering = this.store.resultFor(doc.uri);
    if (!covering?.result.cells) return doc.uri;
    for (const [uri, index] of covering.result.cells) if (index === cell) return vscode.Uri.parse(uri);
    return undefined;
  }
}
