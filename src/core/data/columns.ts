/**
 * Streaming per-column statistics: one pass, constant memory per column (Welford's mean and
 * variance, a small reservoir for the median of |x|). NaN, infinite and empty cells are
 * counted, never folded into the moments.
 */
import type { FeatureStats } from '../ir';

/** NaN, empty and infinite cells a column lists the rows of (FeatureStats.nonFiniteRows); past this, only counts. */
const MAX_LISTED_ROWS = 4096;

/** Values kept per column for the median of |x| and the 99th percentile; enough for two digits. */
const RESERVOIR_SIZE = 2048;
/** Beyond this many columns no reservoirs are kept (wide image arrays): moments only. */
export const MAX_RESERVOIR_COLUMNS = 512;

/** A deterministic generator so that the same file gives the same statistics every time. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export class ColumnAccumulator {
  count = 0;
  nanCount = 0;
  infCount = 0;
  /** CSV only: cells with nothing in them (pandas reads them as NaN; they are also in nanCount). */
  emptyCount = 0;
  /** CSV only: cells that are not numbers (text); such a column is not numeric. */
  textCount = 0;
  min = Infinity;
  max = -Infinity;
  private mean = 0;
  private m2 = 0;
  private seen = 0;
  private reservoir: number[] | undefined;
  private readonly random: () => number;
  /** Cells seen so far (one a row): the row of the next. */
  private cells = 0;
  /** Rows of the NaN, empty and infinite cells while they are few (see FeatureStats.nanRows); undefined past the limit. */
  private listed: { nan: number[]; empty: number[]; inf: number[] } | undefined = { nan: [], empty: [], inf: [] };

  constructor(
    readonly index: number,
    keepSample: boolean,
  ) {
    this.reservoir = keepSample ? [] : undefined;
    this.random = lcg(index + 1);
  }

  /** Notes the row of a NaN, empty or infinite cell, while they are few enough to list. */
  private list(kind: 'nan' | 'empty' | 'inf', row: number): void {
    if (!this.listed) return;
    if (this.nanCount + this.infCount > MAX_LISTED_ROWS) this.listed = undefined;
    else this.listed[kind].push(row);
  }

  add(v: number): void {
    const row = this.cells++;
    if (Number.isNaN(v)) {
      this.nanCount++;
      this.list('nan', row);
      return;
    }
    if (!Number.isFinite(v)) {
      this.infCount++;
      this.list('inf', row);
      return;
    }
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    const delta = v - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (v - this.mean);
    if (this.reservoir) {
      this.seen++;
      if (this.reservoir.length < RESERVOIR_SIZE) this.reservoir.push(v);
      else {
        const j = Math.floor(this.random() * this.seen);
        if (j < RESERVOIR_SIZE) this.reservoir[j] = v;
      }
    }
  }

  addEmpty(): void {
    this.emptyCount++;
    this.nanCount++;
    this.list('empty', this.cells++);
  }

  addText(): void {
    this.textCount++;
    this.cells++;
  }

  /** |x| at quantile q of the sample, or undefined without a sample. */
  private absQuantile(q: number): number | undefined {
    if (!this.reservoir || this.reservoir.length === 0) return undefined;
    const abs = this.reservoir.map(Math.abs).sort((a, b) => a - b);
    const pos = (abs.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return abs[lo] + (abs[hi] - abs[lo]) * (pos - lo);
  }

  summary(name: string | undefined): ColumnSummary {
    const count = this.count;
    const medianAbs = this.absQuantile(0.5);
    const p99Abs = this.absQuantile(0.99);
    const stats: ColumnSummary = {
      name,
      count,
      min: count > 0 ? this.min : NaN,
      max: count > 0 ? this.max : NaN,
      mean: count > 0 ? this.mean : NaN,
      std: count > 0 ? Math.sqrt(this.m2 / count) : NaN,
      nanCount: this.nanCount,
      infCount: this.infCount,
      emptyCount: this.emptyCount,
      textCount: this.textCount,
      numeric: this.textCount === 0 || this.textCount < (count + this.nanCount) / 10,
      constant: count > 0 && this.min === this.max,
    };
    if (this.listed && this.nanCount + this.infCount > 0) stats.nonFiniteRows = { nan: [...this.listed.nan], empty: [...this.listed.empty], inf: [...this.listed.inf] };
    if (medianAbs !== undefined) stats.medianAbs = medianAbs;
    if (p99Abs !== undefined) stats.p99Abs = p99Abs;
    const maxAbs = Math.max(Math.abs(stats.min), Math.abs(stats.max));
    // A few values dwarfing the bulk: the largest |x| is 50 times the median |x| (and 5 times the 99th percentile).
    stats.heavyTail = medianAbs !== undefined && p99Abs !== undefined && medianAbs > 0 && maxAbs > 50 * medianAbs && maxAbs > 5 * p99Abs;
    return stats;
  }
}

/** Statistics of one column of a data file: the IR's FeatureStats plus what a file can tell. */
export interface ColumnSummary extends FeatureStats {
  emptyCount: number;
  textCount: number;
  /** False for a text column (pandas would give it dtype object). */
  numeric: boolean;
  /** Every finite value is the same (and there is at least one). */
  constant: boolean;
  p99Abs?: number;
  heavyTail?: boolean;
}

/** Largest over smallest typical magnitude among numeric, non-constant columns (1 when fewer than two). */
export function scaleDisparity(columns: readonly ColumnSummary[]): { ratio: number; largest?: ColumnSummary; smallest?: ColumnSummary } {
  const scaled = columns
    .filter((c) => c.numeric && c.count > 0 && !c.constant)
    .map((c) => ({ c, scale: Math.max(Math.abs(c.min), Math.abs(c.max)) }))
    .filter((x) => x.scale > 0 && Number.isFinite(x.scale));
  if (scaled.length < 2) return { ratio: 1 };
  scaled.sort((a, b) => a.scale - b.scale);
  const smallest = scaled[0];
  const largest = scaled[scaled.length - 1];
  return { ratio: largest.scale / smallest.scale, largest: largest.c, smallest: smallest.c };
}
