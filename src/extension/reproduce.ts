/**
 * "Reproduce training": trains the model briefly in TensorFlow.js, in a child process, and
 * shows the loss curve. It runs a process, so it needs a trusted workspace. Until the
 * reproduction panel ships, the command says so plainly instead of doing nothing.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ReproduceArgs } from './logic/presentation';

function parseArgs(raw: unknown): ReproduceArgs | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { uri, model } = raw as Record<string, unknown>;
  if (typeof uri !== 'string') return undefined;
  return { uri, model: typeof model === 'string' ? model : undefined };
}

export async function reproduceTraining(log: vscode.LogOutputChannel, raw: unknown): Promise<void> {
  const args = parseArgs(raw) ?? activeTarget();
  if (!args) {
    void vscode.window.showInformationMessage('nanguard: open a Python file or notebook with a Keras model to reproduce its training.');
    return;
  }
  const what = `${args.model ? `model '${args.model}' in ` : ''}${basename(vscode.Uri.parse(args.uri).path)}`;
  if (!vscode.workspace.isTrusted) {
    log.info(`reproduction of ${what} refused: workspace not trusted`);
    const choice = await vscode.window.showWarningMessage(
      `nanguard: reproducing the training of ${what} runs a process. Trust this workspace to allow it; linting works without trust.`,
      'Manage Workspace Trust',
    );
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  log.info(`reproduction of ${what} requested; not available in this version`);
  const choice = await vscode.window.showInformationMessage(
    `nanguard: reproducing the training of ${what} in TensorFlow.js is not available in this version yet. The findings, hovers and quick fixes already describe what the run would do.`,
    'Show Output',
  );
  if (choice) log.show(true);
}

function activeTarget(): ReproduceArgs | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook) return { uri: notebook.uri.toString() };
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.languageId === 'python' ? { uri: doc.uri.toString() } : undefined;
}
