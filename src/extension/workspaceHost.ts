/**
 * The analysis host of the editor: a file the code names (`config.json`, `data.csv`) is
 * read from its open document first, so unsaved edits count, then from the workspace.
 * Paths outside the workspace folders are refused; data files are read only in a trusted
 * workspace and when `nanguard.readDataFiles` allows it.
 */
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { AnalysisHost, ByteRange, BytesRead } from '../core/host';
import { isDataFile, resolveInside, type PathFrame } from './logic/paths';

export interface HostPolicy {
  readDataFiles: boolean;
  maxFileBytes: number;
}

export class WorkspaceHost implements AnalysisHost {
  /** Every file (absolute path) read during the analysis, so a change to it re-lints the analysed file. */
  readonly reads = new Set<string>();

  constructor(
    private readonly frame: PathFrame,
    private readonly policy: HostPolicy,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async readText(relativePath: string, fromPath: string): Promise<{ path: string; text: string } | undefined> {
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const target = resolveInside(relativePath, this.frame.toAbsolute(fromPath), roots);
    if (!target) {
      this.log.debug(`not reading ${relativePath}: outside the workspace`);
      return undefined;
    }
    this.reads.add(target);
    if (isDataFile(target) && !(vscode.workspace.isTrusted && this.policy.readDataFiles)) {
      this.log.debug(`not reading data file ${target}: ${vscode.workspace.isTrusted ? 'nanguard.readDataFiles is off' : 'workspace not trusted'}`);
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === target);
    if (document) return { path: this.frame.toCore(target), text: document.getText() };
    const uri = vscode.Uri.file(target);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory || stat.size > this.policy.maxFileBytes) return undefined;
      const bytes = await vscode.workspace.fs.readFile(uri);
      return { path: this.frame.toCore(target), text: new TextDecoder('utf-8').decode(bytes) };
    } catch {
      return undefined;
    }
  }

  /**
   * Bytes of a data file (a `.npy` header and values, an `.npz` archive's directory), in the
   * chunks the analysis asks for: the workspace folders are on disk (`file:`), so a range is read
   * without loading the whole file. The same policy as `readText`.
   */
  async readBytes(relativePath: string, fromPath: string, range: ByteRange): Promise<BytesRead | undefined> {
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const target = resolveInside(relativePath, this.frame.toAbsolute(fromPath), roots);
    if (!target || !(vscode.workspace.isTrusted && this.policy.readDataFiles)) return undefined;
    this.reads.add(target);
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(target, 'r');
      const { size } = await handle.stat();
      const length = Math.max(0, Math.min(range.length, size - range.offset));
      const bytes = new Uint8Array(length);
      if (length > 0) await handle.read(bytes, 0, length, range.offset);
      return { path: this.frame.toCore(target), bytes, size };
    } catch {
      return undefined;
    } finally {
      await handle?.close();
    }
  }
}
