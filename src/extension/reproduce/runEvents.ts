/**
 * Worker events to panel messages: the one translation from what the reproduction's worker
 * reports (src/repro/protocol.ts) to what the loss-curve panel draws (src/shared/panelProtocol.ts).
 * Pure (no editor API), so the recording script and the tests use exactly what the extension uses.
 */
import { dirname, isAbsolute, relative } from 'node:path';
import type { Finding } from '../../core/findings';
import { noteTexts } from '../../repro/notes';
import type { ReproPlan } from '../../repro/plan';
import type { LayerStats, WorkerMessage } from '../../repro/protocol';
import { onStandInData, STAND_IN_WORDS, timeLimitText, type ReproSummary } from '../../repro/summary';
import type { ExtensionToPanel, FindingSummary, LayerRow, RunInfo, WireNumber } from '../../shared/panelProtocol';
import type { PlanFix } from '../../repro/fixPlan';

const PROVENANCE_WORDS: Record<string, string> = {
  literal: 'literal arrays written in the code, reproduced exactly',
  random: 'np.random arrays of the code, same shape and distribution, drawn from the run\'s seed',
  file: 'read from',
  synthetic: 'a synthetic stand-in',
};

/** The data file, relative to the model's file when both are absolute paths. */
function recipePath(plan: ReproPlan): string | undefined {
  if (plan.data.x.kind !== 'file') return undefined;
  const path = plan.data.x.path;
  return isAbsolute(path) && isAbsolute(plan.source) ? relative(dirname(plan.source), path) || path : path;
}

/** Where the data came from, in plain words, as the panel's "Data" fact says it. */
export function describeData(plan: ReproPlan): string {
  const train = plan.data.provenance.train;
  const trainWords = train === 'file' ? `read from ${recipePath(plan) ?? 'a workspace file'}` : PROVENANCE_WORDS[train];
  const validation = plan.data.provenance.validation;
  const valWords =
    validation === 'none' ? 'no validation data' : validation === 'split' ? `validation: the last ${Math.round((plan.fit.validationSplit ?? 0) * 100)}% of the samples` : `validation: ${PROVENANCE_WORDS[validation] ?? validation}`;
  const synthetic = noteTexts(plan.notes, 'stand-in');
  // Epochs cut to their first rows (or runs to the caps) change what the curve shows: said beside the data.
  const shortened = noteTexts(plan.notes, 'shortened');
  // Each note is a sentence of its own elsewhere (the CLI's `note:` lines); joined here, without its full stop or its capital (an acronym keeps its capitals).
  const clause = (text: string): string => text.replace(/\.$/, '').replace(/^([A-Z])(?=[a-z])/, (c) => c.toLowerCase());
  return [`training: ${trainWords}`, valWords, ...synthetic.map(clause), ...shortened.map(clause)].join('; ');
}

export function isSynthetic(plan: ReproPlan): boolean {
  return plan.data.provenance.train === 'synthetic' || plan.data.provenance.validation === 'synthetic';
}

export function findingSummaries(findings: readonly Finding[]): FindingSummary[] {
  return findings.map((f) => ({ rule: f.rule, cause: f.cause, severity: f.severity, message: f.message }));
}

/** What the panel says of the data of a Keras engine run: the program's own, whatever built it. */
export const KERAS_DATA_WORDS = "the program's own arrays, as its first fit receives them (run in your Python)";

export function runInfo(o: { runId: string; label: string; plan: ReproPlan; file: string; findings: readonly Finding[]; suggestedFix?: PlanFix; compareWith?: 'tfjs' | 'keras'; seeds?: number }): RunInfo {
  return {
    runId: o.runId,
    label: o.label,
    model: o.plan.name,
    file: o.file,
    seed: o.plan.seed,
    epochs: o.plan.fit.epochs,
    data: describeData(o.plan),
    synthetic: isSynthetic(o.plan),
    findings: findingSummaries(o.findings),
    engine: 'tfjs',
    ...(o.compareWith ? { compareWith: o.compareWith } : {}),
    ...(o.suggestedFix ? { suggestedFix: { id: o.suggestedFix.id, title: o.suggestedFix.title } } : {}),
    ...(o.seeds !== undefined && o.seeds > 1 ? { seeds: o.seeds } : {}),
  };
}

/** A Keras engine run: the program trains itself, so the model, epochs and data are the program's. */
export function kerasRunInfo(o: { runId: string; label: string; model: string; file: string; seed: number; epochs: number; findings: readonly Finding[]; compareWith?: 'tfjs' }): RunInfo {
  return {
    runId: o.runId,
    label: o.label,
    model: o.model,
    file: o.file,
    seed: o.seed,
    epochs: o.epochs,
    data: KERAS_DATA_WORDS,
    synthetic: false,
    findings: findingSummaries(o.findings),
    engine: 'keras',
    ...(o.compareWith ? { compareWith: o.compareWith } : {}),
  };
}

function wire(n: WireNumber | null): WireNumber | undefined {
  return n === null ? undefined : n;
}

function isFinite(n: WireNumber): boolean {
  return typeof n === 'number' && Number.isFinite(n);
}

export function layerRows(stats: readonly LayerStats[]): LayerRow[] {
  return stats.map((s) => {
    const row: LayerRow = { layer: s.layer, className: s.className };
    const put = (k: 'activationMin' | 'activationMax' | 'gradientNorm' | 'weightNorm', v: WireNumber | null) => {
      const w = wire(v);
      if (w !== undefined) row[k] = w;
    };
    put('activationMin', s.activationMin);
    put('activationMax', s.activationMax);
    put('gradientNorm', s.gradientNorm);
    put('weightNorm', s.weightNorm);
    return row;
  });
}

function backendWords(backend: string, engine?: string): string {
  if (engine === 'keras') return `your Keras (${backend} backend), running the program itself`;
  const words = backend === 'node' ? 'TensorFlow (tfjs-node)' : backend === 'wasm' ? 'WebAssembly' : backend === 'cpu' ? 'plain JavaScript (cpu)' : backend;
  return engine === 'dense' ? `${words}, dense kernels` : words;
}

/** The verdict in words, first sentence first: what the panel's verdict line says. */
export function verdictText(summary: ReproSummary): string {
  if (summary.seeds) return seedsVerdictText(summary);
  const nf = summary.firstNonFinite;
  if (summary.verdict === 'nan' && nf) {
    const where = nf.layer ? `: the ${nf.tensor === 'gradient' ? 'gradient' : nf.tensor === 'weight' ? 'weights' : nf.tensor === 'loss' ? 'loss' : nf.tensor === 'input' ? 'input' : 'output'} of ${nf.layer} ${nf.inputsNonFinite ? 'was fed non-finite data' : 'overflowed first'}` : '';
    const onStandIn = onStandInData(summary) ? ` ${STAND_IN_WORDS}` : '';
    return `Loss became NaN${onStandIn} at epoch ${nf.epoch}, batch ${nf.batch}${where}. ${summary.explanation}`;
  }
  // Without a finished epoch there is no curve to judge: "Stalled" would blame the training for the limit.
  if (summary.epochsRun === 0 && summary.stopped === 'wall-time') {
    const reason = timeLimitText(summary, 'raise nanguard.reproduction.maxSeconds');
    return `No verdict: ${reason}.`;
  }
  const word = { nan: 'NaN', diverging: 'Diverging', exploded: 'Exploded', stalled: 'Stalled', healthy: 'Healthy' }[summary.verdict];
  const stop = summary.stopped === 'wall-time' ? ' (stopped at the time limit)' : summary.stopped === 'early-stopping' ? ' (early stopping)' : '';
  const evidence = onStandInData(summary) ? ` ${STAND_IN_WORDS}` : '';
  return `${word}${evidence}${stop}: ${summary.explanation}`;
}

const VERDICT_WORDS = { nan: 'NaN', diverging: 'Diverging', exploded: 'Exploded', stalled: 'Stalled', healthy: 'Healthy' } as const;

/** A run over several seeds: "Exploded over 8 seeds (4 of 8; a coin flip: the outcome depends on the seed)." The statement goes under it. */
function seedsVerdictText(summary: ReproSummary): string {
  const seeds = summary.seeds!;
  const evidence = onStandInData(summary) ? ` ${STAND_IN_WORDS}` : '';
  const stop = seeds.limitedBy === 'time' ? ` (the time limit came after ${seeds.count} seeds)` : '';
  const share = seeds.agreement === 'coin-flip' ? ` (${seeds.verdicts[summary.verdict]} of ${seeds.count}; a coin flip: the outcome depends on the seed)` : '';
  return `${VERDICT_WORDS[summary.verdict]}${evidence} over ${seeds.count} seeds${share}${stop}.`;
}

/**
 * One run's translator. Layer rows: the latest finite epoch's statistics are "the last finite
 * step"; the first epoch whose loss is not finite gives "the first non-finite step".
 */
export class RunTranslator {
  private firstPointAt: number | undefined;
  private sawNonFinite = false;
  private sentNonFiniteLayers = false;

  /** `startedAt`: the click, on the clock `now` reads (performance.now() by default). */
  constructor(
    readonly runId: string,
    private readonly startedAt: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds from the click to the first point, once there was one. */
  get firstPointMs(): number | undefined {
    return this.firstPointAt === undefined ? undefined : Math.round(this.firstPointAt - this.startedAt);
  }

  translate(event: WorkerMessage): ExtensionToPanel[] {
    const runId = this.runId;
    switch (event.type) {
      case 'ready':
        return [{ type: 'backend', runId, backend: backendWords(event.backend, event.engine) }];
      case 'batch':
        return [{ type: 'batch', runId, epoch: event.epoch, batch: event.batch, loss: event.loss }];
      case 'seedDone':
        return [{ type: 'seedDone', runId, seed: event.seed, count: event.count, verdict: event.run.verdict, finalLoss: event.run.finalLoss }];
      case 'epoch': {
        const out: ExtensionToPanel[] = [];
        if (this.firstPointAt === undefined) this.firstPointAt = this.now();
        if (event.seed !== undefined) {
          // A run over several seeds: the seed's line; the layer tables are a single run's.
          const point = event.valLoss === null ? { epoch: event.epoch, loss: event.loss } : { epoch: event.epoch, loss: event.loss, valLoss: event.valLoss };
          return [{ type: 'seedEpoch', runId, seed: event.seed, point }];
        }
        const point = event.valLoss === null ? { epoch: event.epoch, loss: event.loss } : { epoch: event.epoch, loss: event.loss, valLoss: event.valLoss };
        out.push({ type: 'epoch', runId, point });
        const finite = isFinite(event.loss) && (event.valLoss === null || isFinite(event.valLoss));
        if (event.layers) {
          if (finite && !this.sawNonFinite) out.push({ type: 'layers', runId, when: 'lastFinite', rows: layerRows(event.layers) });
          else if (!finite && !this.sentNonFiniteLayers) {
            this.sentNonFiniteLayers = true;
            out.push({ type: 'layers', runId, when: 'firstNonFinite', rows: layerRows(event.layers) });
          }
        }
        if (!finite) this.sawNonFinite = true;
        return out;
      }
      case 'nonFinite': {
        const p = event.point;
        if (event.seed !== undefined) return [{ type: 'seedNonFinite', runId, seed: event.seed, at: { epoch: p.epoch, batch: p.batch } }];
        this.sawNonFinite = true;
        return [{ type: 'nonFinite', runId, at: { epoch: p.epoch, batch: p.batch, layer: p.layer, tensor: p.tensor, recentLosses: p.recentLosses } }];
      }
      case 'done': {
        const s = event.summary;
        const out: ExtensionToPanel[] = [];
        // A run that ended without a non-finite epoch message still has its last layers in the summary.
        if (s.layers.length > 0 && !this.sawNonFinite && !s.seeds) out.push({ type: 'layers', runId, when: 'lastFinite', rows: layerRows(s.layers) });
        if (s.stopped === 'cancelled') return [...out, { type: 'cancelled', runId }];
        const seeds = s.seeds ? { seeds: { count: s.seeds.count, nan: s.seeds.nan, agreement: s.seeds.agreement, statement: s.seeds.statement } } : {};
        out.push({ type: 'done', runId, result: { verdict: s.verdict, verdictText: verdictText(s), timings: { totalMs: Math.round(this.now() - this.startedAt), ...(this.firstPointMs !== undefined ? { firstPointMs: this.firstPointMs } : {}) }, ...seeds } });
        return out;
      }
      case 'error':
        return [{ type: 'error', runId, message: event.message }];
    }
  }
}

/** Causes that predict a stall (a loss that stops falling) rather than NaN or divergence. */
const STALL_CAUSES = new Set(['output-range-mismatch', 'sigmoid-bottleneck', 'tiny-bottleneck', 'too-deep', 'low-learning-rate', 'bad-init']);
/** Causes about validation or the run's bookkeeping: a training curve neither confirms nor refutes them. */
const UNJUDGED_CAUSES = new Set(['empty-validation', 'tiny-validation', 'val-distribution-shift', 'no-early-stopping', 'no-normalization', 'small-adam-epsilon']);

function lossWords(n: WireNumber | undefined): string {
  if (n === undefined) return '-';
  if (typeof n === 'string') return n;
  return Math.abs(n) >= 1e4 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(2) : n.toPrecision(3);
}

/** How the run bears each finding out, in words (index-aligned with `findings`; undefined where a curve says nothing). */
export function findingBearings(findings: readonly Pick<Finding, 'cause'>[], summary: ReproSummary): (string | undefined)[] {
  const bearings = singleSeedBearings(findings, summary);
  // Over several seeds the words are the shown seed's: say how many seeds they hold for.
  const seeds = summary.seeds;
  if (!seeds) return bearings;
  const nan = seeds.nan > 0 && summary.verdict !== 'nan' ? `; NaN in ${seeds.nan} of ${seeds.count}` : '';
  const share = ` (${seeds.verdicts[summary.verdict]} of ${seeds.count} seeds; seed ${seeds.shown} shown${nan})`;
  return bearings.map((b) => (b === undefined ? b : `${b}${share}`));
}

function singleSeedBearings(findings: readonly Pick<Finding, 'cause'>[], summary: ReproSummary): (string | undefined)[] {
  const last = summary.history.loss[summary.history.loss.length - 1];
  const nf = summary.firstNonFinite;
  return findings.map((f) => {
    if (UNJUDGED_CAUSES.has(f.cause)) return undefined;
    const stall = STALL_CAUSES.has(f.cause);
    switch (summary.verdict) {
      case 'nan':
        return stall ? `the run went NaN (epoch ${nf?.epoch ?? '?'}) rather than stalling` : `borne out: the loss became NaN at epoch ${nf?.epoch ?? '?'}`;
      case 'diverging':
        return stall ? 'the run diverged rather than stalling' : `borne out: the loss diverged (last ${lossWords(last)})`;
      case 'exploded':
        return stall ? 'the run exploded rather than stalling' : `borne out: the loss exploded to ${lossWords(last)} without going NaN`;
      case 'stalled': {
        const floor = summary.bounds.outputFloor;
        if (stall) return `borne out: the loss stalled at ${lossWords(last)}${f.cause === 'output-range-mismatch' && floor !== null ? ` (floor ${lossWords(floor)})` : ''}`;
        return `the run stalled at ${lossWords(last)} without going NaN`;
      }
      case 'healthy':
        return `not seen in this run: the loss fell to ${lossWords(last)}`;
    }
  });
}
