/** CodeLens over `model.fit(...)` (or the model definition): the model's findings and "Reproduce training". */
import * as vscode from 'vscode';
import type { FindingStore } from './findingStore';
import { toRange } from './convert';
import { COMMAND_REPRODUCE, lensTargets, lensTitle, type ReproduceArgs } from './logic/presentation';

export class NanguardCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: FindingStore,
    private readonly enabled: (uri: vscode.Uri) => boolean,
  ) {
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.enabled(doc.uri)) return [];
    const covering = this.store.resultFor(doc.uri);
    if (!covering) return [];
    const { result, cell } = covering;
    const lenses: vscode.CodeLens[] = [];
    for (const target of lensTargets(result.analysis, result.findings)) {
      if (cell !== undefined && target.location.cell !== cell) continue;
      const line = toRange(target.location.range).start.line;
      if (line >= doc.lineCount) continue;
      const range = doc.lineAt(line).range;
      lenses.push(new vscode.CodeLens(range, { title: lensTitle(target), command: 'workbench.actions.view.problems', tooltip: 'Open the Problems panel' }));
      const args: ReproduceArgs = { uri: result.target.toString(), model: target.model };
      lenses.push(new vscode.CodeLens(range, { title: 'Reproduce training', command: COMMAND_REPRODUCE, arguments: [args], tooltip: `Train '${target.model}' briefly in TensorFlow.js and show the loss curve` }));
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
