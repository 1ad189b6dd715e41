/** What marks a variational autoencoder in the IR: the log-variance an `exp` in the code takes. */
import type { NumericOp } from '../../ir';

/** Names people give a VAE's log-variance (or log standard deviation). */
const LOG_VARIANCE = /\b(z_?_?log_?var\w*|log_?var\w*|logvar\w*|log_?sigma\w*|logsigma\w*|log_?std\w*|log_?variance\w*|z_?sigma\w*)\b/i;

/** The log-variance variable an `exp` argument is built on, if any. */
export function logVarianceName(op: NumericOp): string | undefined {
  return LOG_VARIANCE.exec(op.argument)?.[1];
}
