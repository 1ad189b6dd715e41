/**
 * One plan trained with several seeds, one after the other in the same worker (TensorFlow.js
 * loads once): seed, seed + 1, ... Each seed is exactly the run `--seed` of that number would
 * give (its initial weights, shuffling and `np.random` or stand-in data are drawn from it). Its
 * progress messages carry the seed, each seed ends with `seedDone`, and the result is the
 * combined summary (../seeds.ts).
 *
 * Time: the seeds share the plan's wall-time limit. Before a seed starts, the time the slowest
 * seed so far took to train must still fit; `auto` trains as many as fit in AUTO_SEEDS.budgetMs
 * (at most AUTO_SEEDS.max), decided after the first seed's time.
 */
import type { ReproPlan } from '../plan';
import type { BackendChoice, WorkerMessage } from '../protocol';
import { combineSeeds, seedRun, type SeedsRequest, type SeedsSummary } from '../seeds';
import type { ReproSummary } from '../summary';
import { runReproduction, type RunHooks, type RunOptions } from './train';

/** How many seeds `auto` trains, from the first seed's time: as many as fit in the budget (never fewer than the one done). */
export function autoSeedCount(perSeedMs: number, elapsedMs: number, budgetMs: number, max: number): number {
  const perSeed = Math.max(1, perSeedMs);
  const more = Math.floor((budgetMs - elapsedMs) / perSeed);
  return Math.max(1, Math.min(max, 1 + Math.max(0, more)));
}

function tagged(message: WorkerMessage, seed: number): WorkerMessage {
  switch (message.type) {
    case 'ready':
    case 'epoch':
    case 'batch':
    case 'nonFinite':
      return { ...message, seed };
    default:
      return message;
  }
}

export async function runSeeds(plan: ReproPlan, backendChoice: BackendChoice, hooks: RunHooks, startedAt: number, request: SeedsRequest, options: RunOptions = {}): Promise<ReproSummary> {
  const deadline = startedAt + plan.caps.maxWallMs;
  // `auto` stops starting seeds at its budget (a choice, not a limit hit); every run stops at the wall-time limit.
  const budgetEnd = request.mode === 'auto' ? startedAt + Math.min(request.budgetMs, plan.caps.maxWallMs) : deadline;
  let count = request.mode === 'count' ? request.count : request.max;
  const summaries: ReproSummary[] = [];
  let limitedBy: SeedsSummary['limitedBy'] = null;
  /** The longest a seed took to build and train (the first seed's loading of TensorFlow.js aside). */
  let slowest = 0;
  for (let index = 0; index < count; index++) {
    const seed = plan.seed + index;
    const seedStart = performance.now();
    if (index > 0 && seedStart + slowest > budgetEnd) {
      if (request.mode === 'count') limitedBy = 'time';
      count = index;
      break;
    }
    let readyAt = seedStart;
    const seedHooks: RunHooks = {
      emit: (message) => {
        if (message.type === 'ready') readyAt = performance.now();
        hooks.emit(tagged(message, seed));
      },
      cancelled: hooks.cancelled,
    };
    // The first seed's clock starts with the worker (its timings include loading TensorFlow.js), the others' with themselves.
    const summary = await runReproduction({ ...plan, seed }, backendChoice, seedHooks, index === 0 ? startedAt : seedStart, { ...options, deadline });
    summaries.push(summary);
    const end = performance.now();
    // The first seed from its 'ready' (TensorFlow.js loads once); the next ones build their model and data again, which the later seeds' times include.
    slowest = Math.max(slowest, end - (index === 0 ? readyAt : seedStart));
    if (request.mode === 'auto' && index === 0) count = autoSeedCount(slowest, end - startedAt, budgetEnd - startedAt, request.max);
    hooks.emit({ type: 'seedDone', seed, index, count, run: seedRun(summary) });
    if (summary.stopped === 'cancelled' || hooks.cancelled()) {
      limitedBy = index + 1 < count ? 'cancelled' : null;
      break;
    }
    if (summary.stopped === 'wall-time') {
      limitedBy = index + 1 < count ? 'time' : null;
      break;
    }
  }
  return combineSeeds(summaries, { requested: request.mode === 'auto' ? 'auto' : request.count, limitedBy, totalMs: performance.now() - startedAt, wallLimitMs: plan.caps.maxWallMs });
}
