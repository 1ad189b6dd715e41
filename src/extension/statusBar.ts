/** The status-bar item: findings of the active file (or notebook); a click opens the Problems panel. */
import * as vscode from 'vscode';
import type { FindingStore } from './findingStore';
import { isCellDocument, NOTEBOOK_TYPE, type Linter } from './linter';
import { statusText } from './logic/presentation';

export class FindingsStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nanguard.findings', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly store: FindingStore,
    private readonly linter: Linter,
  ) {
    this.item.name = 'nanguard findings';
    this.item.command = 'workbench.actions.view.problems';
    this.disposables = [
      store.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
    ];
    this.update();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    let key: string | undefined;
    let scope: vscode.Uri | undefined;
    if (doc && !isCellDocument(doc)) {
      key = this.linter.targetKeyOf(doc);
      scope = doc.uri;
    } else if (notebook?.notebookType === NOTEBOOK_TYPE) {
      key = notebook.uri.toString();
      scope = notebook.uri;
    }
    if (!key || !this.linter.configuration(scope).editor.enable) {
      this.item.hide();
      return;
    }
    const result = this.store.get(key);
    if (!result) {
      this.item.text = 'nanguard';
      this.item.tooltip = 'nanguard: not analysed yet (if this stays, run "nanguard: Show Output" to see why)';
    } else {
      const own = result.findings.filter((f) => f.path === result.analysis.path);
      const { text, tooltip } = statusText(own);
      this.item.text = text;
      this.item.tooltip = tooltip;
    }
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.item.dispose();
  }
}
