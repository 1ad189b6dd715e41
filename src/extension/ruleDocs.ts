/**
 * Rule documentation as virtual Markdown documents (`nanguard-rule:/NAN101.md`): the target
 * of each diagnostic's code link and of the "Show Rule Documentation" command. The text is
 * the rule's own docs, so it works offline and always matches the installed version.
 */
import * as vscode from 'vscode';
import { loadCore } from './linter';
import { ruleDocMarkdown, ruleIdFromDocPath, unknownRuleMarkdown } from './logic/presentation';
import { ruleDocUri } from './convert';

export class RuleDocumentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const core = await loadCore();
    const id = ruleIdFromDocPath(uri.path);
    const rule = core.findRule(id);
    return rule ? ruleDocMarkdown(rule) : unknownRuleMarkdown(id, core.ALL_RULES);
  }
}

/** Asks for a rule when none is given, then shows its page rendered (or as text where the preview is unavailable). */
export async function showRuleDocumentation(ruleId?: unknown): Promise<void> {
  const core = await loadCore();
  let id = typeof ruleId === 'string' ? ruleId : undefined;
  if (!id) {
    const picked = await vscode.window.showQuickPick(
      core.ALL_RULES.map((r) => ({ label: r.id, description: r.name, detail: r.title })),
      { title: 'nanguard: rule documentation', placeHolder: 'Pick a rule', matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked) return;
    id = picked.label;
  }
  const uri = ruleDocUri(id);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  }
}
