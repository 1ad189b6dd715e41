/** Hovers: the explanation of a finding with this model's numbers, and what a suppression comment silences. */
import * as vscode from 'vscode';
import { parsePythonSuppressions } from '../core/suppressions';
import { toRange } from './convert';
import type { FindingStore } from './findingStore';
import { loadCore } from './linter';
import { COMMAND_REPRODUCE, COMMAND_SHOW_RULE, findingHoverMarkdown, lossFloorHoverMarkdown, lossFloorsAt, suppressionHoverMarkdown } from './logic/presentation';

export class NanguardHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: FindingStore) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const core = await loadCore();
    const line = doc.lineAt(position.line);
    if (doc.languageId === 'python' && line.text.includes('nanguard')) {
      const suppression = parsePythonSuppressions(line.text).find((s) => s.range.start.character <= position.character && position.character <= s.range.end.character);
      if (suppression) {
        const range = new vscode.Range(position.line, suppression.range.start.character, position.line, suppression.range.end.character);
        return new vscode.Hover(trusted(suppressionHoverMarkdown(suppression, core.findRule)), range);
      }
    }
    const here = this.store.placedOn(doc.uri).filter((p) => p.range.contains(position) || (p.range.isEmpty && p.range.start.line === position.line));
    const target = this.store.resultFor(doc.uri);
    const floors = target ? lossFloorsAt(target.result.analysis, target.cell, position) : [];
    if (here.length === 0 && floors.length === 0) return undefined;
    const reproduceUri = target?.result.target.toString() ?? doc.uri.toString();
    const parts = here.length > 0 ? [findingHoverMarkdown(here.map((p) => p.finding), reproduceUri, core.findRule)] : [];
    parts.push(...floors.map((f) => lossFloorHoverMarkdown(f.floor)));
    const ranges = [...here.map((p) => p.range), ...floors.map((f) => toRange(f.location.range))];
    const range = ranges.reduce((acc, r) => acc.union(r), ranges[0]);
    return new vscode.Hover(trusted(parts.join('\n\n---\n\n')), range);
  }
}

/** Command links in the hover run only nanguard's own commands. */
function trusted(markdown: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(markdown);
  md.isTrusted = { enabledCommands: [COMMAND_SHOW_RULE, COMMAND_REPRODUCE] };
  return md;
}
