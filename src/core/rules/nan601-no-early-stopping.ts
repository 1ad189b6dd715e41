import { fitAnchor, fmt, originLocation } from './helpers/facts';
import { addStopCallbacksFix } from './helpers/fixes';
import type { Rule } from './rule';

const STOPPERS = new Set(['EarlyStopping', 'TerminateOnNaN']);

export const noEarlyStopping: Rule = {
  id: 'NAN601',
  name: 'no-early-stopping',
  cause: 'no-early-stopping',
  title: 'A long run with no EarlyStopping or TerminateOnNaN',
  defaultSeverity: 'info',
  docs: {
    whatItDoes:
      'Notes a `fit` call with more than `longRunEpochs` (200 by default) epochs and neither `EarlyStopping` nor `TerminateOnNaN` among its callbacks.',
    whyItFails:
      "Once a loss is NaN it stays NaN: every weight the NaN touches becomes NaN and Keras keeps training on it, epoch after epoch, until the epoch count runs out. Without `TerminateOnNaN` a 300-epoch run that fails in the first epoch still runs all 300 epochs and saves NaN weights. `EarlyStopping(restore_best_weights=True)` also stops a run whose validation loss stopped improving and keeps the best weights rather than the last. Neither causes NaN; they decide how much time a failing run costs and what it leaves behind.",
    example: ['```python', 'autoencoder.fit(X_train, X_train, epochs=500, validation_data=(X_val, X_val))', '```'].join('\n'),
    fix: [
      'Add `TerminateOnNaN` and `EarlyStopping` to the callbacks.',
      '',
      '```python',
      'autoencoder.fit(X_train, X_train, epochs=500, validation_data=(X_val, X_val),',
      "                callbacks=[keras.callbacks.EarlyStopping(monitor='val_loss', patience=10, restore_best_weights=True),",
      '                           keras.callbacks.TerminateOnNaN()])',
      '```',
    ].join('\n'),
    measured: 'NaN in the first epoch in 5 of 8 seeds, yet each of those runs all 100 epochs',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN601.py`, 8 seeds, the NAN101 example run for 100 epochs): the loss is NaN from the third or fourth batch of the first epoch in 5 of 8 seeds (the other 3 diverge to 9e4-2e27 without NaN), and without a callback Keras trains all 100 epochs of NaN in each of those 5 (2-6 s apiece for this small model; an earlier 300-epoch run took 228 s on a busy 2-core machine); with `TerminateOnNaN()` the same 5 stop in the first epoch after 0.1 s. A note: the callbacks do not prevent NaN, they stop paying for it.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const fit = model.fit;
    if (!fit || typeof fit.epochs.value !== 'number' || !Number.isFinite(fit.epochs.value) || fit.epochs.value <= thresholds.longRunEpochs) return [];
    if (fit.callbacks.some((c) => STOPPERS.has(c.className))) return [];
    const location = fit.location ?? originLocation(fit.epochs.origin) ?? fitAnchor(model);
    if (!location) return [];
    const monitor = fit.validation.kind === 'none' ? 'loss' : 'val_loss';
    const text = fit.location ? ctx.sourceText(fit.location.path) : undefined;
    const fix = text !== undefined && fit.location ? addStopCallbacksFix(text, fit.location, fit.callbacks, monitor) : undefined;
    const epochsAt = originLocation(fit.epochs.origin);
    return [
      {
        location,
        message: `fit runs ${fmt(fit.epochs.value)} epochs with no EarlyStopping or TerminateOnNaN: a run that goes NaN keeps training on NaN weights until the last epoch`,
        related: epochsAt && epochsAt !== location ? [{ location: epochsAt, message: `epochs=${fmt(fit.epochs.value)} set here` }] : [],
        fixes: fix ? [fix] : [],
        explanation: `Keras does not stop on NaN by itself: after the first non-finite loss the remaining ${fmt(fit.epochs.value)} epochs train NaN weights. \`TerminateOnNaN()\` stops at the first NaN batch; \`EarlyStopping(monitor='${monitor}', restore_best_weights=True)\` stops when the loss stops improving and keeps the best weights.`,
      },
    ];
  },
};
