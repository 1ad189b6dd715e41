import type { FeatureStats } from '../ir';
import { dataFacts, featureName, fitAnchor, fmt, fmtRatio, inputScalingLayer, maxAbs } from './helpers/facts';
import { fitRelated } from './helpers/facts';
import type { Rule } from './rule';

export const outliers: Rule = {
  id: 'NAN103',
  name: 'outliers',
  cause: 'outliers',
  title: 'A few values dwarf the rest of a feature',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'For each input feature with known values, compares the largest absolute value with the median absolute value and flags features where the ratio exceeds `outlierRatio` (50 by default). It needs the values themselves (literal arrays or workspace data files), not only bounds.',
    whyItFails:
      'Squared error magnifies outliers: one value of 500 in a feature whose typical magnitude is 0.67 contributes an error of about 250,000 where ordinary values contribute about 0.5, so five outliers among 8,000 values carry most of the loss. Each batch that contains one produces a gradient hundreds of times larger than the others, which with plain SGD kicks the weights far from where the ordinary data wants them, and kills relu units (a large negative bias update leaves them at zero for every input). The loss swings from batch to batch and the ordinary rows are reconstructed worse. With an unscaled feature and a high learning rate the same kick can overflow to NaN.',
    example: [
      '```python',
      'import numpy as np',
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      '',
      'rng = np.random.default_rng(0)',
      'X_train = rng.normal(0, 1, (1000, 8))',
      'X_train[rng.integers(0, 1000, 5), rng.integers(0, 8, 5)] = 500.0  # sensor glitches',
      '',
      'autoencoder = keras.Sequential([',
      "    keras.Input(shape=(8,)), layers.Dense(16, activation='relu'), layers.Dense(4, activation='relu'),",
      "    layers.Dense(16, activation='relu'), layers.Dense(8),",
      '])',
      "autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='mse')",
      'autoencoder.fit(X_train, X_train, epochs=20)',
      '```',
    ].join('\n'),
    fix: [
      'Find out whether the outliers are errors. If they are, drop or clip them; if they are real, use a robust transform (`RobustScaler`, `np.log1p` for positive heavy tails) or a robust loss (`keras.losses.Huber()`).',
      '',
      '```python',
      'X_train = np.clip(X_train, -5, 5)',
      '```',
    ].join('\n'),
    measured: 'NaN in 0 of 8 seeds; 5 outliers own the loss in 8 of 8, and SGD 0.01 blows up in 2 of 8',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN103.py`, 8 seeds, 1000 standard-normal rows with 5 values set to 500, max/median ratio 688-724, 20 epochs): no run goes NaN with SGD 0.01 or Adam, but the outliers own the loss in all 8 seeds (157 with SGD, 21-109 with Adam, against 0.82-0.93 and 0.51-0.54 on data clipped to [-5, 5]) and the ordinary rows are reconstructed worse (MSE 1.14-2.32 against 0.82-0.93 with SGD; 0.77-0.90 against 0.51-0.54 with Adam). With SGD, 2 of the 8 seeds blow up instead, to losses of 3e21 and 1e30 (not yet NaN after 20 epochs); clipped, none does. A warning, not an error: training runs, and fits the glitches instead of the data.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const data = model.data.train;
    if (!data || inputScalingLayer(model)) return [];
    const facts = dataFacts(data);
    // Bounds of a distribution say nothing about outliers; only values do.
    if (!facts || facts.kind === 'bounds') return [];
    let worst: { index: number; stats: FeatureStats; ratio: number } | undefined;
    facts.stats.forEach((stats, index) => {
      const median = stats.medianAbs;
      if (median === undefined || !(median > 0) || stats.count < 10) return;
      const ratio = maxAbs(stats) / median;
      if (ratio > thresholds.outlierRatio && (!worst || ratio > worst.ratio)) worst = { index, stats, ratio };
    });
    if (!worst) return [];
    const location = data.location ?? fitAnchor(model);
    if (!location) return [];
    const { stats, index, ratio } = worst;
    const peak = maxAbs(stats);
    const median = stats.medianAbs ?? 0;
    return [
      {
        location,
        message: `${featureName(stats, index)} of ${data.name} reaches |x| = ${fmt(peak)} while its median |x| is ${fmt(median)} (${fmtRatio(ratio)}): a few values will dominate the squared-error loss and its gradients`,
        related: fitRelated(model, `${data.name} is passed to fit here`),
        explanation:
          `In **${data.name}**, ${featureName(stats, index)} has a typical magnitude (median |x|) of ${fmt(median)} but reaches ${fmt(peak)}.\n\n` +
          `Under MSE, that value's squared error (about ${fmt(peak * peak)}) outweighs an ordinary one (about ${fmt(median * median)}) ${fmtRatio((peak * peak) / (median * median))}. Batches containing it produce gradients hundreds of times larger than the rest, which throw the weights around (and kill relu units). Check whether these values are errors; clip, drop, or use a robust scaler or a Huber loss.`,
      },
    ];
  },
};
