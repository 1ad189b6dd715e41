/**
 * A reproduction over several seeds: near the edge of divergence whether a setup goes NaN
 * depends on the initial weights, and the honest answer is a fraction ("NaN in 3 of 8 seeds"),
 * not one seed's verdict. Pure functions of the seeds' summaries (no TensorFlow.js): the
 * multi-seed verdict, its statement in words and the combined summary. The rule is documented
 * in docs/reproduction.md ("Several seeds").
 */
import type { ReproSummary } from './summary';
import { fromWire, type WireNumber } from './protocol';
import type { Verdict } from './verdict';

/** The most seeds `--seeds auto` trains, and the time they may take together (a first seed slower than this runs alone). */
export const AUTO_SEEDS = { max: 8, budgetMs: 15_000 } as const;
/** The most seeds a run may be asked for. */
export const MAX_SEEDS = 64;

/** What the host asks the worker for: a number of seeds, or as many as fit the time budget (decided after the first). */
export type SeedsRequest = { mode: 'count'; count: number } | { mode: 'auto'; max: number; budgetMs: number };

/** One seed of a multi-seed run, as the summary lists it. */
export interface SeedRun {
  seed: number;
  verdict: Verdict;
  /** The last epoch's training loss ("NaN" when it went non-finite); null when no epoch finished. */
  finalLoss: WireNumber | null;
  /** The final loss over the mean predictor's loss on that seed's data, when both are known and finite. */
  overMeanPredictor: number | null;
  firstNonFinite: { epoch: number; batch: number } | null;
  epochsRun: number;
  stopped: ReproSummary['stopped'];
}

/** `unanimous`: every seed got the same verdict; `coin-flip`: the verdict depends on the seed. */
export type SeedAgreement = 'unanimous' | 'coin-flip';

export interface SeedsSummary {
  /** Seeds trained (fewer than asked when the time limit came first or the run was cancelled). */
  count: number;
  requested: number | 'auto';
  /** Seeds whose verdict is `nan`. */
  nan: number;
  verdicts: Record<Verdict, number>;
  agreement: SeedAgreement;
  runs: SeedRun[];
  /** The seed whose history, first non-finite point and layer statistics fill the rest of the summary: the first with the summary's verdict. */
  shown: number;
  /** The outcome in words: "NaN in 3 of 8 seeds, all in epoch 0; the other 5 exploded, ending at 1.2e5 to 3.4e22 times the mean predictor's loss." */
  statement: string;
  /** Why fewer seeds ran than asked, if they did. */
  limitedBy: 'time' | 'cancelled' | null;
}

/** Problem verdicts from the most to the least severe: the order that breaks ties. */
const SEVERITY: readonly Verdict[] = ['nan', 'diverging', 'exploded', 'stalled', 'healthy'];

export function seedRun(summary: ReproSummary): SeedRun {
  const final = summary.history.loss.at(-1) ?? null;
  const mean = summary.bounds.meanPredictor;
  const value = final === null ? NaN : fromWire(final);
  const p = summary.firstNonFinite;
  return {
    seed: summary.seed,
    verdict: summary.verdict,
    finalLoss: final,
    overMeanPredictor: mean !== null && mean > 0 && Number.isFinite(value) ? value / mean : null,
    firstNonFinite: p ? { epoch: p.epoch, batch: p.batch } : null,
    epochsRun: summary.epochsRun,
    stopped: summary.stopped,
  };
}

export function countVerdicts(runs: readonly Pick<SeedRun, 'verdict'>[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { nan: 0, diverging: 0, exploded: 0, stalled: 0, healthy: 0 };
  for (const r of runs) counts[r.verdict] += 1;
  return counts;
}

/**
 * The verdict of a run over several seeds: `healthy` only when every seed is healthy; otherwise
 * the problem verdict most seeds got, ties going to the more severe (nan, diverging, exploded,
 * stalled). A setup that fails on some seeds fails: which way it most often fails is the verdict,
 * and the fraction goes with it (the statement, `seeds.verdicts`, `agreement`).
 */
export function multiSeedVerdict(runs: readonly Pick<SeedRun, 'verdict'>[]): Verdict {
  const counts = countVerdicts(runs);
  let best: Verdict = 'healthy';
  for (const v of SEVERITY) if (v !== 'healthy' && counts[v] > 0 && (best === 'healthy' || counts[v] > counts[best])) best = v;
  return best;
}

export function agreementOf(runs: readonly Pick<SeedRun, 'verdict'>[]): SeedAgreement {
  return runs.every((r) => r.verdict === runs[0]?.verdict) ? 'unanimous' : 'coin-flip';
}

/** Short numbers for sentences: 1.2e5, 3.4e22, 0.083, 31. */
export function shortNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a >= 1e4 || a < 1e-2)) {
    const [m, e] = n.toExponential(1).split('e');
    return `${m.replace(/\.0$/, '')}e${Number(e)}`;
  }
  return String(Number(n.toPrecision(2)));
}

function range(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  // Within rounding of each other: one number.
  return shortNumber(lo) === shortNumber(hi) ? shortNumber(lo) : `${shortNumber(lo)} to ${shortNumber(hi)}`;
}

/**
 * "at 1.2e5 to 3.4e22 times the mean predictor's loss" (every run's ratio known), else "at losses
 * of 2.1e4 to 5e8". `again`: the mean predictor was named before in the sentence ("at 29 times").
 */
function whereTheyEnded(runs: readonly SeedRun[], again = false): string {
  if (runs.every((r) => r.overMeanPredictor !== null)) return `at ${range(runs.map((r) => r.overMeanPredictor!))} times${again ? '' : " the mean predictor's loss"}`;
  const losses = runs.map((r) => (r.finalLoss === null ? NaN : fromWire(r.finalLoss))).filter(Number.isFinite);
  if (losses.length === 0) return 'with no finished epoch';
  return `at ${losses.length === 1 ? 'a loss of' : 'losses of'} ${range(losses)}`;
}

const ratios = (runs: readonly SeedRun[]): boolean => runs.every((r) => r.overMeanPredictor !== null);

/** The verdicts as adjectives ("Stalled in 5 of 8 seeds") and as what the seeds did ("the other 4 exploded", "2 diverged"). */
const GROUP_WORDS: Record<Exclude<Verdict, 'nan'>, string> = { diverging: 'diverging', exploded: 'exploded', stalled: 'stalled', healthy: 'healthy' };
const GROUP_VERBS: Record<Exclude<Verdict, 'nan'>, string> = { diverging: 'diverged', exploded: 'exploded', stalled: 'stalled', healthy: 'healthy' };

/** The first epoch each NaN seed went non-finite in: "all in epoch 0", "in epochs 0 to 2", "in epoch 1 (batch 4)". */
function nanEpochs(runs: readonly SeedRun[]): string {
  const points = runs.map((r) => r.firstNonFinite).filter((p): p is { epoch: number; batch: number } => p !== null);
  if (points.length === 0) return '';
  if (runs.length === 1) return `, in epoch ${points[0].epoch} (batch ${points[0].batch})`;
  const epochs = points.map((p) => p.epoch);
  const lo = Math.min(...epochs);
  const hi = Math.max(...epochs);
  if (points.length < runs.length) return lo === hi ? `, in epoch ${lo}` : `, in epochs ${lo} to ${hi}`;
  return lo === hi ? `, all in epoch ${lo}` : `, in epochs ${lo} to ${hi}`;
}

/**
 * The outcome over the seeds in one sentence: the NaN share first (where they went NaN), then
 * where the others ended, grouped by verdict, as multiples of the mean predictor's loss when it
 * is known (else as losses).
 */
export function seedsStatement(runs: readonly SeedRun[]): string {
  const n = runs.length;
  if (n === 0) return 'No seed was trained.';
  const nan = runs.filter((r) => r.verdict === 'nan');
  const others = runs.filter((r) => r.verdict !== 'nan');
  const groups = (['diverging', 'exploded', 'stalled', 'healthy'] as const)
    .map((v) => ({ verdict: v, runs: others.filter((r) => r.verdict === v) }))
    .filter((g) => g.runs.length > 0)
    .sort((a, b) => b.runs.length - a.runs.length);
  const seedWord = n === 1 ? 'seed' : 'seeds';
  if (nan.length > 0) {
    const head = nan.length === n ? (n === 1 ? `NaN in the one seed` : `NaN in all ${n} seeds`) : `NaN in ${nan.length} of ${n} ${seedWord}`;
    const where = nanEpochs(nan);
    if (others.length === 0) return `${head}${where}.`;
    const rest = others.length === 1 ? 'the other one' : `the other ${others.length}`;
    const only = groups[0].verdict;
    const did = only === 'healthy' ? `${others.length === 1 ? 'was' : 'were'} healthy` : GROUP_VERBS[only];
    if (groups.length === 1) return `${head}${where}; ${rest} ${did}, ending ${whereTheyEnded(others)}.`;
    return `${head}${where}; of ${rest}, ${groups.map((g, i) => `${g.runs.length} ${GROUP_VERBS[g.verdict]} (ending ${whereTheyEnded(g.runs, i > 0 && ratios(groups[i - 1].runs))})`).join(', ')}.`;
  }
  const [first, ...rest] = groups;
  const firstWords = first.runs.length === n ? (n === 1 ? `${capital(GROUP_WORDS[first.verdict])} in the one seed` : `${capital(GROUP_WORDS[first.verdict])} in all ${n} seeds`) : `${capital(GROUP_WORDS[first.verdict])} in ${first.runs.length} of ${n} ${seedWord}`;
  const parts = [`${firstWords}, ending ${whereTheyEnded(first.runs)}`, ...rest.map((g, i) => `${GROUP_WORDS[g.verdict]} in ${g.runs.length}, ending ${whereTheyEnded(g.runs, ratios(groups[i].runs))}`)];
  return `${parts.join('; ')}.`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "seeds 0-7" or "seed 4". */
export function seedRangeWords(runs: readonly Pick<SeedRun, 'seed'>[]): string {
  if (runs.length === 1) return `seed ${runs[0].seed}`;
  return `seeds ${runs[0]?.seed}-${runs[runs.length - 1]?.seed}`;
}

/** How widely the top-level verdict holds over the seeds: "3 of 8 seeds; a coin flip: the outcome depends on the seed". */
export function verdictShare(verdict: Verdict, seeds: Pick<SeedsSummary, 'count' | 'verdicts' | 'agreement'>): string {
  const k = seeds.verdicts[verdict];
  const share = `${k} of ${seeds.count} ${seeds.count === 1 ? 'seed' : 'seeds'}`;
  return seeds.agreement === 'coin-flip' ? `${share}; a coin flip: the outcome depends on the seed` : share;
}

/**
 * The summary of a run over several seeds: the multi-seed verdict and `seeds`, with the other
 * fields (history, first non-finite point, layers, bounds) from the first seed that got that
 * verdict, named in `seeds.shown`. Timings: `totalMs` over all seeds, `trainMs` summed.
 */
export function combineSeeds(summaries: readonly ReproSummary[], o: { requested: number | 'auto'; limitedBy: SeedsSummary['limitedBy']; totalMs: number; wallLimitMs: number }): ReproSummary {
  if (summaries.length === 0) throw new Error('no seed finished');
  const runs = summaries.map(seedRun);
  const verdict = multiSeedVerdict(runs);
  const shownIndex = Math.max(0, runs.findIndex((r) => r.verdict === verdict));
  const shown = summaries[shownIndex];
  const counts = countVerdicts(runs);
  const seeds: SeedsSummary = {
    count: runs.length,
    requested: o.requested,
    nan: counts.nan,
    verdicts: counts,
    agreement: agreementOf(runs),
    runs,
    shown: shown.seed,
    statement: seedsStatement(runs),
    limitedBy: o.limitedBy,
  };
  const notes = [...shown.notes];
  if (o.limitedBy === 'time' && o.requested !== 'auto' && runs.length < o.requested) {
    notes.push(`Trained ${runs.length} of the ${o.requested} seeds asked for: the others would not have finished within the wall-time limit of ${Math.round(o.wallLimitMs / 1000)} s (maxWallMs).`);
  }
  if (o.requested === 'auto') notes.push(`Seeds chosen by time: ${runs.length === 1 ? 'one, as the first took too long for more' : `${runs.length} seeds, as many as fit in ${Math.round(Math.min(AUTO_SEEDS.budgetMs, o.wallLimitMs) / 1000)} s (at most ${AUTO_SEEDS.max})`}.`);
  const trainMs = summaries.reduce((a, s) => a + s.timings.trainMs, 0);
  const cancelled = summaries.some((s) => s.stopped === 'cancelled') || o.limitedBy === 'cancelled';
  return {
    ...shown,
    verdict,
    explanation: `${seeds.statement} The verdict over the seeds: ${verdict}, ${verdictShare(verdict, seeds)}.`,
    // Loading TensorFlow.js is the first seed's; training is every seed's.
    timings: { ...shown.timings, totalMs: Math.round(o.totalMs), loadMs: summaries[0].timings.loadMs, trainMs: Math.round(trainMs) },
    stopped: cancelled ? 'cancelled' : shown.stopped,
    notes,
    seeds,
    nanFraction: counts.nan / runs.length,
  };
}
