/**
 * Lints what is open: Python files, Keras/config JSON and Jupyter notebooks (as a whole, so
 * a model defined in one cell and trained in another is understood). Debounced while
 * typing, immediate on open and save, cleared on close; a result for text that has
 * changed since is dropped.
 */
import type { ObservedFit } from '../core/observed';
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import type { Finding } from '../core/findings';
import type { FileAnalysis } from '../core/ir';
import type * as Core from '../core/index';
import { readConfiguration, type ExtensionConfiguration } from './logic/configuration';
import { notebookJson } from './logic/notebook';
import { LintScheduler, type LintTicket } from './logic/scheduler';
import { PathFrame } from './logic/paths';
import { toDiagnostic, toNoteDiagnostic, toRange } from './convert';
import type { FindingStore, PlacedFinding, PlacedNote, TargetResult } from './findingStore';
import { WorkspaceHost } from './workspaceHost';
import { createAnalysisClient, DEFAULT_ANALYSIS_TIMEOUT_MS, wasStopped, type AnalysisClient } from '../analysis-worker/client';
import { NO_FILES } from '../core/host';

type TimedResult = Core.CheckResult & { elapsedMs: number };

export const NOTEBOOK_TYPE = 'jupyter-notebook';
const TEXT_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

let corePromise: Promise<typeof Core> | undefined;
/** The analysis core (parser, rules) loads on the first lint, not at activation. */
export function loadCore(): Promise<typeof Core> {
  corePromise ??= import('../core/index.js');
  return corePromise;
}

export function isCellDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'vscode-notebook-cell';
}

/** A Python or JSON document nanguard analyses on its own (not a notebook cell). */
export function isLintableText(doc: vscode.TextDocument): boolean {
  if (!TEXT_SCHEMES.has(doc.uri.scheme)) return false;
  if (doc.languageId === 'python') return true;
  return (doc.languageId === 'json' || doc.languageId === 'jsonc') && doc.uri.path.toLowerCase().endsWith('.json');
}

export function notebookOfCell(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find(
    (nb) => nb.notebookType === NOTEBOOK_TYPE && nb.uri.path === doc.uri.path && nb.getCells().some((c) => c.document === doc),
  );
}

/** Paths relative to the workspace folder of the document, as the CLI names them. */
function frameOf(uri: vscode.Uri): PathFrame {
  const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
  return new PathFrame(folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined);
}

/** The path the core sees: the file path, or a name with the right extension for an untitled document. */
function analysisPath(uri: vscode.Uri, languageId: string, frame: PathFrame): string {
  const path = uri.scheme === 'file' ? frame.toCore(uri.fsPath) : uri.path;
  if (languageId === 'python' && !/\.pyw?$/i.test(path)) return `${path}.py`;
  if ((languageId === 'json' || languageId === 'jsonc') && !/\.json$/i.test(path)) return `${path}.json`;
  return path;
}

/** `nanguard.analysisTimeoutSeconds` in milliseconds, within the bounds package.json declares. */
function analysisTimeoutMs(seconds: unknown): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return DEFAULT_ANALYSIS_TIMEOUT_MS;
  return Math.min(600, Math.max(1, seconds)) * 1000;
}

export class Linter implements vscode.Disposable {
  private readonly scheduler: LintScheduler<string>;
  /** File path (fsPath) read by a target's analysis -> the targets that read it. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The analysis worker; undefined once it could not start (analysis then runs on this thread). */
  private analysisClient: Promise<AnalysisClient | undefined> | undefined;
  /** The analysis in the worker of each target; a newer one for the same target cancels it. */
  private readonly inFlight = new Map<string, AbortController>();
  /**
   * Facts observed at a target's first fit ("Check with the Data Observed at Fit"), with the text
   * they were observed on: they describe that program, so an edit retires them.
   */
  private readonly observations = new Map<string, { facts: ObservedFit; text: string | undefined }>();

  constructor(
    private readonly store: FindingStore,
    private readonly log: vscode.LogOutputChannel,
    /** The bundled analysis worker; beside this bundle (`dist/`) unless given. */
    private readonly analysisWorkerPath: string = join(__dirname, 'analysis-worker.js'),
  ) {
    this.scheduler = new LintScheduler((key, ticket) => this.lintKey(key, ticket));
    const w = vscode.workspace;
    this.disposables.push(
      w.onDidOpenTextDocument((doc) => this.onOpenText(doc)),
      w.onDidChangeTextDocument((e) => this.onChangeText(e)),
      w.onDidSaveTextDocument((doc) => this.onSaveText(doc)),
      w.onDidCloseTextDocument((doc) => this.onCloseText(doc)),
      w.onDidOpenNotebookDocument((nb) => this.onNotebook(nb, 0)),
      w.onDidChangeNotebookDocument((e) => this.onNotebook(e.notebook, this.configuration(e.notebook.uri).editor.debounceMs, true)),
      w.onDidSaveNotebookDocument((nb) => this.onNotebook(nb, 0)),
      w.onDidCloseNotebookDocument((nb) => this.forget(nb.uri.toString())),
      w.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('nanguard')) this.lintAllOpen('settings changed');
      }),
      w.onDidGrantWorkspaceTrust(() => this.lintAllOpen('workspace trusted')),
    );
  }

  configuration(scope: vscode.Uri | undefined): ExtensionConfiguration {
    const section = vscode.workspace.getConfiguration('nanguard', scope);
    return readConfiguration((key) => section.get(key));
  }

  /** Lints every open document and notebook now (activation, settings change, trust granted). */
  lintAllOpen(reason: string): void {
    this.log.info(`linting all open documents (${reason})`);
    for (const doc of vscode.workspace.textDocuments) if (isLintableText(doc)) void this.scheduler.runNow(doc.uri.toString());
    for (const nb of vscode.workspace.notebookDocuments) if (nb.notebookType === NOTEBOOK_TYPE) void this.scheduler.runNow(nb.uri.toString());
  }

  /** Facts observed at the target's first fit, used by its analyses until its text changes. */
  setObserved(target: vscode.Uri, facts: ObservedFit): void {
    const key = target.toString();
    // The text as analysed is only known at the next analysis: it is taken then.
    this.observations.set(key, { facts, text: undefined });
  }

  /** Lints the document (or the notebook of a cell) now and waits for the result. */
  async lintNow(doc: vscode.TextDocument): Promise<TargetResult | undefined> {
    const key = this.targetKeyOf(doc);
    if (!key) return undefined;
    await this.scheduler.runNow(key);
    return this.store.get(key);
  }

  /**
   * The target analysed again with unseen sizes assumed (see src/repro/assumedSizes.ts), for a
   * reproduction on stand-in data only: nothing is stored, no finding comes of it. On this thread:
   * it runs once, on the user's command, and analyses take milliseconds.
   */
  async analyseAssumingSizes(target: vscode.Uri, assumeUnseenSize: number): Promise<FileAnalysis | undefined> {
    const key = target.toString();
    const frame = frameOf(target);
    const config = this.configuration(target);
    const host = new WorkspaceHost(frame, { readDataFiles: config.editor.readDataFiles, maxFileBytes: config.editor.maxFileBytes }, this.log);
    const core = await loadCore();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
    if (doc) return core.analyzeFile(analysisPath(doc.uri, doc.languageId, frame), doc.getText(), host, { assumeUnseenSize });
    const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === key && !n.isClosed);
    if (!nb) return undefined;
    const text = notebookJson(
      nb.getCells().map((c) => ({ kind: c.kind === vscode.NotebookCellKind.Code ? 'code' : 'markup', language: c.document.languageId, text: c.document.getText() })),
    );
    const path = nb.uri.scheme === 'file' ? frame.toCore(nb.uri.fsPath) : nb.uri.path;
    return core.analyzeFile(path.toLowerCase().endsWith('.ipynb') ? path : `${path}.ipynb`, text, host, { assumeUnseenSize });
  }

  /** The lint target of a document: itself, or its notebook for a cell. */
  targetKeyOf(doc: vscode.TextDocument): string | undefined {
    if (isCellDocument(doc)) return notebookOfCell(doc)?.uri.toString();
    return isLintableText(doc) ? doc.uri.toString() : undefined;
  }

  dispose(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    void this.analysisClient?.then((client) => client?.dispose());
    this.scheduler.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private onOpenText(doc: vscode.TextDocument): void {
    if (isCellDocument(doc)) {
      const nb = notebookOfCell(doc);
      if (nb) this.scheduler.schedule(nb.uri.toString(), this.configuration(nb.uri).editor.debounceMs);
      return;
    }
    if (isLintableText(doc)) void this.scheduler.runNow(doc.uri.toString());
  }

  private onChangeText(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const key = this.targetKeyOf(e.document);
    // Most changes are to documents nanguard neither lints nor reads (the output channel among them).
    if (!key && !(e.document.uri.scheme === 'file' && this.dependents.has(e.document.uri.fsPath))) return;
    const editor = this.configuration(e.document.uri).editor;
    if (key && editor.run === 'onType') this.scheduler.schedule(key, editor.debounceMs);
    if (editor.run === 'onType') this.scheduleDependents(e.document, editor.debounceMs);
  }

  private onSaveText(doc: vscode.TextDocument): void {
    const key = this.targetKeyOf(doc);
    if (key) void this.scheduler.runNow(key);
    this.scheduleDependents(doc, 0);
  }

  private onCloseText(doc: vscode.TextDocument): void {
    if (isCellDocument(doc) || !isLintableText(doc)) return;
    this.forget(doc.uri.toString());
  }

  private onNotebook(nb: vscode.NotebookDocument, delayMs: number, onlyOnType = false): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    if (onlyOnType && this.configuration(nb.uri).editor.run !== 'onType') return;
    this.scheduler.schedule(nb.uri.toString(), delayMs);
  }

  /** A config JSON or data file changed: re-lint the files whose analysis read it. */
  private scheduleDependents(doc: vscode.TextDocument, delayMs: number): void {
    if (doc.uri.scheme !== 'file') return;
    for (const key of this.dependents.get(doc.uri.fsPath) ?? []) if (key !== doc.uri.toString()) this.scheduler.schedule(key, delayMs);
  }

  private forget(key: string): void {
    this.inFlight.get(key)?.abort();
    this.inFlight.delete(key);
    this.scheduler.cancel(key);
    this.store.clear(key);
    for (const set of this.dependents.values()) set.delete(key);
  }

  private async lintKey(key: string, ticket: LintTicket): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
    if (doc) return this.lintText(key, doc, ticket);
    const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === key && !n.isClosed);
    if (nb) return this.lintNotebook(key, nb, ticket);
  }

  private async lintText(key: string, doc: vscode.TextDocument, ticket: LintTicket): Promise<void> {
    const config = this.configuration(doc.uri);
    if (!config.editor.enable) {
      this.store.clear(key);
      return;
    }
    const text = doc.getText();
    const version = doc.version;
    const frame = frameOf(doc.uri);
    const path = analysisPath(doc.uri, doc.languageId, frame);
    const result = await this.analyse(key, path, text, config, ticket, frame);
    if (!result || doc.isClosed || doc.version !== version || !this.scheduler.isCurrent(key, ticket)) return;
    const mapLocation = (p: string) => (p === path ? doc.uri : vscode.Uri.file(frame.toAbsolute(p)));
    const placed = this.place(result.findings, (f) => mapLocation(f.path), mapLocation);
    const notes = notesOf(result.analysis, (p) => (p === path ? doc.uri : undefined));
    this.store.set(key, { target: doc.uri, analysis: result.analysis, findings: result.findings, placed, notes, frame });
    this.logDone(basename(path), `v${version}`, result, ticket);
  }

  private async lintNotebook(key: string, nb: vscode.NotebookDocument, ticket: LintTicket): Promise<void> {
    const config = this.configuration(nb.uri);
    if (!config.editor.enable) {
      this.store.clear(key);
      return;
    }
    const cells = nb.getCells();
    const versions = cells.map((c) => c.document.version);
    const text = notebookJson(
      cells.map((c) => ({ kind: c.kind === vscode.NotebookCellKind.Code ? 'code' : 'markup', language: c.document.languageId, text: c.document.getText() })),
    );
    const frame = frameOf(nb.uri);
    const path = nb.uri.scheme === 'file' ? frame.toCore(nb.uri.fsPath) : nb.uri.path;
    const result = await this.analyse(key, path.toLowerCase().endsWith('.ipynb') ? path : `${path}.ipynb`, text, config, ticket, frame);
    if (!result || nb.isClosed || !this.scheduler.isCurrent(key, ticket)) return;
    const now = nb.getCells();
    if (now.length !== cells.length || now.some((c, i) => c.document !== cells[i].document || c.document.version !== versions[i])) return;
    const cellUri = (p: string, cell: number | undefined): vscode.Uri | undefined => {
      if (p !== result.analysis.path && p !== path) return vscode.Uri.file(frame.toAbsolute(p));
      return cell !== undefined && cell >= 0 && cell < cells.length ? cells[cell].document.uri : undefined;
    };
    const placed = this.place(result.findings, (f) => cellUri(f.path, f.cell), cellUri);
    const cellIndex = new Map(cells.map((c, i) => [c.document.uri.toString(), i]));
    const notes = notesOf(result.analysis, (p, cell) => (p === result.analysis.path || p === path ? cellUri(p, cell) : undefined));
    this.store.set(key, { target: nb.uri, analysis: result.analysis, findings: result.findings, placed, notes, cells: cellIndex, frame });
    this.logDone(basename(path), `${cells.length} cells`, result, ticket);
  }

  private place(
    findings: readonly Finding[],
    uriOf: (f: Finding) => vscode.Uri | undefined,
    mapLocation: (path: string, cell: number | undefined) => vscode.Uri | undefined,
  ): PlacedFinding[] {
    const out: PlacedFinding[] = [];
    for (const finding of findings) {
      const uri = uriOf(finding);
      if (!uri) {
        this.log.warn(`${finding.rule} at ${finding.path}:${finding.range.start.line + 1} has no cell to show it on`);
        continue;
      }
      const range = toRange(finding.range);
      out.push({ uri, range, finding, diagnostic: toDiagnostic(finding, range, mapLocation) });
    }
    return out;
  }

  private async analyse(
    key: string,
    path: string,
    text: string,
    config: ExtensionConfiguration,
    ticket: LintTicket,
    frame: PathFrame,
  ): Promise<TimedResult | undefined> {
    if (text.length > config.editor.maxFileBytes) {
      this.log.info(`${basename(path)}: ${text.length} characters, over nanguard.maxFileBytes; not analysed`);
      this.store.clear(key);
      return undefined;
    }
    const host = new WorkspaceHost(frame, { readDataFiles: config.editor.readDataFiles, maxFileBytes: config.editor.maxFileBytes }, this.log);
    try {
      const client = await this.workerClient();
      const core = client ? undefined : await loadCore();
      if (!this.scheduler.isCurrent(key, ticket)) return undefined;
      const started = performance.now();
      // In the worker, a large document never freezes the editor; on this thread only if the worker cannot start.
      // A newer version of the document cancels this one; past the deadline the worker is restarted.
      this.inFlight.get(key)?.abort();
      const controller = new AbortController();
      this.inFlight.set(key, controller);
      const timeoutMs = analysisTimeoutMs(vscode.workspace.getConfiguration('nanguard', vscode.Uri.parse(key)).get('analysisTimeoutSeconds'));
      const observed = this.observedFor(key, text);
      const result = client
        ? await client.check(path, text, config.core, host, { timeoutMs, signal: controller.signal, ...(observed ? { observed } : {}) }).finally(() => {
            if (this.inFlight.get(key) === controller) this.inFlight.delete(key);
          })
        : await core!.checkFile(path, text, host, config.core, observed ? { observed } : {});
      const elapsedMs = performance.now() - started;
      if (wasStopped(result)) {
        // The worker was restarted; the last good findings stay until an analysis finishes.
        this.log.warn(`${result.analysis.problems[0]?.message ?? `analysis of ${basename(path)} was stopped`} (nanguard.analysisTimeoutSeconds)`);
        return undefined;
      }
      this.recordDependencies(key, host.reads);
      for (const problem of result.analysis.problems) if (problem.severity !== 'info') this.log.info(`${basename(path)}: ${problem.message}`);
      return { ...result, elapsedMs };
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') return undefined; // superseded by a newer version
      // A half-typed file must never surface as an error toast: keep the last good result, say why in the log.
      this.log.error(`analysis of ${basename(path)} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return undefined;
    }
  }

  /** The target's observed facts while its text is the one they were observed on. */
  private observedFor(key: string, text: string): ObservedFit | undefined {
    const seen = this.observations.get(key);
    if (!seen) return undefined;
    if (seen.text === undefined) seen.text = text;
    if (seen.text === text) return seen.facts;
    this.observations.delete(key);
    this.log.info(`${basename(vscode.Uri.parse(key).path)} changed since it was observed at fit: the observed facts are retired`);
    return undefined;
  }

  /** Starts the analysis worker on first use; logs and falls back to this thread if it cannot start. */
  private workerClient(): Promise<AnalysisClient | undefined> {
    this.analysisClient ??= (async () => {
      const client = createAnalysisClient(this.analysisWorkerPath, NO_FILES);
      try {
        await client.ready();
        this.log.info(`analysis runs in a worker thread (${basename(this.analysisWorkerPath)})`);
        return client;
      } catch (err) {
        client.dispose();
        this.log.warn(`analysis worker unavailable, analysing on the extension host's thread: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    })();
    return this.analysisClient;
  }

  private recordDependencies(key: string, reads: ReadonlySet<string>): void {
    for (const set of this.dependents.values()) set.delete(key);
    for (const path of reads) {
      let set = this.dependents.get(path);
      if (!set) this.dependents.set(path, (set = new Set()));
      set.add(key);
    }
  }

  private logDone(name: string, version: string, result: TimedResult, ticket: LintTicket): void {
    const sinceRequest = performance.now() - ticket.requestedAt;
    this.log.info(
      `linted ${name} (${version}): ${result.findings.length} findings, analysis ${result.elapsedMs.toFixed(1)} ms, published ${sinceRequest.toFixed(1)} ms after the request`,
    );
  }
}

/** The analysis's `not-understood` problems as diagnostics on their lines (the other problems go to the log). */
function notesOf(analysis: FileAnalysis, uriOf: (path: string, cell: number | undefined) => vscode.Uri | undefined): PlacedNote[] {
  const notes: PlacedNote[] = [];
  for (const problem of analysis.problems) {
    const location = problem.location;
    if (problem.code !== 'not-understood' || !location) continue;
    const uri = uriOf(location.path, location.cell);
    if (uri) notes.push({ uri, diagnostic: toNoteDiagnostic({ ...problem, location }) });
  }
  return notes;
}
