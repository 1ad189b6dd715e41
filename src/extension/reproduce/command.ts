/**
 * "nanguard: Reproduce training" (`nanguard.reproduceTraining`, optional `{uri, model}` from
 * the CodeLens and the hover): picks the model, builds the plan from the analysis, opens the
 * loss-curve panel at once and trains in the worker process, with a cancellable progress
 * notification. TensorFlow.js loads only in that worker, never in the extension host.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Finding } from '../../core/findings';
import type { FileAnalysis, ModelSpec } from '../../core/ir';
import { toCellLocation } from '../../core/frontends/notebookMap';
import { findModel, modelHandle, modelHandles, pickTrainedModel, UNSEEN_TRAINING } from '../../core/modelHandles';
import { planFixes, type PlanFix } from '../../repro/fixPlan';
import { buildPlan } from '../../repro/plan';
import { planAssumingUnseenSizes } from '../../repro/assumedSizes';
import type { BackendChoice } from '../../repro/protocol';
import type { FindingStore, TargetResult } from '../findingStore';
import type { Linter } from '../linter';
import { fixEdit } from './applyFix';
import { modelAtLine } from './models';
import { PANEL_VIEW_TYPE, ReproductionPanel, type KerasLaunch, type RunContext } from './panel';
import { KerasRunFailure, startKerasReproduction } from '../../repro/keras/engine';
import { observedFacts } from '../../repro/keras/observe';
import { ReproductionCancelled } from '../../repro/runner';
import { logProgramOutput, pythonInterpreter } from '../python';
import { WarmWorkerPool } from './warmWorker';

export interface ReproduceDeps {
  linter: Linter;
  store: FindingStore;
  log: vscode.LogOutputChannel;
  /** Where the user's consent to run a workspace's programs in their Python is remembered. */
  workspaceState?: vscode.Memento;
}

/** The button of the consent dialog; anything else declines. */
const RUN_IN_KERAS = 'Run in My Keras';

/** A Python file or notebook on disk: what the Keras engine can run. */
function runnableInKeras(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && /\.(py|ipynb)$/i.test(uri.path);
}

interface Target {
  uri: vscode.Uri;
  model?: string;
  seed?: number;
}

function parseArgs(raw: unknown): Target | undefined {
  if (raw instanceof vscode.Uri) return { uri: raw };
  if (!raw || typeof raw !== 'object') return undefined;
  const { uri, model, seed } = raw as Record<string, unknown>;
  const parsed = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
  if (!parsed) return undefined;
  return { uri: parsed, model: typeof model === 'string' ? model : undefined, seed: typeof seed === 'number' && Number.isInteger(seed) ? seed : undefined };
}

function activeTarget(): Target | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook) return { uri: notebook.uri };
  const doc = vscode.window.activeTextEditor?.document;
  return doc ? { uri: doc.uri } : undefined;
}

/** The document to lint for a target: the text document, or a cell of the notebook. */
async function documentOf(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
  if (nb) return nb.getCells()[0]?.document;
  if (uri.path.toLowerCase().endsWith('.ipynb')) {
    const opened = await vscode.workspace.openNotebookDocument(uri);
    return opened.getCells()[0]?.document;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ?? vscode.workspace.openTextDocument(uri);
}

/** The cursor's line in the analysed text's coordinates (a cell's line in a notebook: compared cell-relative). */
function cursorOf(target: vscode.Uri): { line: number; cell?: number } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.toString() === target.toString()) return { line: editor.selection.active.line };
  const nbEditor = vscode.window.activeNotebookEditor;
  if (nbEditor && nbEditor.notebook.uri.toString() === target.toString()) {
    const cell = nbEditor.selection.start;
    const cellEditor = vscode.window.visibleTextEditors.find((e) => e.document === nbEditor.notebook.cellAt(cell).document);
    return { line: cellEditor?.selection.active.line ?? 0, cell };
  }
  return undefined;
}

/** "defined on line 12", or in a notebook "defined in cell 3, line 2" (1-based, as the editor shows them). */
function definedAt(analysis: FileAnalysis, model: ModelSpec): string {
  const at = model.location ?? model.fit?.location;
  if (!at) return 'where it is defined is not known';
  const mapped = analysis.notebook ? toCellLocation(analysis.notebook, at) : at;
  const line = `line ${mapped.range.start.line + 1}`;
  return mapped.cell !== undefined ? `defined in cell ${mapped.cell + 1}, ${line}` : `defined on ${line}`;
}

async function pickModel(result: TargetResult, wanted: string | undefined): Promise<ModelSpec | undefined> {
  const models = result.analysis.models;
  if (wanted) {
    const found = findModel(models, wanted);
    if ('model' in found) return found.model;
    void vscode.window.showWarningMessage(`nanguard: ${basename(result.target.path)}: ${found.problem}.`);
    return undefined;
  }
  // The file trains a model the analysis did not follow (built by the program's own module, or inside a package): say that, not "nothing to reproduce".
  const untraced = models.length <= 1 ? pickTrainedModel(models, result.analysis.problems) : undefined;
  if (typeof untraced === 'string' && untraced.includes(UNSEEN_TRAINING)) {
    void vscode.window.showInformationMessage(`nanguard: cannot reproduce the training in ${basename(result.target.path)}: ${untraced}.`);
    return undefined;
  }
  if (models.length === 0) {
    void vscode.window.showInformationMessage(`nanguard: no Keras model found in ${basename(result.target.path)}; nothing to reproduce.`);
    return undefined;
  }
  if (models.length === 1) return models[0];
  const atCursor = modelAtLine(result.analysis, cursorOf(result.target));
  const handles = modelHandles(models);
  const items = models.map((m, i) => ({
    label: handles[i],
    description: `${m.kind}${m.fit ? `, fit for ${m.fit.epochs.value} epochs` : ', not fitted'}${handles[i] === m.name ? '' : `, ${definedAt(result.analysis, m)}`}`,
    detail: m === atCursor ? 'at the cursor' : undefined,
    model: m,
  }));
  const ordered = atCursor ? [items[models.indexOf(atCursor)], ...items.filter((i) => i.model !== atCursor)] : items;
  const picked = await vscode.window.showQuickPick(ordered, { title: 'nanguard: Reproduce training', placeHolder: 'Which model?' });
  return picked?.model;
}

function backendChoice(setting: string): BackendChoice {
  return setting === 'tensorflow' ? 'node' : setting === 'wasm' ? 'wasm' : setting === 'cpu' ? 'cpu' : 'auto';
}

/** The seed from the command's arguments, else `nanguard.reproduction.seed`, else 0. */
function seedSetting(scope: vscode.Uri): number {
  const value = vscode.workspace.getConfiguration('nanguard', scope).get<unknown>('reproduction.seed');
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

export class ReproduceCommand implements vscode.Disposable {
  readonly panel: ReproductionPanel;
  private readonly disposables: vscode.Disposable[] = [];

  /** `storageUri`: the extension's workspace storage, where the panel's state is kept across reloads. */
  constructor(
    extensionUri: vscode.Uri,
    private readonly deps: ReproduceDeps,
    storageUri?: vscode.Uri,
  ) {
    const warm = new WarmWorkerPool(() => vscode.workspace.getConfiguration('nanguard').get<boolean>('reproduction.prewarm') !== false, deps.log);
    this.panel = new ReproductionPanel(extensionUri, {
      log: deps.log,
      applyFixToCode: (context, fix) => this.applyFixToCode(context, fix),
      takeWarmWorker: () => warm.take(),
      onRunEnded: () => warm.warm('a run ended'),
      kerasLaunchFor: (context) => this.kerasLaunch(context.target, context.plan?.seed ?? seedSetting(context.target)),
    }, storageUri && vscode.Uri.joinPath(storageUri, 'loss-panel-state.json'));
    this.disposables.push(
      warm,
      this.panel,
      // A file with a compiled model was analysed: "Reproduce training" is likely next.
      deps.store.onDidChange(() => {
        const editor = vscode.window.activeTextEditor?.document.uri ?? vscode.window.activeNotebookEditor?.notebook.uri;
        const result = editor ? deps.store.resultFor(editor)?.result : undefined;
        if (result?.analysis.models.some((m) => m.compile || m.kind === 'json')) warm.warm('a model was analysed');
      }),
      vscode.commands.registerCommand('nanguard.reproduceTraining', (args?: unknown) => this.run(args, performance.now())),
      vscode.commands.registerCommand('nanguard.reproduceInKeras', (args?: unknown) => this.runInKeras(args, performance.now())),
      vscode.commands.registerCommand('nanguard.observeAtFit', (args?: unknown) => this.observeAtFit(args)),
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.panel.restore(panel, state),
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** `startedAt`: when the user clicked, for the time to the first point. */
  async run(rawArgs: unknown, startedAt: number): Promise<void> {
    const log = this.deps.log;
    const target = parseArgs(rawArgs) ?? activeTarget();
    if (!target) {
      void vscode.window.showInformationMessage('nanguard: open a Python file, a notebook or a Keras JSON file with a model to reproduce its training.');
      return;
    }
    const name = basename(target.uri.path);
    if (!vscode.workspace.isTrusted) {
      log.info(`reproduction of ${name} refused: the workspace is not trusted`);
      const choice = await vscode.window.showWarningMessage(
        `nanguard: reproducing the training of ${name} runs TensorFlow.js in a separate process, which a restricted workspace does not allow. Linting, hovers and quick fixes keep working; trust the workspace to reproduce.`,
        'Manage Workspace Trust',
      );
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }

    // The webview takes longer to start than the analysis and the plan: when the model is already
    // known (the CodeLens names it, or the file's last lint found just one), open the panel now so
    // that both go on at once. A run that does not start closes it again.
    const known = this.deps.store.get(target.uri.toString())?.analysis.models;
    const earlyModel = target.model ?? (known?.length === 1 ? known[0].name : undefined);
    const openedEarly = earlyModel !== undefined && this.panel.openEmpty(`Loss: ${earlyModel}`);
    const started = await this.startReproduction(target, name, startedAt);
    if (!started && openedEarly) this.panel.closeIfEmpty();
  }

  /** Analyses the target, picks the model and starts its run; false when no run started. */
  private async startReproduction(target: Target, name: string, startedAt: number): Promise<boolean> {
    const log = this.deps.log;
    let doc: vscode.TextDocument | undefined;
    try {
      doc = await documentOf(target.uri);
    } catch (error) {
      void vscode.window.showErrorMessage(`nanguard: cannot open ${name}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    const result = doc ? await this.deps.linter.lintNow(doc) : undefined;
    if (!result) {
      void vscode.window.showInformationMessage(`nanguard: ${name} could not be analysed (not Python, a notebook or Keras JSON, disabled, or too large); see the output.`);
      return false;
    }
    const model = await pickModel(result, target.model);
    if (!model) return false;
    // Where two models share a name, the handle (`autoencoder:13`) is what findings and titles use.
    const handle = modelHandle(result.analysis.models, model);

    const config = this.deps.linter.configuration(target.uri).editor.reproduction;
    const folder = vscode.workspace.getWorkspaceFolder(target.uri);
    const seed = target.seed ?? seedSetting(target.uri);
    const planOptions = {
      seed,
      shorten: true,
      caps: { maxEpochs: config.maxEpochs, maxParameters: config.maxParameters, maxWallMs: config.maxSeconds * 1000 },
      workspaceRoot: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
    };
    const planned = await planAssumingUnseenSizes(model, planOptions, async (size) => (await this.deps.linter.analyseAssumingSizes(result.target, size)) ?? result.analysis);
    if ('refused' in planned) {
      log.info(`reproduction of ${handle} in ${name} refused: ${planned.refused}`);
      void vscode.window.showWarningMessage(`nanguard: cannot reproduce ${handle}: ${planned.refused}.`);
      return false;
    }
    const findings = result.findings.filter((f) => f.model === undefined || f.model === handle);
    const fixes = planFixes(findings.map((f) => ({ rule: f.rule, cause: f.cause, severity: f.severity, fixTitle: f.fixes[0]?.title })));
    const context: RunContext = {
      engine: 'tfjs',
      model: handle,
      plan: planned.plan,
      canRunKeras: vscode.workspace.isTrusted && runnableInKeras(result.target),
      target: result.target,
      file: vscode.workspace.asRelativePath(result.target),
      findings,
      fixes,
      backend: backendChoice(config.backend),
      ...(config.seeds > 1 ? { seeds: config.seeds } : {}),
    };
    const seedWords = config.seeds > 1 ? `seeds ${seed}-${seed + config.seeds - 1}` : `seed ${seed}`;
    log.info(`reproducing ${handle} in ${name} (${seedWords}, ${planned.plan.fit.epochs} epochs, backend ${context.backend}); suggested fix: ${fixes[0]?.title ?? 'none'}`);
    this.panel.show(`Loss: ${handle}`);
    const { runId, live } = this.panel.startRun(context, 'original', startedAt, true);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `nanguard: reproducing ${handle}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.panel.cancel(runId));
        let reported = 0;
        const timer = setInterval(() => {
          const run = this.panel.runState(runId);
          // Over several seeds: epochs of every seed, out of the seeds' planned epochs.
          const seeds = run?.seedRuns;
          const total = planned.plan.fit.epochs * (run?.seedCount ?? config.seeds);
          const epochs = seeds ? seeds.reduce((a, t) => a + t.points.length, 0) : (run?.points.length ?? 0);
          if (epochs > reported) {
            const where = seeds ? `seed ${seeds.length} of ${run?.seedCount ?? config.seeds}, epoch ${seeds.at(-1)?.points.length ?? 0} of ${planned.plan.fit.epochs}` : `epoch ${epochs} of ${planned.plan.fit.epochs}`;
            progress.report({ message: where, increment: ((epochs - reported) / total) * 100 });
            reported = epochs;
          }
        }, 250);
        try {
          await live.finished;
        } finally {
          clearInterval(timer);
        }
      },
    );
    return true;
  }

  /**
   * May the Keras engine run this program, and how: a trusted workspace, a saved Python file or
   * notebook on disk, and the user's consent (asked once per workspace and interpreter, naming
   * the file and the interpreter). Undefined when not, after saying why.
   */
  private async kerasLaunch(target: vscode.Uri, seed: number): Promise<KerasLaunch | undefined> {
    const name = basename(target.path);
    if (!vscode.workspace.isTrusted) {
      this.deps.log.info(`running ${name} in your Keras refused: the workspace is not trusted`);
      const choice = await vscode.window.showWarningMessage(
        `nanguard: running ${name} in your Keras executes the program, which a restricted workspace does not allow. Trust the workspace to run it; linting, hovers and the TensorFlow.js reproduction need no trust to read code.`,
        'Manage Workspace Trust',
      );
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    if (!runnableInKeras(target)) {
      void vscode.window.showInformationMessage(`nanguard: only a Python file or a notebook on disk can run in your Keras; ${name} is neither.`);
      return undefined;
    }
    // The program runs as saved: save what the user sees first, as running a Python file does.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString()) ?? vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === target.toString());
    if (open?.isDirty && !(await open.save())) {
      void vscode.window.showWarningMessage(`nanguard: ${name} has unsaved changes that could not be saved; not run.`);
      return undefined;
    }
    const interpreter = await pythonInterpreter(this.deps.log, target);
    const config = this.deps.linter.configuration(target).editor.reproduction;
    const consentKey = `nanguard.kerasEngine.allowed:${interpreter.python}`;
    if (!this.deps.workspaceState?.get<boolean>(consentKey)) {
      const choice = await vscode.window.showWarningMessage(
        `Run ${name} in your Python?`,
        {
          modal: true,
          detail: `The Keras engine runs ${vscode.workspace.asRelativePath(target)} itself in ${interpreter.python} (${interpreter.from}), up to its first fit, which trains under nanguard's tracing for at most ${config.maxEpochs} epochs and ${config.maxSeconds} s; nothing after that fit runs. This executes your code (and whatever it imports) with your permissions. You are asked once for this workspace and interpreter.`,
        },
        RUN_IN_KERAS,
      );
      if (choice !== RUN_IN_KERAS) {
        this.deps.log.info(`running ${name} in ${interpreter.python} declined`);
        return undefined;
      }
      await this.deps.workspaceState?.update(consentKey, true);
    }
    this.deps.log.info(`running ${name} in ${interpreter.python} (${interpreter.from})`);
    return { python: interpreter.python, file: target.fsPath, seed, caps: { maxEpochs: config.maxEpochs, maxStepsPerEpoch: null, maxSeconds: config.maxSeconds } };
  }

  /** "nanguard: Reproduce Training in Your Keras": the program itself, in the user's Python, on the same panel. */
  async runInKeras(rawArgs: unknown, startedAt: number): Promise<void> {
    const target = parseArgs(rawArgs) ?? activeTarget();
    if (!target) {
      void vscode.window.showInformationMessage('nanguard: open a Python file or a notebook to run its training in your Keras.');
      return;
    }
    const keras = await this.kerasLaunch(target.uri, target.seed ?? seedSetting(target.uri));
    if (!keras) return;
    // The TensorFlow.js plan of the fitted model, when the analysis can build one: what "Compare engines" trains.
    const doc = await documentOf(target.uri).catch(() => undefined);
    const result = doc ? await this.deps.linter.lintNow(doc) : undefined;
    const models = result?.analysis.models ?? [];
    const fitted = models.find((m) => m.fit) ?? models[0];
    const config = this.deps.linter.configuration(target.uri).editor.reproduction;
    const folder = vscode.workspace.getWorkspaceFolder(target.uri);
    const planned = fitted
      ? buildPlan(fitted, { seed: keras.seed, shorten: true, caps: { maxEpochs: config.maxEpochs, maxParameters: config.maxParameters, maxWallMs: config.maxSeconds * 1000 }, workspaceRoot: folder?.uri.fsPath })
      : undefined;
    const handle = fitted ? modelHandle(models, fitted) : basename(target.uri.path);
    const findings = result ? result.findings.filter((f) => f.model === undefined || f.model === handle) : [];
    const context: RunContext = {
      engine: 'keras',
      model: handle,
      keras: { ...keras, ...(fitted?.fit ? { epochs: fitted.fit.epochs.value } : {}) },
      ...(planned && 'plan' in planned ? { plan: planned.plan } : {}),
      target: target.uri,
      file: vscode.workspace.asRelativePath(target.uri),
      findings,
      fixes: [],
      backend: backendChoice(config.backend),
    };
    this.panel.show(`Loss: ${handle} (your Keras)`);
    const { runId, live } = this.panel.startRun(context, 'your Keras', startedAt, true);
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `nanguard: running ${basename(target.uri.path)} in your Keras`, cancellable: true }, async (_progress, token) => {
      token.onCancellationRequested(() => this.panel.cancel(runId));
      await live.finished;
    });
  }

  /**
   * "nanguard: Check with the Data Observed at Fit": runs the program up to its first fit (no
   * training) and lints it again with what fit received; findings from those facts say so.
   */
  async observeAtFit(rawArgs: unknown): Promise<void> {
    const target = parseArgs(rawArgs) ?? activeTarget();
    if (!target) {
      void vscode.window.showInformationMessage('nanguard: open a Python file or a notebook to observe the data its fit receives.');
      return;
    }
    const keras = await this.kerasLaunch(target.uri, target.seed ?? seedSetting(target.uri));
    if (!keras) return;
    const name = basename(target.uri.path);
    const log = this.deps.log;
    const seen = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `nanguard: running ${name} up to its first fit`, cancellable: true }, async (_progress, token) => {
      const run = startKerasReproduction({ file: keras.file, mode: 'observe', seed: keras.seed, caps: keras.caps, datasetBatches: 8 }, {
        python: keras.python,
        onOutputLine: logProgramOutput(log, name),
      });
      token.onCancellationRequested(() => run.cancel());
      try {
        await run.done;
        return await run.observed;
      } catch (error) {
        if (error instanceof ReproductionCancelled) return null;
        const message = error instanceof Error ? error.message : String(error);
        log.warn(`observing ${name}: ${message}${error instanceof KerasRunFailure && error.traceback.length ? `\n${error.traceback.join('\n')}` : ''}`);
        void vscode.window.showWarningMessage(`nanguard: ${message}`);
        return null;
      }
    });
    if (!seen) return;
    const doc = await documentOf(target.uri).catch(() => undefined);
    if (!doc) return;
    const facts = observedFacts(seen, keras.file);
    this.deps.linter.setObserved(target.uri, facts);
    const result = await this.deps.linter.lintNow(doc);
    const added = result?.findings.filter((f) => f.observed).length ?? 0;
    const x = seen.x ? `x ${seen.x.shape.join('x')}, ${seen.x.min ?? '?'} to ${seen.x.max ?? '?'}${seen.x.nanCount ? `, ${seen.x.nanCount} NaN` : ''}` : 'x not readable as an array';
    log.info(`observed at fit in ${name}: ${x}; ${added} finding${added === 1 ? '' : 's'} from it`);
    void vscode.window.showInformationMessage(`nanguard: observed ${name} at its first fit (${x}): ${added === 0 ? 'nothing more found' : `${added} finding${added === 1 ? '' : 's'} from the observed data`}.`);
  }

  /** "Apply to code": the finding's first quick fix, the same edit its code action makes. */
  private async applyFixToCode(context: RunContext, fix: PlanFix): Promise<void> {
    const doc = await documentOf(context.target);
    const fresh = doc ? await this.deps.linter.lintNow(doc) : undefined;
    const findings: Finding[] = fresh?.findings ?? context.findings;
    const finding = findings.find((f) => f.rule === fix.rule && (f.model === undefined || f.model === context.model || f.model === context.plan?.name) && f.fixes.length > 0);
    if (!finding || !fresh) {
      void vscode.window.showInformationMessage(`nanguard: the ${fix.rule} finding is no longer reported in ${basename(context.target.path)}; nothing to apply.`);
      return;
    }
    const edit = fixEdit(finding.fixes[0], finding, fresh);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`nanguard: could not apply "${finding.fixes[0].title}".`);
      return;
    }
    this.deps.log.info(`applied "${finding.fixes[0].title}" (${finding.rule}) to ${basename(context.target.path)}`);
    const first = edit.entries()[0]?.[0];
    if (first && first.scheme !== 'vscode-notebook-cell') await vscode.window.showTextDocument(first, { preview: false, viewColumn: vscode.ViewColumn.One });
  }
}
