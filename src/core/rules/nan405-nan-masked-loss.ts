import { numericsOf } from './helpers/data-checks';
import type { Rule, RuleHit } from './rule';

export const nanMaskedLoss: Rule = {
  id: 'NAN405',
  name: 'nan-masked-loss',
  cause: 'nan-masked-loss',
  title: 'A loss or training step that replaces NaN instead of preventing it',
  defaultSeverity: 'info',
  docs: {
    whatItDoes:
      'Finds NaN tests and replacements (`tf.math.is_nan`, `tf.math.is_finite`, `isnan`, `nan_to_num`, `multiply_no_nan`) applied to a computed value inside a custom loss or a hand-written `train_step`, such as `tf.where(tf.math.is_nan(loss), 0., loss)`. Tests of the targets (`is_nan(y_true)`, to mask missing labels) are a sound design and are not flagged.',
    whyItFails:
      'By the time a loss is NaN, the forward pass has already overflowed: the weights or the activations are inf or NaN. Replacing the loss by 0 changes the number that is printed, not the state of the model. Worse, the gradient of `tf.where` still flows through the NaN branch, and 0 x NaN is NaN, so the update can write NaN into every weight while the progress bar shows a loss of 0. The run then looks perfect and predicts NaN. The cause (unscaled data, a learning rate too high, a log of 0) is still there, now hidden.',
    example: [
      '```python',
      'def masked_mse(y_true, y_pred):',
      '    loss = tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)',
      '    return tf.where(tf.math.is_nan(loss), tf.zeros_like(loss), loss)',
      '',
      'autoencoder.compile(optimizer="sgd", loss=masked_mse)',
      '```',
    ].join('\n'),
    fix: [
      'Remove the mask and fix what makes the loss NaN (the other findings usually name it); stop a run that breaks instead of hiding it.',
      '',
      '```python',
      'autoencoder.compile(optimizer="sgd", loss="mse")',
      'autoencoder.fit(X, X, callbacks=[keras.callbacks.TerminateOnNaN()])',
      '```',
    ].join('\n'),
    measured: 'hides NaN in 4 of 8 seeds: the loss reads 0.0 while every prediction is NaN',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN405.py`, 8 seeds, 8 features uniform in [0, 1000], Dense 16-4-16-8 relu with a linear output, SGD at 0.01): with plain MSE, 4 of 8 seeds go NaN in the first epoch. With the loss masked as in the example, the same 4 seeds report a final loss of exactly 0.0, while their weights are non-finite and 100% of their predictions are NaN; the other 4 end as they do without the mask: 2.6e5 in two seeds, and 1.5e26 and 4.1e21 in two that diverge without going NaN. The mask never prevented a failure, it only hid it. Hence `info`: it is not a cause of NaN, but it makes the real cause invisible.',
  },
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const op of numericsOf(ctx.model, ['nan-mask'], ['loss', 'other', 'layer'])) {
      const where = op.functionName ? `\`${op.functionName}\`` : 'the loss';
      hits.push({
        location: op.location,
        message: `${op.argument} in ${where} hides a NaN loss instead of preventing it: when the loss is NaN the weights can already be non-finite, and the printed loss then reads 0 while the model predicts NaN`,
        explanation: `A loss becomes NaN after something overflowed: the weights or the activations. **${op.argument}** changes the reported number, not the model. The gradient of \`tf.where\` also flows through the NaN branch (0 x NaN = NaN), so the update can still write NaN into the weights. In a Keras run of this pattern, the seeds that went NaN with plain MSE reported a loss of exactly 0.0 with the mask, with every prediction NaN. Remove the mask, fix the cause, and stop a broken run with \`TerminateOnNaN()\`.`,
      });
    }
    return hits;
  },
};
