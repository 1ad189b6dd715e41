/**
 * The lowest binary cross-entropy the targets allow, known before any training. A target of 0.3
 * is best predicted by 0.3, which still costs -(0.3 ln 0.3 + 0.7 ln 0.7) = 0.61: on continuous
 * targets in (0, 1) the loss can never reach 0, and users chase that "stall". The exact floor
 * (the targets' mean entropy) needs every value; from per-feature statistics a sure lower bound
 * follows from H(t) >= 4 ln 2 t (1 - t), whose mean is 4 ln 2 (mean - mean² - std²).
 */
import type { DataSpec, FeatureStats, ModelSpec, SourceLocation } from './ir';

export interface BceFloor {
  /** The loss cannot go below this (a lower bound of the targets' mean entropy). */
  atLeast: number;
  /** The data the targets are. */
  targets: string;
  /** The loss argument of compile, where the hover goes. */
  location: SourceLocation;
  /** Range of the target values, for the message. */
  min: number;
  max: number;
}

/** Below this the floor is too small to be what a user sees as a stall. */
const NOTABLE = 0.001;

function floorFromStats(stats: readonly FeatureStats[]): number | undefined {
  let total = 0;
  for (const s of stats) {
    if (!(s.count > 0) || s.nanCount > 0 || s.infCount > 0 || !(s.min >= 0 && s.max <= 1)) return undefined;
    total += Math.max(0, 4 * Math.LN2 * (s.mean - s.mean * s.mean - s.std * s.std));
  }
  return stats.length > 0 ? total / stats.length : undefined;
}

/** For a model compiled with binary cross-entropy on targets known to lie in [0, 1]: how low its loss can go. */
export function bceLossFloor(model: ModelSpec): BceFloor | undefined {
  const loss = model.compile?.loss;
  if (!loss || loss.name !== 'binary_crossentropy' || !loss.location) return undefined;
  const targets: DataSpec | undefined = model.data.target ?? model.data.train;
  if (!targets?.stats) return undefined;
  const atLeast = floorFromStats(targets.stats);
  if (atLeast === undefined || atLeast < NOTABLE) return undefined;
  return {
    atLeast,
    targets: targets.name,
    location: loss.location,
    min: Math.min(...targets.stats.map((s) => s.min)),
    max: Math.max(...targets.stats.map((s) => s.max)),
  };
}
