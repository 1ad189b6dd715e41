/**
 * The native backend in VS Code: the `nanguard.reproduction.nativeBackendPath` setting and the
 * "nanguard: Set Up the Native Backend" command, which builds `@tensorflow/tfjs-node` into the
 * extension's global storage from the user's own TensorFlow (found through the Python extension's
 * selected interpreter when its API is there, else `python.defaultInterpreterPath`, else `python3`;
 * `nanguard.python.interpreter` first when set)
 * or installs it from npm. A thin
 * adapter: the build is `src/repro/native/setup.ts`.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { bindingOf, tfjsNodePackageIn } from '../repro/native/locate';
import { NativeSetupError, setupNativeBackend, type Missing } from '../repro/native/setup';
import { pythonInterpreter } from './python';

const SETTING = 'reproduction.nativeBackendPath';

let storageFolder: string | undefined;

/** Where the setup command installs: `<global storage>/tfjs-node`. */
function installFolder(): string | undefined {
  return storageFolder ? join(storageFolder, 'tfjs-node') : undefined;
}

function built(folder: string | undefined): folder is string {
  if (!folder) return false;
  const pkg = tfjsNodePackageIn(folder);
  return !!pkg && !!bindingOf(pkg);
}

/**
 * The folder the reproduction loads tfjs-node from: the setting when set, else what the setup
 * command installed, else none (the worker then tries `NANGUARD_TFJS_NODE` and its own resolution).
 */
export function nativeBackendFolder(): string | undefined {
  const configured = vscode.workspace.getConfiguration('nanguard').get<string>(SETTING)?.trim();
  if (configured) return configured;
  const installed = installFolder();
  return built(installed) ? installed : undefined;
}

const WHAT_TO_INSTALL: Record<Missing, string> = {
  tensorflow: 'TensorFlow (pip install tensorflow-cpu in the selected Python environment)',
  python: 'a Python interpreter with TensorFlow',
  compiler: 'a C++ compiler and make',
  node: 'Node.js',
  'node-headers': 'the Node.js headers',
  npm: 'npm',
  network: 'network access to the npm registry',
  platform: 'a supported platform',
};

export class NativeBackendCommand implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private running: Promise<void> | undefined;

  constructor(globalStorage: vscode.Uri, private readonly log: vscode.LogOutputChannel) {
    storageFolder = globalStorage.fsPath;
    this.disposables.push(vscode.commands.registerCommand('nanguard.setUpNativeBackend', () => (this.running ??= this.run().finally(() => (this.running = undefined)))));
  }

  private async run(): Promise<void> {
    const target = installFolder()!;
    const { python, from } = await pythonInterpreter(this.log);
    this.log.info(`native backend: setting up in ${target}, TensorFlow from ${python} (${from})`);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'nanguard: setting up the native backend', cancellable: false },
        (progress) =>
          setupNativeBackend({
            target,
            python,
            source: 'auto',
            onProgress: (step) => {
              this.log.info(`native backend: ${step}`);
              progress.report({ message: step });
            },
            onOutput: (line) => line.trim() && this.log.trace(`native backend: ${line}`),
          }),
      );
      const how = result.tensorflow ? `built against TensorFlow ${result.tensorflow.version} (${result.tensorflow.dir})` : 'installed from npm';
      this.log.info(`native backend: ${result.reused ? 'already set up' : 'ready'}, ${how}, in ${(result.ms / 1000).toFixed(1)} s`);
      const configured = vscode.workspace.getConfiguration('nanguard').get<string>(SETTING)?.trim();
      const note = configured && configured !== target ? ` The setting nanguard.${SETTING} points elsewhere (${configured}) and takes precedence.` : '';
      void vscode.window.showInformationMessage(`nanguard: the native backend is ready (TensorFlow (tfjs-node), ${how}). Conv, recurrent and large models now reproduce on it.${note}`);
    } catch (error) {
      const missing = error instanceof NativeSetupError ? error.missing : undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`native backend: ${message}`);
      if (error instanceof NativeSetupError && error.output) this.log.error(error.output);
      const lead = missing ? `nanguard could not set up the native backend (missing: ${WHAT_TO_INSTALL[missing]}).` : 'nanguard could not set up the native backend.';
      const choice = await vscode.window.showErrorMessage(`${lead} ${message.split('\n')[0]}`, 'Show Output');
      if (choice === 'Show Output') this.log.show(true);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
