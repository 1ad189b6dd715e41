/**
 * nanguard in VS Code: a thin adapter over the analysis core. Activation only wires
 * providers and listeners; the parser and the rules load on the first lint, and
 * TensorFlow.js never loads into the extension host.
 */
import * as vscode from 'vscode';
import { NanguardCodeActionProvider } from './codeActions';
import { NanguardCodeLensProvider } from './codeLens';
import { FindingStore } from './findingStore';
import { NanguardHoverProvider } from './hover';
import { NativeBackendCommand } from './nativeBackend';
import { isLintableText, Linter, notebookOfCell } from './linter';
import { RULE_DOC_SCHEME } from './logic/presentation';
import { ReproduceCommand } from './reproduce/command';
import { RuleDocumentProvider, showRuleDocumentation } from './ruleDocs';
import { FindingsStatusItem } from './statusBar';

/** Python files and notebook cells, Keras/config JSON. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { language: 'python', scheme: 'vscode-notebook-cell' },
  { language: 'json', scheme: 'file' },
  { language: 'jsonc', scheme: 'file' },
];

/** Kept for `deactivate`: the panel's last state must reach the disk before the host goes. */
let reproduce: ReproduceCommand | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('nanguard', { log: true });
  const collection = vscode.languages.createDiagnosticCollection('nanguard');
  const store = new FindingStore(collection);
  const linter = new Linter(store, log);
  const codeLens = new NanguardCodeLensProvider(store, (uri) => {
    const editor = linter.configuration(uri).editor;
    return editor.enable && editor.codeLens;
  });

  context.subscriptions.push(
    log,
    collection,
    store,
    linter,
    codeLens,
    new FindingsStatusItem(store, linter),
    vscode.languages.registerHoverProvider(SELECTOR, new NanguardHoverProvider(store)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new NanguardCodeActionProvider(store), NanguardCodeActionProvider.metadata),
    vscode.languages.registerCodeLensProvider(SELECTOR, codeLens),
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, new RuleDocumentProvider()),
    vscode.commands.registerCommand('nanguard.checkFile', () => checkActiveFile(linter, log)),
    vscode.commands.registerCommand('nanguard.showRuleDocumentation', (ruleId?: unknown) => showRuleDocumentation(ruleId)),
    // "Reproduce training" and its loss-curve panel (with the panel's serializer).
    (reproduce = new ReproduceCommand(context.extensionUri, { linter, store, log, workspaceState: context.workspaceState }, context.storageUri)),
    vscode.commands.registerCommand('nanguard.showOutput', () => log.show(true)),
    new NativeBackendCommand(context.globalStorageUri, log),
  );

  linter.lintAllOpen('activation');
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'restricted'})`);
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through the extension context's subscriptions.
  await reproduce?.panel.flushKeptState();
}

async function checkActiveFile(linter: Linter, log: vscode.LogOutputChannel): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document ?? vscode.window.activeNotebookEditor?.notebook.getCells()[0]?.document;
  const supported = doc && (isLintableText(doc) || notebookOfCell(doc));
  if (!doc || !supported) {
    void vscode.window.showInformationMessage('nanguard checks Python files, Jupyter notebooks and Keras or hyperparameter JSON; the active editor is none of these.');
    return;
  }
  const result = await linter.lintNow(doc);
  if (!result) {
    log.info('check: no result (disabled, too large, or the analysis failed; see above)');
    return;
  }
  const count = result.findings.length;
  vscode.window.setStatusBarMessage(`nanguard: ${count} finding${count === 1 ? '' : 's'} in ${vscode.workspace.asRelativePath(result.target)}`, 5000);
}
