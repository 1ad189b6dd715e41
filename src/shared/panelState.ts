/**
 * The panel's state as a pure reducer over protocol messages. The extension keeps the same
 * state (to resend it when the panel becomes visible or is restored after a reload) and the
 * webview renders it: one function, so the two can never disagree.
 */
import type { EpochPoint, ExtensionToPanel, PanelState, RunState, SeedTrack, WireNumber } from './panelProtocol';
import { fromWire } from './panelProtocol';

export const EMPTY_PANEL_STATE: PanelState = { runs: [], logScale: true };

/** At most this many runs are kept: the original and a few fixes to compare. */
export const MAX_RUNS = 4;

function updateRun(state: PanelState, runId: string, update: (run: RunState) => RunState): PanelState {
  let found = false;
  const runs = state.runs.map((r) => {
    if (r.info.runId !== runId) return r;
    found = true;
    return update(r);
  });
  return found ? { ...state, runs } : state;
}

/**
 * Histories only grow at the end while a run goes on, and may be 100,000 epochs long: the
 * common case appends in place (a history array belongs to its state and is never shared
 * with a state that is still in use), so an update costs O(1), not a copy.
 */
function upsertPoint(points: EpochPoint[], point: EpochPoint): EpochPoint[] {
  const last = points[points.length - 1];
  if (!last || last.epoch < point.epoch) {
    points.push(point);
    return points;
  }
  // Out-of-order or repeated epochs replace what was there (a worker never sends them, but be safe).
  return [...points.filter((p) => p.epoch !== point.epoch), point].sort((a, b) => a.epoch - b.epoch);
}

export function reducePanel(state: PanelState, msg: ExtensionToPanel): PanelState {
  if (msg.type === 'state') return msg.state;
  const next = applyMessage(state, msg);
  return next === state ? state : { ...next, revision: (state.revision ?? 0) + 1 };
}

/** The revision of a state (0 for states saved before revisions existed). */
export function revisionOf(state: PanelState): number {
  return state.revision ?? 0;
}

/** Of two copies of the panel's state, the newer; `preferred` on a tie. */
export function newerState(preferred: PanelState | undefined, other: PanelState | undefined): PanelState | undefined {
  if (!preferred) return other;
  if (!other) return preferred;
  return revisionOf(other) > revisionOf(preferred) ? other : preferred;
}

/** A saved or embedded value that has the shape of a panel state. */
export function isPanelState(v: unknown): v is PanelState {
  return typeof v === 'object' && v !== null && Array.isArray((v as PanelState).runs) && typeof (v as PanelState).logScale === 'boolean';
}

function applyMessage(state: PanelState, msg: Exclude<ExtensionToPanel, { type: 'state' }>): PanelState {
  switch (msg.type) {
    case 'runStarted': {
      const fresh: RunState = { info: msg.info, points: [], batchesSeen: 0 };
      const others = state.runs.filter((r) => r.info.runId !== msg.info.runId);
      return { ...state, runs: [...others, fresh].slice(-MAX_RUNS) };
    }
    case 'backend':
      return updateRun(state, msg.runId, (r) => ({ ...r, backend: msg.backend }));
    // A worker may still send an epoch after the run was cancelled or ended: the run as the user
    // saw it end is the record (and what a reload restores), so late points are dropped.
    case 'epoch':
      return updateRun(state, msg.runId, (r) => (isRunning(r) ? { ...r, points: upsertPoint(r.points, msg.point) } : r));
    case 'batch':
      return updateRun(state, msg.runId, (r) => (isRunning(r) ? { ...r, batchesSeen: r.batchesSeen + 1 } : r));
    case 'seedEpoch':
      return updateRun(state, msg.runId, (r) => (isRunning(r) ? withSeedPoint(r, msg.seed, msg.point) : r));
    case 'seedNonFinite':
      return updateRun(state, msg.runId, (r) => updateSeed(r, msg.seed, (t) => (t.nonFinite ? t : { ...t, nonFinite: msg.at })));
    case 'seedDone':
      return updateRun(state, msg.runId, (r) => ({
        ...updateSeed(r, msg.seed, (t) => ({ ...t, verdict: msg.verdict, ...(msg.finalLoss !== null ? { finalLoss: msg.finalLoss } : {}) })),
        seedCount: msg.count,
      }));
    case 'nonFinite':
      return updateRun(state, msg.runId, (r) => (r.firstNonFinite ? r : { ...r, firstNonFinite: msg.at }));
    case 'layers':
      return updateRun(state, msg.runId, (r) => (msg.when === 'lastFinite' ? { ...r, layersLastFinite: msg.rows } : { ...r, layersFirstNonFinite: msg.rows }));
    case 'done':
      // Over several seeds the result says how many ran (fewer than asked when the time limit came first).
      return updateRun(state, msg.runId, (r) => ({ ...r, result: msg.result, ...(msg.result.seeds ? { seedCount: msg.result.seeds.count } : {}) }));
    case 'error':
      return updateRun(state, msg.runId, (r) => ({ ...r, error: msg.message }));
    case 'cancelled':
      return updateRun(state, msg.runId, (r) => ({ ...r, cancelled: true }));
  }
}

/** The run with one seed's track changed (created when it has none yet). */
function updateSeed(run: RunState, seed: number, update: (track: SeedTrack) => SeedTrack): RunState {
  const tracks = run.seedRuns ?? [];
  const i = tracks.findIndex((t) => t.seed === seed);
  const next = i >= 0 ? tracks.map((t, k) => (k === i ? update(t) : t)) : [...tracks, update({ seed, points: [] })];
  return { ...run, seedRuns: next };
}

/** The middle of the finite values (the mean of the two middle ones for an even count); undefined when none is finite. */
export function medianOf(values: readonly number[]): number | undefined {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/** One seed's epoch: its track grows, and the run's line at that epoch becomes the median over the seeds' finite losses. */
function withSeedPoint(run: RunState, seed: number, point: EpochPoint): RunState {
  // The seed's history grows in place, as a run's does (upsertPoint).
  const next = updateSeed(run, seed, (t) => ({ ...t, points: upsertPoint(t.points, point) }));
  const at = (t: SeedTrack): EpochPoint | undefined => {
    const p = t.points[point.epoch];
    return p?.epoch === point.epoch ? p : t.points.find((q) => q.epoch === point.epoch);
  };
  const here = next.seedRuns!.map(at).filter((p): p is EpochPoint => p !== undefined);
  const median = (pick: (p: EpochPoint) => WireNumber | undefined): WireNumber | undefined => {
    const values = here.map(pick).filter((v): v is WireNumber => v !== undefined);
    if (values.length === 0) return undefined;
    // Every seed non-finite here: the line has a gap.
    return medianOf(values.map(fromWire)) ?? 'NaN';
  };
  const loss = median((p) => p.loss) ?? 'NaN';
  const valLoss = median((p) => p.valLoss);
  const line: EpochPoint = valLoss === undefined ? { epoch: point.epoch, loss } : { epoch: point.epoch, loss, valLoss };
  const points = next.points;
  const i = points[point.epoch]?.epoch === point.epoch ? point.epoch : points.findIndex((p) => p.epoch === point.epoch);
  if (i >= 0) {
    points[i] = line;
    return next;
  }
  return { ...next, points: upsertPoint(points, line) };
}

export function isRunning(run: RunState): boolean {
  return !run.result && !run.error && !run.cancelled;
}

/** The history as CSV: one row per epoch, one loss and val_loss column per run (over several seeds: the medians, then each seed's loss). */
export function historyCsv(state: PanelState): string {
  const header = ['epoch'];
  for (const r of state.runs) {
    const median = r.seedRuns ? ' (median over seeds)' : '';
    header.push(`${r.info.label} loss${median}`, `${r.info.label} val_loss${median}`);
    for (const t of r.seedRuns ?? []) header.push(`${r.info.label} seed ${t.seed} loss`);
  }
  const maxEpoch = Math.max(-1, ...state.runs.flatMap((r) => r.points.map((p) => p.epoch)));
  const lines = [header.map(csvCell).join(',')];
  for (let e = 0; e <= maxEpoch; e++) {
    const row: string[] = [String(e)];
    for (const r of state.runs) {
      const p = r.points.find((q) => q.epoch === e);
      row.push(p ? String(fromWire(p.loss)) : '', p?.valLoss !== undefined ? String(fromWire(p.valLoss)) : '');
      for (const t of r.seedRuns ?? []) {
        const q = t.points.find((x) => x.epoch === e);
        row.push(q ? String(fromWire(q.loss)) : '');
      }
    }
    lines.push(row.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
