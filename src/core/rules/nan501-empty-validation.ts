import type { ModelSpec } from '../ir';
import { sampleCount } from './helpers/data-checks';
import { fitAnchor } from './helpers/facts';
import type { Rule, RuleHit } from './rule';

function sequenceHit(model: ModelSpec): RuleHit | undefined {
  const location = model.sequenceLengthPlusOne;
  if (!location) return undefined;
  return {
    location,
    severity: 'warning',
    message: '__len__ returns len // batch_size + 1, which counts one batch too many whenever the number of samples is a multiple of the batch size: the last batch is empty (a mean over zero samples is 0/0 = NaN), and Keras 3 stops the epoch with "Your input ran out of data"',
    explanation: 'With 256 samples and batch size 32, `256 // 32 + 1` is 9, but only 8 batches hold data: `__getitem__(8)` slices `x[256:288]`, an empty array. A loss averaged over zero samples is 0/0 = NaN, and Keras 3.15 instead warns that the input ran out of data and cuts the epoch short. `math.ceil(len(x) / batch_size)` counts exactly the batches that exist.',
  };
}

export const emptyValidation: Rule = {
  id: 'NAN501',
  name: 'empty-validation',
  cause: 'empty-validation',
  title: 'Validation data with zero samples, or a Sequence with an empty last batch',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Fires when `validation_data` is an array with zero rows (a split or slice that came out empty, such as `X[800:]` of 800 samples), and when a `keras.utils.Sequence` or `PyDataset` computes `__len__` as `len(x) // batch_size + 1`, which promises one batch more than exists whenever the length divides evenly.',
    whyItFails:
      'A loss averaged over zero samples is 0/0 = NaN: older tf.keras reported `val_loss: nan` for an empty validation set, and an empty last batch of a Sequence gave a NaN training loss in the same way. Keras 3 guards both, differently: it drops the validation quietly (no `val_loss` at all, so `EarlyStopping(monitor="val_loss")` and `ModelCheckpoint` have nothing to watch) and stops an epoch at the empty batch with "Your input ran out of data". Either way the run is not doing what the code says.',
    example: [
      '```python',
      'X_train, X_val = X[:1000], X[1000:]     # X has 1000 rows: X_val is empty',
      'autoencoder.fit(X_train, X_train, validation_data=(X_val, X_val), epochs=50)',
      '```',
    ].join('\n'),
    fix: ['Make sure the validation set has samples (split by fraction, e.g. `train_test_split(X, test_size=0.2)`), and count Sequence batches with `math.ceil`.', '', '```python', 'def __len__(self):', '    return math.ceil(len(self.x) / self.batch_size)', '```'].join('\n'),
    measured: 'never NaN; an empty validation set leaves no val_loss at all in 8 of 8 seeds',
    evidence: 'Run for real in Keras 3.15 (CPU, `test/evidence/NAN501.py`, each case over 8 seeds): an empty `validation_data` trains without complaint and the history has no `val_loss` at all, in all 8 seeds; a `PyDataset` whose `__len__` is 256 // 32 + 1 = 9 trains with the warning "Your input ran out of data; interrupting training"; `validation_split=0.1` of 5 samples still leaves 1 validation sample (Keras takes floor(5 × 0.9) = 4 for training), and all 8 seeds report a val_loss. None of the 32 runs raised or went NaN in Keras 3, which guards these cases, so the rule is a warning: the run silently does less than the code says.',
  },
  check(ctx) {
    const { model } = ctx;
    const hits: RuleHit[] = [];
    const v = model.fit?.validation;
    if (v && v.kind === 'data' && v.x && (sampleCount(v.x) ?? v.x.sliceRows) === 0) {
      const location = v.location ?? v.x.location ?? fitAnchor(model);
      if (location) {
        hits.push({
          location,
          message: `the validation data ${v.x.name} has 0 samples: Keras 3 silently skips validation (no val_loss, so callbacks monitoring it do nothing) and older tf.keras reports val_loss as NaN (a mean over zero samples, 0/0)`,
          related: v.x.location ? [{ location: v.x.location, message: `${v.x.name} defined here, with 0 rows` }] : [],
          explanation: 'Every validation metric is a mean over the validation samples; with none, it is 0/0. Check the slice or split that made it.',
        });
      }
    }
    const seq = sequenceHit(model);
    if (seq) hits.push(seq);
    return hits;
  },
};
