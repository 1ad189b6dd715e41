import type { FeatureStats } from '../ir';
import { dataFacts, featureName, fitAnchor, fmtRatio, inputScalingLayer, isScaledOnTheWay, maxAbs, range } from './helpers/facts';
import { fitRelated } from './helpers/facts';
import { scaleInputFix } from './helpers/scaling';
import type { Rule } from './rule';

interface Scaled {
  index: number;
  stats: FeatureStats;
  scale: number;
}

export const featureScaleDisparity: Rule = {
  id: 'NAN102',
  name: 'feature-scale-disparity',
  cause: 'feature-scale-disparity',
  title: 'Input features differ in scale by 100x or more',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Compares the largest absolute value of each input feature (column) and flags data whose largest and smallest feature scales differ by `scaleDisparityRatio` (100 by default) or more, when no per-feature scaling (a scaler, a standardisation, a `Normalization` layer) is applied on the way.',
    whyItFails:
      "An autoencoder's MSE averages the squared errors of all features, so a feature spanning 0-5 contributes errors up to 25 while one spanning 0-0.01 contributes at most 1e-4: 250,000 times less. Every gradient step serves the large feature and the small one is reconstructed as its mean. Gradients of the first layer's weights are proportional to their inputs too, so weights fed by the large feature move hundreds of times faster than those fed by the small one; a learning rate safe for one is far too small or far too large for the other. It rarely produces NaN by itself (unless the large features are also unscaled, see NAN101); it silently loses the small features.",
    example: [
      '```python',
      'import numpy as np',
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      '',
      'rng = np.random.default_rng(0)',
      'X_train = np.hstack([rng.uniform(0, 0.01, (1024, 4)),   # concentrations',
      '                     rng.uniform(0, 5, (1024, 4))])     # pressures',
      '',
      'autoencoder = keras.Sequential([',
      '    keras.Input(shape=(8,)),',
      "    layers.Dense(16, activation='relu'), layers.Dense(6, activation='relu'),",
      "    layers.Dense(16, activation='relu'), layers.Dense(8),",
      '])',
      "autoencoder.compile(optimizer='adam', loss='mse')",
      'autoencoder.fit(X_train, X_train, epochs=60)',
      '```',
    ].join('\n'),
    fix: [
      'Standardise each feature (fit on the training data only), so that every feature contributes to the loss on the same scale.',
      '',
      '```python',
      'from sklearn.preprocessing import StandardScaler',
      '',
      'scaler = StandardScaler()',
      'X_train = scaler.fit_transform(X_train)',
      '```',
    ].join('\n'),
    measured: 'never NaN; the 4 small features fit worse than their means (R² below 0) in 8 of 8 seeds',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN102.py`, 8 seeds, 4 features in [0, 0.01] beside 4 in [0, 5], Adam, 60 epochs): no run goes NaN, and 7 of the 8 end at a training loss of 2e-4 to 9e-4 that looks excellent, yet in all 8 seeds each of the four small features is reconstructed worse than by its mean (R² from -1237 to -0.37) while the large ones reach R² of 0.88 to 1.00. Standardised, every feature is reconstructed in all 8 seeds (R² 0.32-0.98). A warning: training runs, and silently ignores part of the data.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const data = model.data.train;
    if (!data || inputScalingLayer(model) || (!data.stats && isScaledOnTheWay(data))) return [];
    const facts = dataFacts(data);
    if (!facts || facts.stats.length < 2) return [];
    let big: Scaled | undefined;
    let small: Scaled | undefined;
    facts.stats.forEach((stats, index) => {
      const scale = maxAbs(stats);
      if (!Number.isFinite(scale) || scale === 0) return; // an all-zero column is another problem
      if (!big || scale > big.scale) big = { index, stats, scale };
      if (!small || scale < small.scale) small = { index, stats, scale };
    });
    if (!big || !small || big.index === small.index) return [];
    const ratio = big.scale / small.scale;
    if (ratio < thresholds.scaleDisparityRatio) return [];
    const location = data.location ?? fitAnchor(model);
    if (!location) return [];
    const fix = scaleInputFix(ctx, data, facts);
    const errBig = big.scale * big.scale;
    const errSmall = small.scale * small.scale;
    return [
      {
        location,
        message: `${featureName(big.stats, big.index)} of ${data.name} spans ${range(big.stats)} while ${featureName(small.stats, small.index)} spans ${range(small.stats)} (${fmtRatio(ratio)}): the loss and the gradients follow the large feature and the small one is barely learnt`,
        related: fitRelated(model, `${data.name} is passed to fit here`),
        fixes: fix ? [fix] : [],
        explanation:
          `In **${data.name}**, ${featureName(big.stats, big.index)} reaches ${range(big.stats)} and ${featureName(small.stats, small.index)} only ${range(small.stats)}: a ${fmtRatio(ratio)} difference in scale.\n\n` +
          `Squared reconstruction errors scale with the square of the values: up to ${errBig.toPrecision(3)} for the large feature against ${errSmall.toPrecision(3)} for the small one (${fmtRatio(errBig / errSmall)}). The MSE gradient is dominated by the large feature, and the small one ends up reconstructed as its mean. Standardise each feature (fit on the training data) before training.`,
      },
    ];
  },
};
