/**
 * The verdict on a training history, and what the data would allow. Pure functions of
 * numbers; the exact criteria are documented in docs/reproduction.md.
 */
import type { Verdict } from '../shared/wire';

export type { Verdict } from '../shared/wire';

export interface LossBounds {
  /** Loss of always predicting each target feature's mean (what any working model beats). */
  meanPredictor: number | null;
  /** Lowest loss the output activation's range allows (0 when it can reach every target). */
  outputFloor: number | null;
  /** The output activation's range, for messages. */
  outputRange: [number, number] | null;
  /**
   * Lowest loss any prediction can reach, from the loss function and the targets alone: for
   * binary cross-entropy on targets between 0 and 1, their mean entropy (above 0 unless every
   * target is exactly 0 or 1). A run there is at its optimum, not stalled. Null where not known.
   */
  lossFloor: number | null;
  /**
   * Binary cross-entropy on targets outside [0, 1] (raw pixels, say): their range. The loss then
   * has no floor at 0 and goes negative as every output is pushed to 1, a number with no meaning.
   */
  bceTargetRange?: [number, number];
}

/** Keras clips predictions to [1e-7, 1 - 1e-7] inside binary cross-entropy. */
const BCE_EPSILON = 1e-7;

/** Binary cross-entropy of predicting `p` for target `t`, as Keras computes it (natural log, clipped). */
function bce(t: number, p: number): number {
  const q = Math.min(1 - BCE_EPSILON, Math.max(BCE_EPSILON, p));
  return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
}

/** For binary cross-entropy on targets in [0, 1]: the loss of predicting each column's mean, and the mean entropy of the targets. */
function bceBounds(targets: number[][], range: [number, number] | null): LossBounds {
  const none: LossBounds = { meanPredictor: null, outputFloor: null, outputRange: range, lossFloor: null };
  const width = targets[0].length;
  let meanTotal = 0;
  let floorTotal = 0;
  let low = Infinity;
  let high = -Infinity;
  for (const row of targets) for (const t of row) if (Number.isFinite(t)) [low, high] = [Math.min(low, t), Math.max(high, t)];
  // Outside [0, 1] the loss has no floor (NAN402's case).
  if (low < 0 || high > 1) return { ...none, bceTargetRange: [low, high] };
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (const row of targets) {
      const t = row[j];
      // The finite targets are in [0, 1]; a NaN or infinite one leaves no bound to give.
      if (!Number.isFinite(t)) return none;
      sum += t;
    }
    const m = sum / targets.length;
    for (const row of targets) {
      meanTotal += bce(row[j], m);
      floorTotal += bce(row[j], row[j]);
    }
  }
  const n = targets.length * width;
  return { meanPredictor: meanTotal / n, outputFloor: null, outputRange: range, lossFloor: floorTotal / n };
}

const RANGES: Record<string, [number, number]> = {
  sigmoid: [0, 1], hard_sigmoid: [0, 1], hardSigmoid: [0, 1], softmax: [0, 1], tanh: [-1, 1], softsign: [-1, 1],
  relu: [0, Infinity], softplus: [0, Infinity], relu6: [0, 6], exponential: [0, Infinity], elu: [-1, Infinity], selu: [-1.7581, Infinity],
};

/** Bounds for MSE, MAE and binary cross-entropy on the training targets; other losses get none. */
export function lossBounds(loss: string, targets: number[][], outputActivation: string | undefined): LossBounds {
  const range = outputActivation ? RANGES[outputActivation] ?? null : null;
  if (loss === 'binary_crossentropy' && targets.length > 0) return bceBounds(targets, range);
  if ((loss !== 'mse' && loss !== 'mae') || targets.length === 0) return { meanPredictor: null, outputFloor: null, outputRange: range, lossFloor: null };
  const width = targets[0].length;
  const err = loss === 'mse' ? (e: number) => e * e : (e: number) => Math.abs(e);
  let meanTotal = 0;
  let floorTotal = 0;
  for (let j = 0; j < width; j++) {
    const column = targets.map((r) => r[j]);
    const centre = loss === 'mse' ? column.reduce((a, b) => a + b, 0) / column.length : [...column].sort((a, b) => a - b)[Math.floor(column.length / 2)];
    for (const v of column) {
      meanTotal += err(v - centre);
      if (range) floorTotal += err(v - Math.min(range[1], Math.max(range[0], v)));
    }
  }
  const n = targets.length * width;
  // Targets the mean gives exactly (one sample, as in `seq.reshape((1, 9, 1))`, or constant features): the mean predictor
  // is then the perfect one, and a loss above it says nothing about a stall.
  if (meanTotal === 0) return { meanPredictor: null, outputFloor: range ? floorTotal / n : 0, outputRange: range, lossFloor: 0 };
  return { meanPredictor: meanTotal / n, outputFloor: range ? floorTotal / n : 0, outputRange: range, lossFloor: 0 };
}

export interface VerdictResult {
  verdict: Verdict;
  /** One or two sentences with the numbers. */
  explanation: string;
}

const fmt = (n: number): string => (Math.abs(n) >= 1e5 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(3) : String(Number(n.toPrecision(4))));

/** Thresholds, named so that the docs and the code say the same. */
export const CRITERIA = {
  /** diverging: the final loss is at least this multiple of the first epoch's... */
  divergeOverFirst: 2,
  /**
   * ...and of the lowest epoch loss seen, or the final loss reaches `divergeAbsolute` (any epoch's,
   * when there is no mean predictor to measure an explosion against: a loss that reached 1e30 and
   * came down to 1e26 exploded, it did not diverge).
   */
  divergeOverBest: 10,
  divergeAbsolute: 1e30,
  /** stalled: the final loss is above this fraction of the first epoch's (less than 10% progress)... */
  stallProgress: 0.9,
  /** ...or it sits within this factor of an output-range floor that is above the mean predictor, or above the mean predictor's loss. */
  floorClose: 1.05,
  /** ...or it is above the mean predictor's loss and not still falling by this fraction over the last quarter of the epochs (at least 3), or above it by `farAboveMean` times. */
  recentProgress: 0.05,
  farAboveMean: 10,
  /** A run of one epoch is not stalled when its loss is below this fraction of the mean predictor's (it learned within the epoch). */
  oneEpochUnderMean: 0.5,
  /** exploded: the final loss is finite but at least this multiple of the mean predictor's loss... */
  explodedOverMean: 1000,
  /**
   * ...and of this loss, at the least: on data that is all one value the mean predictor's loss is
   * about 0, and a freshly initialised network's loss of 0.7 is thousands of times it without any
   * weight having grown.
   */
  explodedMinimumBaseline: 1e-3,
};

export function judge(loss: number[], valLoss: number[], nonFinite: boolean, bounds: LossBounds): VerdictResult {
  const finite = loss.filter(Number.isFinite);
  if (nonFinite || loss.some((l) => !Number.isFinite(l)) || valLoss.some((l) => !Number.isFinite(l))) {
    const at = loss.findIndex((l) => !Number.isFinite(l));
    const vat = valLoss.findIndex((l) => !Number.isFinite(l));
    const epoch = at >= 0 ? at : vat;
    return { verdict: 'nan', explanation: `The ${at >= 0 || vat < 0 ? 'training' : 'validation'} loss became non-finite${epoch >= 0 ? ` in epoch ${epoch}` : ''}.` };
  }
  if (finite.length === 0) return { verdict: 'stalled', explanation: 'No epoch finished.' };
  const first = finite[0];
  const last = finite[finite.length - 1];
  const best = Math.min(...finite);
  const worst = Math.max(...finite);
  const absolute = bounds.meanPredictor === null ? worst : last;
  // A loss that did not move (0 to 0, as a train_step that logs no loss shows) has not grown: the growth must be real.
  if (absolute >= CRITERIA.divergeAbsolute || (last > first && last >= CRITERIA.divergeOverFirst * first && last >= CRITERIA.divergeOverBest * best)) {
    return { verdict: 'diverging', explanation: `The loss grew from ${fmt(first)} to ${fmt(last)} (lowest ${fmt(best)}).` };
  }
  const { meanPredictor, outputFloor, outputRange } = bounds;
  // Binary cross-entropy below 0: targets outside [0, 1] reward saturating every output, and the loss runs down without meaning.
  if (bounds.bceTargetRange && last < 0) {
    const [lo, hi] = bounds.bceTargetRange;
    return { verdict: 'diverging', explanation: `Binary cross-entropy went negative, from ${fmt(first)} to ${fmt(last)}: its targets span ${fmt(lo)} to ${fmt(hi)}, outside [0, 1], where the loss has no floor and is lowered by pushing every output to its limit, not by reconstructing. Scale the targets into [0, 1] (/ 255. for pixels).` };
  }
  // Finite, but far beyond anything a working model or even a broken constant output would give.
  const floorAbove = outputFloor !== null && outputFloor > 0 ? outputFloor : 0;
  if (meanPredictor !== null && meanPredictor > 0 && last >= CRITERIA.explodedOverMean * Math.max(meanPredictor, floorAbove, CRITERIA.explodedMinimumBaseline)) {
    return { verdict: 'exploded', explanation: `The loss stayed finite but ended at ${fmt(last)}, ${fmt(last / meanPredictor)} times what predicting each feature's mean gives (${fmt(meanPredictor)}) (first epoch ${fmt(first)}): the weights blew up without overflowing to NaN.` };
  }
  const lossFloor = bounds.lossFloor ?? 0;
  const allowance = meanPredictor !== null ? ` Predicting each feature's mean would give ${fmt(meanPredictor)}.` : '';
  // Targets of exactly 0 and 1 leave a floor of Keras's epsilon clipping (1e-7), nothing to tell.
  const entropySentence = lossFloor > 1e-4 ? ` Binary cross-entropy on these targets cannot go below ${fmt(lossFloor)}, their mean entropy (a target of 0.3 is best predicted by 0.3, which still costs 0.61).` : '';
  // At the entropy floor: at least 95% of the way from the mean predictor's loss down to the floor.
  if (lossFloor > 0 && meanPredictor !== null && meanPredictor > lossFloor && last - lossFloor <= (CRITERIA.floorClose - 1) * (meanPredictor - lossFloor)) {
    const share = Math.min(100, Math.floor((100 * (meanPredictor - last)) / (meanPredictor - lossFloor)));
    return { verdict: 'healthy', explanation: `The loss fell from ${fmt(first)} to ${fmt(last)}, ${share}% of the way from predicting each feature's mean (${fmt(meanPredictor)}) to the lowest loss possible.${entropySentence} It is at its optimum, not stalled.` };
  }
  const floorSentence =
    outputFloor !== null && outputRange && outputFloor > 0
      ? ` The output activation only reaches [${outputRange[0]}, ${outputRange[1]}], so no weights can bring the loss below ${fmt(outputFloor)}.`
      : '';
  const atFloor = outputFloor !== null && outputFloor > 0 && meanPredictor !== null && outputFloor > meanPredictor && last <= outputFloor * CRITERIA.floorClose;
  const n = finite.length;
  const recentIndex = Math.max(0, n - 1 - Math.max(2, Math.floor(n / 4)));
  const recentFrom = finite[recentIndex];
  const stillFalling = 1 - last / recentFrom > CRITERIA.recentProgress;
  // Falling at a steady pace to the very end: the last epoch's drop is at least half the recent average.
  const steadyFall = stillFalling && n >= 2 && finite[n - 2] - last >= (0.5 * (recentFrom - last)) / Math.max(1, n - 1 - recentIndex);
  const noBetterThanMean = meanPredictor !== null && last > meanPredictor && (!stillFalling || last > CRITERIA.farAboveMean * meanPredictor);
  // Progress is counted above the lowest loss possible: 0.080 -> 0.075 over a floor of 0.070 is half the way.
  // A loss still falling steadily at the end (a run cut short by --epochs) has not stalled, however little it fell in all.
  // One epoch has no progress between epochs to measure (its first loss is its last): a loss well below the mean predictor's is learning, not a stall.
  const learnedInOneEpoch = n === 1 && meanPredictor !== null && last < CRITERIA.oneEpochUnderMean * meanPredictor;
  const littleFall = !learnedInOneEpoch && last - lossFloor > CRITERIA.stallProgress * (first - lossFloor);
  const littleProgress = littleFall && !steadyFall;
  if (littleProgress || atFloor || noBetterThanMean) {
    // One epoch shows no trend (its first loss is its last): say what it does show, the loss against the mean predictor's.
    if (n === 1) {
      const against = meanPredictor ? `, ${fmt(last / meanPredictor)} times what predicting each feature's mean gives (${fmt(meanPredictor)}): not yet better than half of it` : '';
      return { verdict: 'stalled', explanation: `One epoch ran, too few to see the loss fall or level off; it ended at ${fmt(last)}${against}.${floorSentence}${entropySentence}` };
    }
    // A rise is "higher", not "-0.2% lower"; one smaller than the rounding is no change, not "-0.0% lower".
    const change = ((1 - last / first) * 100).toFixed(1).replace(/^-(0\.0)$/, '$1');
    const progress = change.startsWith('-') ? `${change.slice(1)}% higher` : `${change}% lower`;
    // A spike on the way (Keras's issue 10847: 0.68, then 5.1e14, then 0.68 again) is part of what happened.
    const spike = worst > CRITERIA.explodedOverMean * Math.max(first, last) ? ` On the way it spiked to ${fmt(worst)} (epoch ${loss.indexOf(worst)}).` : '';
    const ratio = meanPredictor ? ` That is ${fmt(last / meanPredictor)} times the mean predictor's loss.` : '';
    // Lower at every recent epoch is still falling, however little: "no longer falling" would not be true (0.527, 0.519, 0.511).
    const fellEachEpoch = n >= 2 && finite.slice(recentIndex).every((l, i, recent) => i === 0 || l < recent[i - 1]);
    const trend = stillFalling || fellEachEpoch ? 'still falling slowly' : 'no longer falling';
    return { verdict: 'stalled', explanation: `The loss went from ${fmt(first)} to ${fmt(last)} (${progress}), ${trend}.${spike}${floorSentence}${entropySentence}${allowance}${ratio}` };
  }
  if (learnedInOneEpoch) {
    return { verdict: 'healthy', explanation: `One epoch ran; its loss, ${fmt(last)}${valLoss.length ? ` (validation ${fmt(valLoss[valLoss.length - 1])})` : ''}, is ${fmt(last / (meanPredictor as number))} times what predicting each feature's mean gives (${fmt(meanPredictor as number)}): the model learned within the epoch.${entropySentence}` };
  }
  const falling = (meanPredictor !== null && last > meanPredictor) || littleFall ? ' and is still falling' : '';
  return { verdict: 'healthy', explanation: `The loss fell from ${fmt(first)} to ${fmt(last)}${valLoss.length ? ` (validation ${fmt(valLoss[valLoss.length - 1])})` : ''}${falling}.${entropySentence}${allowance}` };
}
