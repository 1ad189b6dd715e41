/**
 * How much a batch's loss grew since the batch before, when it grew at least tenfold: the jumps
 * the batch losses before a NaN show (in the panel's table and the command line's line).
 */
export function lossGrowth(previous: number, current: number): number | null {
  return previous > 0 && Number.isFinite(current) && current / previous >= 10 ? current / previous : null;
}
