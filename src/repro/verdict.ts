/**
 * The verdict on a training history, and what the data would allow. Pure functions of
 * numbers; the exact criteria are documented in docs/reproduction.md.
 */
export type Verdict = 'nan' | 'diverging' | 'stalled' | 'healthy';

export interface LossBounds {
  /** Loss of always predicting each target feature's mean (what any working model beats). */
  meanPredictor: number | null;
  /** Lowest loss the output activation's range allows (0 when it can reach every target). */
  outputFloor: number | null;
  /** The output activation's range, for messages. */
  outputRange: [number, number] | null;
}

const RANGES: Record<string, [number, number]> = {
  sigmoid: [0, 1], hard_sigmoid: [0, 1], hardSigmoid: [0, 1], softmax: [0, 1], tanh: [-1, 1], softsign: [-1, 1],
  relu: [0, Infinity], softplus: [0, Infinity], relu6: [0, 6], exponential: [0, Infinity], elu: [-1, Infinity], selu: [-1.7581, Infinity],
};

/** Bounds for MSE and MAE on the training targets; other losses get none. */
export function lossBounds(loss: string, targets: number[][], outputActivation: string | undefined): LossBounds {
  const range = outputActivation ? RANGES[outputActivation] ?? null : null;
  if ((loss !== 'mse' && loss !== 'mae') || targets.length === 0) return { meanPredictor: null, outputFloor: null, outputRange: range };
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
  return { meanPredictor: meanTotal / n, outputFloor: range ? floorTotal / n : 0, outputRange: range };
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
  /** ...and of the lowest epoch loss seen, or any epoch loss reaches `divergeAbsolute`. */
  divergeOverBest: 10,
  divergeAbsolute: 1e30,
  /** stalled: the final loss is above this fraction of the first epoch's (less than 10% progress)... */
  stallProgress: 0.9,
  /** ...or it sits within this factor of an output-range floor that is above the mean predictor, or above the mean predictor's loss. */
  floorClose: 1.05,
  /** ...or it is above the mean predictor's loss and not still falling by this fraction over the last quarter of the epochs (at least 3), or above it by `farAboveMean` times. */
  recentProgress: 0.05,
  farAboveMean: 10,
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
  if (worst >= CRITERIA.divergeAbsolute || (last >= CRITERIA.divergeOverFirst * first && last >= CRITERIA.divergeOverBest * best)) {
    return { verdict: 'diverging', explanation: `The loss grew from ${fmt(first)} to ${fmt(last)} (lowest ${fmt(best)}).` };
  }
  const { meanPredictor, outputFloor, outputRange } = bounds;
  const allowance = meanPredictor !== null ? ` Predicting each feature's mean would give ${fmt(meanPredictor)}.` : '';
  const floorSentence =
    outputFloor !== null && outputRange && outputFloor > 0
      ? ` The output activation only reaches [${outputRange[0]}, ${outputRange[1]}], so no weights can bring the loss below ${fmt(outputFloor)}.`
      : '';
  const atFloor = outputFloor !== null && outputFloor > 0 && meanPredictor !== null && outputFloor > meanPredictor && last <= outputFloor * CRITERIA.floorClose;
  const n = finite.length;
  const recentFrom = finite[Math.max(0, n - 1 - Math.max(2, Math.floor(n / 4)))];
  const stillFalling = 1 - last / recentFrom > CRITERIA.recentProgress;
  const noBetterThanMean = meanPredictor !== null && last > meanPredictor && (!stillFalling || last > CRITERIA.farAboveMean * meanPredictor);
  if (last > CRITERIA.stallProgress * first || atFloor || noBetterThanMean) {
    const progress = ((1 - last / first) * 100).toFixed(1);
    const ratio = meanPredictor ? ` That is ${fmt(last / meanPredictor)} times the mean predictor's loss.` : '';
    const trend = stillFalling ? 'still falling slowly' : 'no longer falling';
    return { verdict: 'stalled', explanation: `The loss went from ${fmt(first)} to ${fmt(last)} (${progress}% lower), ${trend}.${floorSentence}${allowance}${ratio}` };
  }
  const falling = meanPredictor !== null && last > meanPredictor ? ' and is still falling' : '';
  return { verdict: 'healthy', explanation: `The loss fell from ${fmt(first)} to ${fmt(last)}${valLoss.length ? ` (validation ${fmt(valLoss[valLoss.length - 1])})` : ''}${falling}.${allowance}` };
}
