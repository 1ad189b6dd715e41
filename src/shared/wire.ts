/**
 * The words every JSON message and output of a reproduction shares (worker to host, host to
 * panel, the `reproduce --format json` summary): a number as JSON can carry it, the verdict
 * and the kind of tensor where a value first went non-finite.
 */

/** A number as JSON can carry it: non-finite numbers travel as the strings "NaN", "Infinity" and "-Infinity". */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/**
 * `exploded`: the loss stayed finite but ended orders of magnitude above what predicting the mean
 * gives (the weights blew up without overflowing); `diverging`: the loss grew over the run.
 */
export type Verdict = 'nan' | 'diverging' | 'exploded' | 'stalled' | 'healthy';

export type TensorKind = 'input' | 'activation' | 'loss' | 'gradient' | 'weight';

export function toWire(n: number): WireNumber {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return n;
}

/** The number a wire number stands for; undefined stays undefined. */
export function fromWire<T extends WireNumber | undefined>(n: T): T extends WireNumber ? number : undefined {
  type Out = T extends WireNumber ? number : undefined;
  if (n === 'NaN') return NaN as Out;
  if (n === 'Infinity') return Infinity as Out;
  if (n === '-Infinity') return -Infinity as Out;
  return n as unknown as Out;
}
