/**
 * The loss-curve panel's controller: one webview panel, its state kept here with the same
 * reducer the webview uses (the webview is not retained while hidden: it is rebuilt from this
 * state when shown again, and from its own saved state after a window reload), the runs it
 * shows, and the user's actions coming back from it.
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { type PlanFix, applyPlanFix } from '../../repro/fixPlan';
import type { ReproPlan } from '../../repro/plan';
import type { BackendChoice, WorkerMessage } from '../../repro/protocol';
import { ReproductionCancelled, startReproduction, type Reproduction, type WarmWorker } from '../../repro/runner';
import { startKerasReproduction } from '../../repro/keras/engine';
import type { KerasRunRequest } from '../../repro/keras/events';
import { nativeBackendFolder } from '../nativeBackend';
import { logProgramOutput } from '../python';
import type { ReproSummary } from '../../repro/summary';
import type { Finding } from '../../core/findings';
import { type ExtensionToPanel, type PanelState, type PanelToExtension, type RunState, parsePanelMessage } from '../../shared/panelProtocol';
import { EMPTY_PANEL_STATE, historyCsv, isPanelState, isRunning, newerState, reducePanel, revisionOf } from '../../shared/panelState';
import { makeNonce, renderPanelHtml } from '../../shared/panelHtml';
import { noteTexts } from '../../repro/notes';
import { RunTranslator, findingBearings, kerasRunInfo, runInfo } from './runEvents';

export const PANEL_VIEW_TYPE = 'nanguard.lossCurve';

/** The Keras engine's run: the program itself, in the user's Python (src/repro/keras). */
export interface KerasLaunch {
  python: string;
  /** The program's absolute path. */
  file: string;
  seed: number;
  caps: KerasRunRequest['caps'];
  /** The epochs the program's fit asks for, when the analysis read them (the chart's extent before the run). */
  epochs?: number;
}

/** Everything needed to re-run a model with a fix, and to apply that fix to its source. */
export interface RunContext {
  /** What trains: nanguard's TensorFlow.js plan (`plan`), or the program in the user's Keras (`keras`). */
  engine: 'tfjs' | 'keras';
  /** The model as titles and logs name it. */
  model: string;
  /** nanguard's TensorFlow.js plan: what a tfjs run trains; for a Keras run, what "Compare engines" trains, when one could be built. */
  plan?: ReproPlan;
  keras?: KerasLaunch;
  /** The document or notebook the model was analysed from. */
  target: vscode.Uri;
  /** Shown in the panel: the path relative to the workspace. */
  file: string;
  findings: Finding[];
  fixes: PlanFix[];
  backend: BackendChoice;
  /** The program may run in the user's Keras ("Compare engines"): a trusted workspace, a Python file or notebook on disk. */
  canRunKeras?: boolean;
  /** TensorFlow.js runs: seeds to train one after the other (`nanguard.reproduction.seeds`); a Keras run is one seed. */
  seeds?: number;
}

interface LiveRun {
  context: RunContext;
  reproduction?: Reproduction;
  translator: RunTranslator;
  summary?: ReproSummary;
  /** Resolves when the run has ended, whichever way. */
  finished: Promise<void>;
}

export interface PanelHooks {
  log: vscode.LogOutputChannel;
  /** Performs the finding's quick fix in the source ("Apply to code"). */
  applyFixToCode(context: RunContext, fix: PlanFix): Promise<void>;
  /** A worker forked ahead of time, if one is ready. */
  takeWarmWorker?(): WarmWorker | undefined;
  /** A run ended (a spare worker can be forked for the next one). */
  onRunEnded?(): void;
  /**
   * "Compare engines" from a TensorFlow.js run: how to run the program in the user's Keras, once
   * the user agreed (undefined: not allowed or declined; the hook says why).
   */
  kerasLaunchFor?(context: RunContext): Promise<KerasLaunch | undefined>;
}

let runCounter = 0;
function nextRunId(): string {
  runCounter += 1;
  return `run-${Date.now().toString(36)}-${runCounter}`;
}

/** A state in a few words, for the log: each run's label, epochs and how it ended. */
function describeState(state: PanelState): string {
  if (state.runs.length === 0) return 'no runs';
  return state.runs.map((r) => `${r.info.label} (${r.info.runId}): ${r.points.length} epochs, ${r.cancelled ? 'cancelled' : r.error ? 'failed' : r.result ? r.result.verdict : 'running'}`).join('; ');
}

export class ReproductionPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: PanelState = EMPTY_PANEL_STATE;
  private readonly runs = new Map<string, LiveRun>();
  private readonly disposables: vscode.Disposable[] = [];

  private saveTimer: NodeJS.Timeout | undefined;
  private writes: Promise<void> = Promise.resolve();
  /** When the current webview was created, until it reports ready. */
  private attachedAt: number | undefined;

  /** `stateFile`: where the panel's state is kept for a window reload (in the extension's workspace storage). */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly hooks: PanelHooks,
    private readonly stateFile?: vscode.Uri,
  ) {}

  private async readKeptState(): Promise<PanelState | undefined> {
    if (!this.stateFile) return undefined;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(this.stateFile)).toString('utf8'));
      return isPanelState(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps the state on disk: at most once a second while runs go on, at once when one ends.
   * Writes go one after another, each with the state as it is when its turn comes, so an
   * older state can never land after a newer one.
   */
  private keepState(now = false): void {
    if (!this.stateFile) return;
    if (!now && this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const write = () => {
      this.saveTimer = undefined;
      this.writes = this.writes.then(() => this.writeKeptState());
    };
    if (now) write();
    else this.saveTimer = setTimeout(write, 1000);
  }

  private async writeKeptState(): Promise<void> {
    const file = this.stateFile!;
    const state = this.state;
    try {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
      await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(state), 'utf8'));
      this.hooks.log.debug(`kept the panel state: ${describeState(state)}`);
    } catch (error) {
      this.hooks.log.warn(`could not keep the panel state: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Resolves when every state write asked for so far has finished (for tests and disposal). */
  flushKeptState(): Promise<void> {
    if (this.saveTimer) this.keepState(true);
    return this.writes;
  }

  /**
   * The panel restored after a window reload. The state comes from the extension's own copy
   * (the workbench may not have persisted the webview's latest `setState` before the reload)
   * or from what the webview saved, whichever is newer.
   */
  async restore(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    this.panel?.dispose();
    const kept = await this.readKeptState();
    const fromWebview = isPanelState(saved) ? saved : undefined;
    this.hooks.log.info(`restoring the panel after a reload: kept ${kept ? describeState(kept) : 'nothing'}; the webview saved ${fromWebview ? describeState(fromWebview) : 'nothing'}`);
    // The newer of the two: the extension's copy normally, the webview's if a write of ours was lost.
    let state = newerState(kept, fromWebview) ?? EMPTY_PANEL_STATE;
    // The workers of runs that were going on did not survive the reload.
    for (const run of state.runs) if (isRunning(run)) state = reducePanel(state, { type: 'error', runId: run.info.runId, message: 'interrupted by a window reload; run the reproduction again' });
    this.state = state;
    this.attach(panel);
  }

  /** Opens the panel (or brings it forward) at once, before any result exists. */
  show(title: string): void {
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.attach(panel);
  }

  /**
   * Opens a new, empty panel ("Waiting for the reproduction to start...") when none is open, so its
   * webview starts while the run is being prepared. False when a panel was already open.
   */
  openEmpty(title: string): boolean {
    if (this.panel) return false;
    this.cancelAll();
    this.state = { ...EMPTY_PANEL_STATE, logScale: this.state.logScale, revision: revisionOf(this.state) + 1 };
    this.show(title);
    return true;
  }

  /** Closes the panel if it shows no run (one opened by `openEmpty` for a run that did not start). */
  closeIfEmpty(): void {
    if (this.panel && this.state.runs.length === 0) this.panel.dispose();
  }

  get visiblePanel(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** Starts a run and shows it. A new original run replaces what the panel showed; a fix is added beside it. */
  startRun(context: RunContext, label: string, startedAt: number, replace: boolean): { runId: string; live: LiveRun } {
    if (replace) {
      this.cancelAll();
      this.state = { ...EMPTY_PANEL_STATE, logScale: this.state.logScale, revision: revisionOf(this.state) + 1 };
      this.post({ type: 'state', state: this.state });
    }
    const runId = nextRunId();
    const translator = new RunTranslator(runId, startedAt);
    const suggested = replace && context.engine === 'tfjs' ? context.fixes[0] : undefined;
    const keras = context.engine === 'keras' ? context.keras : undefined;
    const compareWith = context.engine === 'keras' ? (context.plan ? 'tfjs' : undefined) : this.hooks.kerasLaunchFor && context.canRunKeras ? 'keras' : undefined;
    const info = keras
      ? kerasRunInfo({ runId, label, model: context.model, file: context.file, seed: keras.seed, epochs: Math.min(keras.caps.maxEpochs, keras.epochs ?? context.plan?.fit.epochs ?? keras.caps.maxEpochs), findings: context.findings, compareWith: compareWith as 'tfjs' | undefined })
      : runInfo({ runId, label, plan: context.plan!, file: context.file, findings: context.findings, suggestedFix: suggested, compareWith, seeds: context.seeds });
    this.dispatch({ type: 'runStarted', info });
    const live: LiveRun = { context, translator, finished: Promise.resolve() };
    const onEvent = (event: WorkerMessage) => {
      if (event.type === 'done') live.summary = event.summary;
      for (const msg of translator.translate(event)) this.dispatch(msg);
      if (event.type === 'epoch' && event.epoch === 0 && translator.firstPointMs !== undefined) {
        this.hooks.log.info(`reproduction ${label} of ${context.model}: first point on the chart ${translator.firstPointMs} ms after the click`);
      }
    };
    let reproduction: Reproduction;
    if (keras) {
      reproduction = startKerasReproduction(
        { file: keras.file, mode: 'train', seed: keras.seed, caps: keras.caps, datasetBatches: 8 },
        { python: keras.python, onEvent, onOutputLine: logProgramOutput(this.hooks.log, context.model) },
      );
      this.hooks.log.info(`reproduction ${label} of ${context.model}: running ${keras.file} in ${keras.python} (process ${reproduction.pid ?? '?'})`);
    } else {
      const warmWorker = this.hooks.takeWarmWorker?.();
      const seeds = context.seeds !== undefined && context.seeds > 1 ? { mode: 'count' as const, count: context.seeds } : undefined;
      reproduction = startReproduction(context.plan!, { onEvent, backend: context.backend, warmWorker, nativeFolder: nativeBackendFolder(), seeds });
      this.hooks.log.info(`reproduction ${label} of ${context.model}: worker ${reproduction.pid ?? '?'}${warmWorker ? ', forked ahead of time' : ''}`);
    }
    live.reproduction = reproduction;
    live.finished = reproduction.done
      .then(
        (summary) => {
          this.hooks.log.info(
            `reproduction ${label} of ${context.model}: ${summary.verdict}${summary.seeds ? ` over ${summary.seeds.count} seeds (${summary.seeds.statement})` : ''} after ${summary.epochsRun} epochs on ${summary.backend} (worker ${summary.timings.totalMs} ms, loading ${summary.timings.loadMs} ms; first point ${translator.firstPointMs ?? '-'} ms after the click)`,
          );
          this.addBearings(runId, context.findings, summary);
        },
        (error: unknown) => {
          if (error instanceof ReproductionCancelled) {
            this.dispatch({ type: 'cancelled', runId });
            this.hooks.log.info(`reproduction ${label} of ${context.model}: cancelled`);
          } else {
            const message = error instanceof Error ? error.message : String(error);
            this.dispatch({ type: 'error', runId, message });
            this.hooks.log.error(`reproduction ${label} of ${context.model}: ${message}`);
            // TensorFlow.js's own words, behind the sentence the panel shows: for the log only.
            if (error instanceof Error && error.cause) this.hooks.log.error(`reproduction ${label} of ${context.model}, detail: ${String(error.cause)}`);
          }
        },
      )
      .finally(() => this.hooks.onRunEnded?.());
    this.runs.set(runId, live);
    return { runId, live };
  }

  /** The panel's view of a run, for the progress notification. */
  runState(runId: string): RunState | undefined {
    return this.state.runs.find((r) => r.info.runId === runId);
  }

  private cancelAll(): void {
    for (const id of [...this.runs.keys()]) this.cancel(id);
    this.runs.clear();
  }

  cancel(runId: string): void {
    this.runs.get(runId)?.reproduction?.cancel();
  }

  /** The run's facts for the JSON export: plan notes and the worker's summary. */
  private exportJson(): string {
    const runs = this.state.runs.map((r) => {
      const live = this.runs.get(r.info.runId);
      return { label: r.info.label, model: r.info.model, file: r.info.file, seed: r.info.seed, data: r.info.data, findings: r.info.findings, result: r.result, error: r.error, cancelled: r.cancelled ?? false, notes: live && (live.context.plan ? noteTexts(live.context.plan.notes) : []), summary: live?.summary, history: r.points };
    });
    return `${JSON.stringify({ version: 1, runs }, null, 2)}\n`;
  }

  dispose(): void {
    // A state write that was waiting for its turn goes now: a reload must find the latest state.
    if (this.saveTimer) this.keepState(true);
    for (const id of this.runs.keys()) this.cancel(id);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      enableFindWidget: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private assets: { script: string; styles: string[] } | null | undefined;

  /**
   * The webview's script and style sheets, read once from the extension's folder to be put in
   * the page: a new webview then has nothing to fetch through VS Code's resource loader before
   * it can draw. Null (the page loads them by URI) if they cannot be read.
   */
  private inlineAssets(): { script: string; styles: string[] } | undefined {
    if (this.assets === undefined) {
      try {
        const read = (...p: string[]) => readFileSync(vscode.Uri.joinPath(this.extensionUri, ...p).fsPath, 'utf8');
        this.assets = { script: read('dist', 'webview.js'), styles: [read('media', 'uPlot.min.css'), read('media', 'panel.css')] };
      } catch (error) {
        this.hooks.log.warn(`the panel loads its script by URI: ${error instanceof Error ? error.message : String(error)}`);
        this.assets = null;
      }
    }
    return this.assets ?? undefined;
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.attachedAt = performance.now();
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    const webview = panel.webview;
    const asUri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      inline: this.inlineAssets(),
      scriptUri: asUri('dist', 'webview.js'),
      styleUris: [asUri('media', 'uPlot.min.css'), asUri('media', 'panel.css')],
      title: 'nanguard: loss curve',
      // The first frame shows this state, not an older one the workbench kept for the webview.
      initialState: this.state,
    });
    const subs: vscode.Disposable[] = [
      webview.onDidReceiveMessage((raw: unknown) => this.receive(parsePanelMessage(raw))),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.post({ type: 'state', state: this.state });
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        for (const s of subs) s.dispose();
      }),
    ];
  }

  private dispatch(msg: ExtensionToPanel): void {
    this.state = reducePanel(this.state, msg);
    this.post(msg);
    this.keepState(msg.type === 'done' || msg.type === 'error' || msg.type === 'cancelled');
  }

  private post(msg: ExtensionToPanel): void {
    // A hidden webview is rebuilt from the state when it is shown again.
    if (this.panel?.visible) void this.panel.webview.postMessage(msg);
  }

  private addBearings(runId: string, findings: readonly Finding[], summary: ReproSummary): void {
    const bearings = findingBearings(findings, summary);
    const runs = this.state.runs.map((r) =>
      r.info.runId === runId ? { ...r, info: { ...r.info, findings: r.info.findings.map((f, i) => (bearings[i] ? { ...f, bearing: bearings[i] } : f)) } } : r,
    );
    this.state = { ...this.state, runs, revision: revisionOf(this.state) + 1 };
    this.post({ type: 'state', state: this.state });
    this.keepState(true);
  }

  private receive(msg: PanelToExtension | undefined): void {
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        // The webview's start-up is VS Code's (frames, service worker, our script): worth knowing apart from ours.
        if (this.attachedAt !== undefined) this.hooks.log.info(`panel webview ready ${Math.round(performance.now() - this.attachedAt)} ms after it was created`);
        this.attachedAt = undefined;
        this.post({ type: 'state', state: this.state });
        return;
      case 'cancel':
        this.cancel(msg.runId);
        return;
      case 'setLogScale':
        this.state = { ...this.state, logScale: msg.value };
        this.keepState();
        return;
      case 'tryFix':
        void this.tryFix(msg.runId, msg.fixId);
        return;
      case 'compareEngines':
        void this.compareEngines(msg.runId);
        return;
      case 'applyFix':
        void this.applyFix(msg.runId, msg.fixId);
        return;
      case 'export':
        void this.save(msg.format === 'csv' ? 'csv' : 'json', Buffer.from(msg.format === 'csv' ? historyCsv(this.state) : this.exportJson(), 'utf8'));
        return;
      case 'exportPng':
        void this.save('png', Buffer.from(msg.dataUrl.slice('data:image/png;base64,'.length), 'base64'));
        return;
    }
  }

  private fixOf(runId: string, fixId: string): { live: LiveRun; fix: PlanFix } | undefined {
    const live = this.runs.get(runId);
    const fix = live?.context.fixes.find((f) => f.id === fixId);
    if (!live || !fix) {
      void vscode.window.showWarningMessage('nanguard: this fix belongs to a run from before a reload; run the reproduction again to try it.');
      return undefined;
    }
    return { live, fix };
  }

  /** Re-runs the same model with the fix applied to its plan, overlaid on the original. */
  async tryFix(runId: string, fixId: string): Promise<string | undefined> {
    const found = this.fixOf(runId, fixId);
    if (!found) return undefined;
    const { live, fix } = found;
    if (!live.context.plan) return undefined;
    const fixed = applyPlanFix(live.context.plan, fix);
    if ('problem' in fixed) {
      void vscode.window.showWarningMessage(`nanguard: cannot try "${fix.title}": ${fixed.problem}.`);
      return undefined;
    }
    const startedAt = performance.now();
    this.hooks.log.info(`trying the fix "${fix.title}" (${fix.rule}) on ${live.context.model}`);
    const { runId: fixedId, live: fixedRun } = this.startRun({ ...live.context, plan: fixed.plan, fixes: [], findings: [] }, fix.title, startedAt, false);
    await fixedRun.finished;
    return fixedId;
  }

  /** Trains the run's model in the other engine, overlaid on it: TensorFlow.js against the user's Keras. */
  async compareEngines(runId: string): Promise<string | undefined> {
    const live = this.runs.get(runId);
    if (!live) {
      void vscode.window.showWarningMessage('nanguard: this run is from before a reload; run the reproduction again to compare engines.');
      return undefined;
    }
    const { context } = live;
    let other: RunContext;
    if (context.engine === 'keras') {
      if (!context.plan) return undefined;
      other = { ...context, engine: 'tfjs', keras: undefined, fixes: [], findings: [] };
    } else {
      const keras = await this.hooks.kerasLaunchFor?.(context);
      if (!keras) return undefined;
      other = { ...context, engine: 'keras', keras, fixes: [], findings: [] };
    }
    const label = other.engine === 'keras' ? 'your Keras' : 'TensorFlow.js';
    this.hooks.log.info(`comparing engines on ${context.model}: ${label} beside the ${context.engine === 'keras' ? 'Keras' : 'TensorFlow.js'} run`);
    const { runId: otherId, live: otherRun } = this.startRun(other, label, performance.now(), false);
    await otherRun.finished;
    return otherId;
  }

  private async applyFix(runId: string, fixId: string): Promise<void> {
    const found = this.fixOf(runId, fixId);
    if (found) await this.hooks.applyFixToCode(found.live.context, found.fix);
  }

  private async save(format: 'csv' | 'json' | 'png', bytes: Uint8Array): Promise<void> {
    const primary = this.state.runs[0];
    const base = primary ? `${primary.info.model}-loss` : 'loss';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const suggested = folder ? vscode.Uri.joinPath(folder, `${base}.${format}`) : undefined;
    const names = { csv: 'CSV', json: 'JSON', png: 'PNG image' } as const;
    const uri = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { [names[format]]: [format] }, title: `Export the ${format === 'png' ? 'chart' : format === 'csv' ? 'loss history' : 'run'}` });
    if (!uri) return;
    try {
      await vscode.workspace.fs.writeFile(uri, bytes);
      this.hooks.log.info(`exported ${format} to ${uri.toString(true)}`);
      vscode.window.setStatusBarMessage(`nanguard: saved ${vscode.workspace.asRelativePath(uri)}`, 4000);
    } catch (error) {
      void vscode.window.showErrorMessage(`nanguard: could not save ${uri.toString(true)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
