import type { FeatureStats } from '../ir';
import { reachingStats } from './helpers/data-checks';
import { featureName, fitAnchor, fmt, range } from './helpers/facts';
import type { Rule, RuleHit } from './rule';

/** How far outside the training range a validation feature reaches, in training ranges (0: inside). */
function excess(train: FeatureStats, val: FeatureStats): number {
  const width = train.max - train.min;
  if (!Number.isFinite(width)) return 0;
  const over = Math.max(val.max - train.max, train.min - val.min, 0);
  return width > 0 ? over / width : over > 0 ? Infinity : 0;
}

export const valDistributionShift: Rule = {
  id: 'NAN503',
  name: 'val-distribution-shift',
  cause: 'val-distribution-shift',
  title: 'Validation data outside the training range, or validation_split on sorted data',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Compares the per-feature ranges of the validation data with those of the training data, where both are known (literals, random bounds, workspace data files), and fires when a validation feature reaches outside the training range by more than half of that range. It also fires when `validation_split` is used on data that the code sorts (`sort_values`, `np.sort`, `argsort`): Keras takes the last rows for validation before any shuffling. A time series (sorted by a date or time column, or read or built with dates) validated on its latest period is the right design: the sort is not flagged, and a range shift there is only a note.',
    whyItFails:
      "It does not make the training loss NaN; it makes val_loss say something else than people read into it. A model trained on values 1000-3000 is asked to reconstruct 4000-5000: a relu or linear autoencoder extrapolates badly and a sigmoid output cannot go there at all, so val_loss sits orders of magnitude above the training loss and can look like divergence. In the seed's Example 1 the training loss reaches 2.33e6 while the validation loss is 1.02e7. `validation_split=0.2` on data sorted by time or by class validates on the last period or the last classes only: a distribution the model never trained on.",
    example: ['```python', 'X_train = np.array([[1, 1000], [2, 2000], [3, 3000]])', 'X_val = np.array([[4, 4000], [5, 5000]])', 'autoencoder.fit(X_train, X_train, epochs=100, validation_data=(X_val, X_val))', '```'].join('\n'),
    fix: ['Draw training and validation data from the same distribution: split randomly (`train_test_split(X, test_size=0.2, shuffle=True)`), and scale both with statistics of the training data.', '', '```python', 'from sklearn.model_selection import train_test_split', '', 'X_train, X_val = train_test_split(X, test_size=0.2, random_state=0)', '```'].join('\n'),
    measured: 'never NaN; val loss 4.4x training in 8 of 8 seeds; split sorted by time: above in 7 of 8',
    evidence: "Trained for real in Keras 3.15 (CPU, `test/evidence/NAN503.py`, 8 seeds): the seed's Example 1 with a relu encoder and a linear output ends at a validation loss 4.4 times its training loss in all 8 seeds (e.g. 1.02e7 against 2.33e6), never NaN. A standardised series with a trend, split with `validation_split=0.2` while still sorted by time, ends with a validation loss above the training loss in 7 of 8 seeds (1.1 to 4.4 times it, e.g. 3.30 against 1.00); shuffled first, validation ends within 0.87-1.06 times training in all 8. No run went NaN. A warning: validation is misleading, training does not fail.",
  },
  check(ctx) {
    const { model } = ctx;
    const fit = model.fit;
    const hits: RuleHit[] = [];
    if (!fit) return hits;
    const train = model.data.train;
    if (fit.validation.kind === 'data' && fit.validation.x && train) {
      const t = reachingStats(train);
      const v = reachingStats(fit.validation.x);
      if (t && v && t.length === v.length) {
        let worst: { i: number; e: number } | undefined;
        t.forEach((ts, i) => {
          const e = excess(ts, v[i]);
          if (e > 0.5 && (!worst || e > worst.e)) worst = { i, e };
        });
        const location = fit.validation.location ?? fitAnchor(model);
        if (worst && location) {
          const ts = t[worst.i];
          const vs = v[worst.i];
          const outside = vs.min > ts.max ? 'entirely above' : vs.max < ts.min ? 'entirely below' : 'outside';
          // A time series validated on a later period: the shift is expected, and worth knowing, not a mistake.
          const timeSeries = model.dataOrder?.chronological ?? false;
          hits.push({
            location,
            ...(timeSeries ? { severity: 'info' as const } : {}),
            message: timeSeries
              ? `validation ${featureName(vs, worst.i)} spans ${range(vs)}, ${outside} the training range ${range(ts)}: expected when a time series is validated on a later period, but val_loss will sit above the training loss for that reason alone (not divergence, not NaN)`
              : `validation ${featureName(vs, worst.i)} spans ${range(vs)}, ${outside} the training range ${range(ts)}: the model is validated on values it never saw, so val_loss will sit far above the training loss (this is not divergence, and not NaN)`,
            related: fit.validation.x.location ? [{ location: fit.validation.x.location, message: `${fit.validation.x.name} defined here` }] : [],
            explanation: `The training data covers ${range(ts)} in ${featureName(ts, worst.i)}; validation reaches ${fmt(worst.e)} training ranges beyond it. An autoencoder reconstructs what it was trained on; outside that range a relu or linear decoder extrapolates poorly and a bounded output cannot follow at all. Split the data randomly, or treat the validation score as out-of-distribution.`,
          });
        }
      }
    }
    if (fit.validation.kind === 'split') {
      const sortedAt = model.dataOrder?.sortedAt;
      // Validating on the latest period of a time series is the right design, not a mistake.
      if (sortedAt && !model.dataOrder?.shuffled && !model.dataOrder?.chronological) {
        const location = fitAnchor(model);
        if (location) {
          hits.push({
            location,
            message: `validation_split=${fmt(fit.validation.fraction.value)} takes the last ${fmt(fit.validation.fraction.value * 100)}% of the rows before any shuffling, and the data is sorted (line ${sortedAt.range.start.line + 1}): validation covers only the end of the order (the latest period, the last classes)`,
            related: [{ location: sortedAt, message: 'sorted here' }],
            explanation: 'Keras splits before shuffling: `shuffle=True` only shuffles the training part. Shuffle before fit, or split with `train_test_split(..., shuffle=True)`.',
          });
        }
      }
    }
    return hits;
  },
};
