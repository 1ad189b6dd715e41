import { fmt, modelAnchor, NORMALIZATION_LAYERS, unscaledTrainInput } from './helpers/facts';
import type { Rule } from './rule';

const WEIGHTED = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'LSTM', 'GRU', 'SimpleRNN', 'SeparableConv2D']);

export const noNormalization: Rule = {
  id: 'NAN205',
  name: 'no-normalization',
  cause: 'no-normalization',
  title: 'No normalization layer in a deep network or one fed unscaled data',
  defaultSeverity: 'info',
  docs: {
    whatItDoes:
      'Notes a model with no `BatchNormalization`, `LayerNormalization`, `GroupNormalization` or `Normalization` layer anywhere, when it is deep (at least twice `maxSaturatingDepth`, so 8, weighted layers) or when its training inputs reach it unscaled.',
    whyItFails:
      "Normalization layers keep each layer's inputs near zero mean and unit variance whatever the layers before them do. Without them, the scale of activations is whatever the data and the initialisation make it: with raw inputs up to 1000 the first layer's outputs are in the hundreds, the gradients in the millions, and plain SGD at 0.01 overflows to NaN within a few batches. A `Normalization` layer adapted on the training data as the first layer removes the problem at its source. In a deep network, `BatchNormalization` between layers keeps gradients from shrinking or growing geometrically with depth.",
    example: [
      '```python',
      'import numpy as np',
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      '',
      'X_train = np.random.uniform(0, 1000, (256, 8))',
      'autoencoder = keras.Sequential([',
      "    keras.Input(shape=(8,)), layers.Dense(16, activation='relu'), layers.Dense(4, activation='relu'),",
      "    layers.Dense(16, activation='relu'), layers.Dense(8),",
      '])',
      "autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='mse')",
      '```',
    ].join('\n'),
    fix: [
      'Add a `Normalization` layer adapted on the training data as the first layer (and reconstruct the normalised values), or scale the data before `fit`; in deep networks, add `BatchNormalization` between layers.',
      '',
      '```python',
      'norm = layers.Normalization()',
      'norm.adapt(X_train)',
      'autoencoder = keras.Sequential([keras.Input(shape=(8,)), norm, ...])',
      '```',
    ].join('\n'),
    measured: 'NaN in the first epoch in 5 of 8 seeds (SGD 0.01); none with a Normalization layer',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN205.py`, 8 seeds, data uniform in [0, 1000], SGD 0.01, 5 epochs): without normalization the example goes NaN in the first epoch in 5 of 8 seeds, and two of the other three end at losses of 7e13 and 1e29; with a `Normalization` layer adapted on the training data as the first layer, none of the 8 goes NaN (0.98-1.07 on the standardised scale). The finding is a note because the root cause (unscaled data, depth) has its own rule and severity.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    if (model.layers.length === 0 || model.layers.some((l) => NORMALIZATION_LAYERS.has(l.className))) return [];
    const weighted = model.layers.filter((l) => WEIGHTED.has(l.className)).length;
    const deep = weighted >= 2 * thresholds.maxSaturatingDepth;
    const unscaled = unscaledTrainInput(model, thresholds.unscaledAbsMax);
    if (!deep && !unscaled) return [];
    const location = modelAnchor(model);
    if (!location) return [];
    const reason = unscaled
      ? `while ${unscaled.data.name} reaches it unscaled (up to ${fmt(unscaled.worst.maxAbs)})`
      : `in ${weighted} weighted layers`;
    return [
      {
        location,
        message: `no normalization layer in '${model.name}' ${reason}: nothing keeps activations and gradients on a unit scale`,
        explanation: unscaled
          ? `**${model.name}** has no \`Normalization\`, \`BatchNormalization\` or \`LayerNormalization\` layer, and its inputs reach ${fmt(unscaled.worst.maxAbs)}. A \`Normalization\` layer adapted on the training data as the first layer (or scaling before \`fit\`) brings them to unit scale.`
          : `**${model.name}** stacks ${weighted} weighted layers with no normalization between them; gradients can shrink or grow geometrically with depth. \`BatchNormalization\` between layers keeps each layer's inputs at unit scale.`,
      },
    ];
  },
};
