import type { NumericOp } from '../ir';
import { numericsOf } from './helpers/data-checks';
import { outputActivation } from './helpers/facts';
import { epsilonInCallFix, replaceRangeFix } from './helpers/fixes';
import type { Rule, RuleHit } from './rule';

/** Arguments that are (or contain) the prediction: `y_pred`, `p`, `pred`, `outputs`, `x_decoded`. */
const PREDICTION = /\b(y_pred|pred\w*|p|y_hat|yhat|out\w*|recon\w*|x_decoded\w*|decoded\w*|probs?)\b/;

function what(op: NumericOp): string {
  switch (op.fn) {
    case 'log':
      return 'log';
    case 'sqrt':
      return 'sqrt';
    case 'divide':
      return 'division by';
    case 'reciprocal':
      return 'reciprocal of';
    default:
      return 'power of';
  }
}

/**
 * `log(1 - p)` with p clipped to `1 - 1e-8`: float32 has no number between 1 - 6e-8 and 1, so the
 * bound is 1.0 and the clip keeps nothing off it (test/evidence/NAN404.py: as NaN as no clip at all).
 */
function absorbedClipHit(op: NumericOp, activation: string | undefined, text: string | undefined): RuleHit {
  const bound = op.absorbedBound!;
  const written = `1 - ${(1 - bound.value).toExponential(0)}`;
  const fn = op.functionName ? `custom loss \`${op.functionName}\`` : 'a custom loss';
  const output = activation ? `a ${activation} output` : 'the prediction';
  const fix = text !== undefined ? replaceRangeFix(text, bound.location, '1 - 1e-7', 'Clip at 1 - 1e-7, which float32 keeps below 1') : undefined;
  return {
    location: op.location,
    severity: 'error',
    message: `${fn} takes log(${op.argument.trim()}) of a prediction clipped at ${written}, which is 1.0 in float32: the clip keeps nothing off 1, so when ${output} reaches exactly 1.0 the log is log(0) = -inf and the gradient NaN (clip at 1 - 1e-7, K.epsilon())`,
    fixes: fix ? [fix] : [],
    explanation: `Keras computes in float32, whose numbers just below 1 are 6e-8 apart: ${written} rounds to exactly 1.0, so the clip leaves p = 1.0 as it is and log(1 - p) = log(0) = -inf. A saturated sigmoid reaches 1.0 in float32 once its pre-activation passes about 17. Clip at \`1 - K.epsilon()\` (1 - 1e-7), which float32 keeps below 1, as Keras's own binary_crossentropy does.`,
  };
}

export const customLossUnstable: Rule = {
  id: 'NAN404',
  name: 'custom-loss-unstable',
  cause: 'custom-loss-unstable',
  title: 'A custom loss with an unguarded log, division or sqrt',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Looks inside custom loss functions (a `def` passed as `loss=`, or any function whose name contains "loss") for `log`, `sqrt`, division and `pow` whose argument has no epsilon, clip or maximum keeping it away from 0, and for `log(1 - p)` with p clipped at an upper bound that float32 rounds to 1.0 (`1 - 1e-8`), which keeps nothing off 1.',
    whyItFails:
      "A sigmoid output reaches exactly 1.0 in float32 as soon as its pre-activation exceeds about 17 (1 - 2^-24 rounds to 1), and exactly 0 below about -88 (exp(88.7) overflows and 1/(1 + inf) = 0). A hand-written binary cross-entropy's log(1 - p) is then log(0) = -inf: the loss is inf and its gradient, through 0 × inf, is NaN. Keras's own `binary_crossentropy` clips p to [1e-7, 1 - 1e-7] for this reason. sqrt has an infinite derivative at 0, so an RMSE loss written as sqrt(mean((y - p)²)) gives NaN gradients on a batch it reconstructs exactly; a division by a norm or a sum of predictions does the same at 0.",
    example: [
      '```python',
      'from tensorflow.keras import backend as K',
      '',
      'def bce_loss(y_true, y_pred):',
      '    return -K.mean(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))',
      '',
      "autoencoder.compile(optimizer='adam', loss=bce_loss)",
      '```',
    ].join('\n'),
    fix: ['Keep the argument away from 0: clip the prediction, or add an epsilon.', '', '```python', 'y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())', 'return -K.mean(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))', '```'].join('\n'),
    measured: 'NaN by epoch 3 in 8 of 8 seeds (Adam 0.01); clip at 1 - 1e-7: 0 of 8, 1 - 1e-8: 8 of 8',
    evidence: 'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN404.py`, 8 seeds, a 64-128-32-128-64 autoencoder with a sigmoid output on binary targets, Adam at 0.01, 15 epochs): the hand-written binary cross-entropy with unguarded log(y_pred) and log(1 - y_pred) went NaN in all 8 seeds, in the first epoch in 2, the second in 1 and the third in 5; with y_pred clipped to [1e-7, 1 - 1e-7] it trained to 0.018-0.042 and went NaN in none. Clipped to [1e-8, 1 - 1e-8] it went NaN in all 8, in the same epochs as with no clip: 1 - 1e-8 is 1.0 in float32. A hand-written RMSE with an unguarded sqrt went NaN in none of the 8 seeds in 5 epochs (the error never reached exactly 0). Adding 1e-10 inside the logs, as log(1e-10 + p) and log(1e-10 + 1 - p) (where float32 loses the epsilon: 1 + 1e-10 is 1.0) or log(1 - p + 1e-10), went NaN in 8 of 8 seeds in the same epochs as no epsilon. Hence an error for a log of a saturating output, a note (info) for an unguarded sqrt (it fails only on a batch reconstructed exactly, as keras-team/keras#6644\'s did), and a warning for the other unguarded operations.',
  },
  check(ctx) {
    const { model } = ctx;
    const hits: RuleHit[] = [];
    const out = outputActivation(model);
    const saturating = out && out.range.low !== null && out.range.high !== null;
    for (const op of numericsOf(model, ['log', 'sqrt', 'divide', 'reciprocal', 'pow'], ['loss'])) {
      // sqrt(mean(...)) is 0 on a perfect batch whatever guards sit inside the mean (RMSE, RMSLE).
      const reduction = op.fn === 'sqrt' && /^(K|tf|ops|keras|np|tf\.math|keras\.ops)\.(mean|reduce_mean|sum|reduce_sum|square)\(.*\)$/s.test(op.argument.trim());
      if (op.absorbedBound !== undefined) {
        hits.push(absorbedClipHit(op, out?.activation, ctx.sourceText(op.location.path)));
        continue;
      }
      if (op.guarded && !reduction) continue;
      const arg = op.argument.trim();
      if (/^[\d.]+$/.test(arg) || /^(K|tf|ops|keras)\.\w*(cast|shape|size)\b/.test(arg) || /\bshape\b|\blen\(|batch_size|\bn\b|count/.test(arg)) continue; // divisions by sizes
      if (op.fn === 'pow') continue; // integer powers are safe; fractional ones are rare in losses
      if (op.guardedBefore) continue; // `y_pred = K.clip(y_pred, ...)` earlier in the function
      const onPrediction = PREDICTION.test(arg);
      // An unguarded sqrt needs a batch reconstructed exactly to fail: 0 of 8 Keras seeds of an RMSE autoencoder went NaN (test/evidence/NAN404.py).
      const severity = op.fn === 'log' && onPrediction && saturating ? 'error' : op.fn === 'sqrt' ? 'info' : 'warning';
      const text = ctx.sourceText(op.location.path);
      const fix =
        text !== undefined && (op.fn === 'log' || op.fn === 'sqrt') ? epsilonInCallFix(text, op.location, op.argument, '1e-7', `Keep the argument away from 0: ${arg} + 1e-7`) : undefined;
      const fn = op.functionName ? `custom loss \`${op.functionName}\`` : 'a custom loss';
      // `log(1e-10 + 1 - p)`: written with an epsilon that float32 loses.
      const absorbed = op.absorbedEpsilon;
      // `log(1e-10 + p)`: an epsilon written first, which the guard patterns do not take for one (and 1e-10 did not keep Keras from NaN).
      const leading = /^\s*\(?\s*(\d*\.?\d*e-\d+)\s*\+/i.exec(arg)?.[1];
      const unguarded =
        absorbed !== undefined
          ? `, whose epsilon ${absorbed} is lost in float32 (1 + ${absorbed} rounds to 1.0, leaving 1 - p)`
          : leading !== undefined
            ? ' with no clip'
            : ' with no epsilon or clip';
      let why: string;
      if (op.fn === 'log' && absorbed === undefined && leading !== undefined && Number(leading) <= 1e-10) {
        // log(1e-10 + p) is finite at p = 0, yet in Keras it went NaN as the unguarded log did: the evidence, not a mechanism.
        why = `in Keras a hand-written cross-entropy with ${leading} added inside its logs went NaN in 8 of 8 seeds, in the same epochs as with none; a clip to [1e-7, 1 - 1e-7] went NaN in none`;
      } else if (op.fn === 'log') {
        why = onPrediction && out
          ? `the ${out.activation} output reaches exactly ${/1\s*-/.test(arg) ? '1.0 (pre-activation above about 17)' : '0.0 (pre-activation below about -88)'} in float32, and log(0) = -inf makes the loss inf and its gradient NaN`
          : 'if it is ever 0 the loss is -inf/inf and the gradient NaN';
      } else if (op.fn === 'sqrt') {
        why = 'the derivative of sqrt at 0 is infinite, so a batch where the argument is exactly 0 gives NaN gradients';
      } else {
        why = 'a zero divisor gives inf or NaN (0/0) in the loss';
      }
      hits.push({
        location: op.location,
        severity,
        message: `${fn} takes ${op.fn === 'divide' || op.fn === 'reciprocal' ? `${what(op)} ${arg}` : `${what(op)}(${arg})`}${unguarded}: ${why}`,
        fixes: fix ? [fix] : [],
        explanation: `\`${arg}\` is not kept away from 0 in ${fn}. ${why[0].toUpperCase()}${why.slice(1)}. Keras's built-in losses clip predictions to [1e-7, 1 - 1e-7] for this reason; do the same, or add an epsilon (\`K.epsilon()\` is 1e-7).`,
      });
    }
    return hits;
  },
};
