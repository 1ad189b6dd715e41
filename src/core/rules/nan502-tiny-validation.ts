import { count, plural, sampleCount } from './helpers/data-checks';
import { fitAnchor, fmt, originLocation } from './helpers/facts';
import type { Rule } from './rule';

export const tinyValidation: Rule = {
  id: 'NAN502',
  name: 'tiny-validation',
  cause: 'tiny-validation',
  title: 'A validation set smaller than one batch',
  defaultSeverity: 'info',
  docs: {
    whatItDoes:
      'Computes the number of validation samples (from `validation_data`, or from `validation_split` and the training set\'s size, as Keras does: the last N - floor(N × (1 - split)) samples) and notes when it is smaller than one batch.',
    whyItFails:
      'It does not produce NaN by itself. A validation loss over 3 samples is an average of 3 reconstruction errors, so it jumps from epoch to epoch by as much as the errors of single samples differ; `EarlyStopping` and `ReduceLROnPlateau` watching it react to noise, and a single odd sample can make val_loss look like divergence. It is the step before an empty validation set (NAN501): one more sample removed and there is none.',
    example: ['```python', 'X = np.random.rand(40, 8)', 'autoencoder.fit(X, X, epochs=50, batch_size=32, validation_split=0.05)   # 2 validation samples', '```'].join('\n'),
    fix: ['Use at least one batch of validation data (several, ideally), or validate with a larger fraction.', '', '```python', 'autoencoder.fit(X, X, epochs=50, batch_size=32, validation_split=0.2)', '```'].join('\n'),
    measured: 'never NaN; 3 validation samples train the same as 200 in 8 of 8 seeds',
    evidence: "Trained for real in Keras 3.15 (CPU, `test/evidence/NAN502.py`, 8 seeds, 10 epochs): a 8-16-4-16-8 autoencoder validated on 3 samples and on 200 samples (batch size 32) trains identically in all 8 seeds (the same training losses, 0.60-0.66) and never goes NaN; only the validation loss differs, being an average over 3 errors: it ends at 0.58-1.25 across the seeds with 3 samples, against 0.60-0.67 with 200. Hence a note (info).",
  },
  check(ctx) {
    const { model } = ctx;
    const fit = model.fit;
    if (!fit) return [];
    const batch = fit.batchSize.value;
    if (!Number.isFinite(batch) || batch <= 1) return [];
    let n: number | undefined;
    let how = '';
    let location = fitAnchor(model);
    if (fit.validation.kind === 'split') {
      const total = sampleCount(model.data.train);
      const f = fit.validation.fraction.value;
      if (total === undefined || !Number.isFinite(f) || f <= 0 || f >= 1) return [];
      n = total - Math.floor(total * (1 - f));
      how = `validation_split=${fmt(f)} of ${count(total)} samples`;
      location = originLocation(fit.validation.fraction.origin) ?? location;
    } else if (fit.validation.kind === 'data') {
      n = sampleCount(fit.validation.x);
      how = `validation data ${fit.validation.x?.name ?? ''}`.trim();
      location = fit.validation.location ?? location;
    }
    if (n === undefined || n === 0 || n >= batch || !location) return [];
    return [
      {
        location,
        message: `${how} leaves ${plural(n, 'validation sample')}, fewer than one batch of ${fmt(batch)}: val_loss is an average of ${n} reconstruction error${n === 1 ? '' : 's'} and will jump from epoch to epoch, so callbacks watching it react to noise`,
        explanation: `Keras validates on the last ${n} sample${n === 1 ? '' : 's'}. The mean of so few errors varies as much as single samples do; it is a poor signal for early stopping or learning-rate schedules, and an unusual sample looks like divergence. Use at least ${fmt(batch)} validation samples.`,
      },
    ];
  },
};
