/**
 * Which Python the user means: `nanguard.python.interpreter` when set, else the interpreter the
 * Python extension has selected for the resource (its public environments API), else its
 * `python.defaultInterpreterPath` setting, else `python3` on the PATH. Used by the Keras engine
 * (which runs the user's program there) and by the native backend's setup (which links its TensorFlow).
 */
import * as vscode from 'vscode';

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export interface Interpreter {
  python: string;
  /** Where the choice came from, in words for messages and the log. */
  from: string;
}

export async function pythonInterpreter(log: vscode.LogOutputChannel, resource?: vscode.Uri): Promise<Interpreter> {
  const own = vscode.workspace.getConfiguration('nanguard', resource).get<string>('python.interpreter')?.trim();
  if (own) return { python: own, from: 'nanguard.python.interpreter' };
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (extension) {
    try {
      const api = extension.isActive ? extension.exports : await extension.activate();
      const scope = resource ?? vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      const active = api?.environments?.getActiveEnvironmentPath(scope);
      if (active) {
        const resolved = await api!.environments!.resolveEnvironment(active);
        const python = resolved?.executable?.uri?.fsPath ?? active.path;
        if (python) return { python, from: "the Python extension's selected interpreter" };
      }
    } catch (error) {
      log.warn(`the Python extension did not name an interpreter (${error instanceof Error ? error.message : String(error)}); using python3`);
    }
  }
  // The Python extension's own setting, readable without it: the interpreter the user chose for this workspace.
  const configured = vscode.workspace.getConfiguration('python', resource).get<string>('defaultInterpreterPath')?.trim();
  if (configured && configured !== 'python' && configured !== 'python3') return { python: configured, from: 'python.defaultInterpreterPath' };
  return { python: process.platform === 'win32' ? 'python' : 'python3', from: 'python3 on the PATH' };
}

/**
 * The Keras engine's `onOutputLine` for a program run under the user's Python: each line of its
 * output goes to the log tagged with the stream and what is running (`[stdout of model]`).
 */
export function logProgramOutput(log: Pick<vscode.LogOutputChannel, 'info'>, source: string): (stream: 'stdout' | 'stderr', line: string) => void {
  return (stream, line) => log.info(`[${stream} of ${source}] ${line}`);
}
