/** Pure view helpers of the panel, tested in plain Node. */
import type { RunState } from '../shared/panelProtocol';
import { fromWire } from '../shared/panelProtocol';
import { lossGrowth } from '../shared/lossGrowth';

/** A run over several seeds: drawn as a band (their spread) around a line (their median). */
export function isMultiSeed(run: RunState): boolean {
  return (run.info.seeds ?? 1) > 1 || run.seedRuns !== undefined;
}

/** Where each run's series sit in the chart rows: loss and val_loss, and for a run over several seeds the band's top and bottom. */
export interface RunSeries {
  loss: number;
  val: number;
  band?: { high: number; low: number };
}

export function seriesLayout(runs: readonly RunState[]): RunSeries[] {
  let next = 1;
  return runs.map((r) => {
    const s: RunSeries = { loss: next, val: next + 1 };
    next += 2;
    if (isMultiSeed(r)) {
      s.band = { high: next, low: next + 1 };
      next += 2;
    }
    return s;
  });
}

/**
 * The band of a run over several seeds: per epoch, the highest and the lowest of the seeds' finite
 * losses (on a log scale, of the positive ones); null where no seed has one.
 */
export function seedBand(run: RunState, epochs: number, logScale: boolean): { high: (number | null)[]; low: (number | null)[] } {
  const high: (number | null)[] = new Array(epochs).fill(null);
  const low: (number | null)[] = new Array(epochs).fill(null);
  for (const t of run.seedRuns ?? []) {
    for (const p of t.points) {
      if (p.epoch >= epochs) continue;
      const v = fromWire(p.loss);
      if (!Number.isFinite(v) || (logScale && v <= 0)) continue;
      const h = high[p.epoch];
      const l = low[p.epoch];
      high[p.epoch] = h === null || v > h ? v : h;
      low[p.epoch] = l === null || v < l ? v : l;
    }
  }
  return { high, low };
}

/** Where each seed of a run over several seeds went NaN: one marker per seed, with its words. */
export interface SeedNaNMarker {
  seed: number;
  epoch: number;
  batch: number;
  /** Its place among the markers at the same epoch (0 first), to stack them. */
  stack: number;
  title: string;
}

export function seedNaNMarkers(run: RunState): SeedNaNMarker[] {
  const perEpoch = new Map<number, number>();
  const out: SeedNaNMarker[] = [];
  for (const t of run.seedRuns ?? []) {
    if (!t.nonFinite) continue;
    const { epoch, batch } = t.nonFinite;
    const stack = perEpoch.get(epoch) ?? 0;
    perEpoch.set(epoch, stack + 1);
    out.push({ seed: t.seed, epoch, batch, stack, title: `seed ${t.seed}: NaN at epoch ${epoch}, batch ${batch}` });
  }
  return out;
}

/** Chart rows: x = epochs (the union over runs), then loss and val_loss per run (and a band's top and bottom, see seriesLayout); non-finite values are gaps. */
export function chartData(runs: readonly RunState[], logScale: boolean): [number[], ...(number | null)[][]] {
  let maxEpoch = -1;
  for (const r of runs) for (const p of r.points) if (p.epoch > maxEpoch) maxEpoch = p.epoch;
  const xs: number[] = [];
  for (let e = 0; e <= maxEpoch; e++) xs.push(e);
  const out: [number[], ...(number | null)[][]] = [xs];
  const usable = (v: number | undefined): number | null => {
    if (v === undefined || !Number.isFinite(v)) return null;
    if (logScale && v <= 0) return null;
    return v;
  };
  for (const r of runs) {
    const loss: (number | null)[] = new Array(xs.length).fill(null);
    const val: (number | null)[] = new Array(xs.length).fill(null);
    for (const p of r.points) {
      loss[p.epoch] = usable(fromWire(p.loss));
      val[p.epoch] = usable(fromWire(p.valLoss));
    }
    out.push(loss, val);
    if (isMultiSeed(r)) {
      const band = seedBand(r, xs.length, logScale);
      out.push(band.high, band.low);
    }
  }
  return out;
}

/** Losses span 1e-6 to 1e12 in practice: short, exact enough, and never "NaN" for a finite number. */
export function formatLoss(v: number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

export function describeNonFinite(run: RunState): string {
  const at = run.firstNonFinite;
  if (!at) return '';
  const where = at.layer ? `${at.tensor} of ${at.layer}` : at.tensor;
  // Broken before any epoch ended finite: the chart has no line, the batch-loss table is the curve.
  const noFiniteEpoch = (at.recentLosses?.length ?? 0) > 0 && !run.points.some((p) => Number.isFinite(fromWire(p.loss) ?? NaN));
  return `first non-finite value at epoch ${at.epoch}, batch ${at.batch} (${where})${noFiniteEpoch ? '; no epoch ended with a finite loss, so the chart has no line: the batch losses are below' : ''}`;
}

export interface BatchLossRow {
  epoch: number;
  batch: number;
  loss: string;
  /** "×2.0e27" when the loss grew at least tenfold since the batch before, else "". */
  growth: string;
  finite: boolean;
}

/** The rows of the "batch losses up to the first non-finite step" table. */
export function batchLossRows(run: RunState): BatchLossRow[] {
  const recent = run.firstNonFinite?.recentLosses ?? [];
  let previous: number | null = null;
  return recent.map((l) => {
    const v = fromWire(l.loss) ?? NaN;
    const factor = previous === null ? null : lossGrowth(previous, v);
    const row = { epoch: l.epoch, batch: l.batch, loss: formatLoss(v), growth: factor === null ? '' : `×${formatLoss(factor)}`, finite: Number.isFinite(v) };
    previous = v;
    return row;
  });
}

export function verdictHeadline(run: RunState): string {
  if (run.error) return `The reproduction failed: ${run.error}`;
  if (run.cancelled) return 'Cancelled.';
  if (run.result) return run.result.verdictText;
  const seeds = run.seedRuns;
  if (seeds && seeds.length > 0) {
    const current = seeds[seeds.length - 1];
    const last = current.points[current.points.length - 1];
    const count = run.seedCount ?? run.info.seeds ?? seeds.length;
    const where = last ? `, epoch ${last.epoch + 1} of ${run.info.epochs}, loss ${formatLoss(fromWire(last.loss))}` : '';
    return `Training ${run.info.model}: seed ${current.seed} (${seeds.length} of ${count})${where}`;
  }
  const last = run.points[run.points.length - 1];
  if (!last) return `Training ${run.info.model}${(run.info.seeds ?? 1) > 1 ? ` over ${run.info.seeds} seeds` : ''}...`;
  return `Training ${run.info.model}: epoch ${last.epoch + 1} of ${run.info.epochs}, loss ${formatLoss(fromWire(last.loss))}`;
}

type ChartRows = [number[], ...(number | null)[][]];

/**
 * Builds the chart rows incrementally: a running reproduction only appends epochs, so each
 * update converts the new points only (a long run with 100,000 points stays cheap to update).
 * Anything else (a new run, the scale switched, a replaced history) rebuilds from scratch.
 */
export class ChartRowsCache {
  private key = '';
  private rows: ChartRows = [[]];
  private converted: number[] = [];

  update(runs: readonly RunState[], logScale: boolean): ChartRows {
    const key = `${logScale}|${runs.map((r) => r.info.runId).join('|')}`;
    // A run over several seeds changes earlier epochs (each seed moves the median and the band): built afresh.
    const appendOnly =
      key === this.key &&
      !runs.some(isMultiSeed) &&
      runs.every((r, i) => {
        const n = this.converted[i];
        return n !== undefined && r.points.length >= n && isAppendOf(r, n, this.rows, i);
      });
    if (!appendOnly) {
      this.key = key;
      this.rows = chartData(runs, logScale);
      this.converted = runs.map((r) => r.points.length);
      return this.rows;
    }
    const usable = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) || (logScale && v <= 0) ? null : v);
    const xs = this.rows[0];
    runs.forEach((r, i) => {
      for (let k = this.converted[i]; k < r.points.length; k++) {
        const p = r.points[k];
        while (xs.length <= p.epoch) {
          xs.push(xs.length);
          for (let s = 1; s < this.rows.length; s++) (this.rows[s] as (number | null)[]).push(null);
        }
        this.rows[1 + 2 * i][p.epoch] = usable(fromWire(p.loss));
        this.rows[2 + 2 * i][p.epoch] = usable(fromWire(p.valLoss));
      }
      this.converted[i] = r.points.length;
    });
    return this.rows;
  }
}

// The cached prefix is still the run's prefix when the last converted point sits where it was drawn.
function isAppendOf(run: RunState, converted: number, rows: ChartRows, index: number): boolean {
  if (converted === 0) return true;
  const p = run.points[converted - 1];
  return p !== undefined && p.epoch < rows[0].length && rows[1 + 2 * index] !== undefined;
}

/**
 * Reduces rows to at most about `maxPoints` x values for drawing: each bucket of epochs keeps
 * its first epoch with every series' minimum and its middle epoch with every series' maximum,
 * so spikes and the shape of the curve survive. A bucket whose values are all non-finite stays
 * a gap, so a NaN is never drawn over. Rows this short are returned as they are.
 */
export function decimateRows(rows: ChartRows, maxPoints: number): ChartRows {
  const n = rows[0].length;
  if (n <= maxPoints) return rows;
  const bucket = Math.ceil((2 * n) / maxPoints);
  const out: ChartRows = [[]];
  for (let s = 1; s < rows.length; s++) out.push([]);
  for (let start = 0; start < n; start += bucket) {
    const end = Math.min(n, start + bucket);
    out[0].push(rows[0][start]);
    if (end - start > 1) out[0].push(rows[0][start + ((end - start) >> 1)]);
    for (let s = 1; s < rows.length; s++) {
      const series = rows[s] as (number | null)[];
      const target = out[s] as (number | null)[];
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = series[i];
        if (v === null || v === undefined) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const has = lo !== Infinity;
      target.push(has ? lo : null);
      if (end - start > 1) target.push(has ? hi : null);
    }
  }
  return out;
}

/** Grid lines of a log-scale axis: the powers of ten in [min, max], thinned to at most 8 lines. */
export function powersOfTen(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return [];
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 8));
  const out: number[] = [];
  for (let e = lo; e <= hi; e += step) out.push(10 ** e);
  return out;
}

/**
 * The loss axis's ticks on a log scale: the powers of ten within it, or, on a range that holds
 * fewer than two (a loss between 0.69 and 1 has only 1), round values in steps of 1, 2 or 5 times
 * a power of ten, so that the level of the curve can still be read off the axis.
 */
export function logScaleTicks(min: number, max: number): number[] {
  const powers = powersOfTen(min, max);
  if (powers.length >= 2 || !(min > 0) || !(max > min) || !Number.isFinite(max)) return powers;
  const rough = (max - min) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const out: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max * (1 + 1e-9); i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Axis labels: `1e6`, `2.5e-4`, `0.5`, `120`. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) {
    const [m, e] = v.toExponential().split('e');
    return `${Number(Number(m).toPrecision(3))}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(4)));
}
