import type { Severity } from '../findings';
import type { LayerSpec } from '../ir';
import { activationOf, fmt, layerAnchor, NORMALIZATION_LAYERS, RESIDUAL_LAYERS, SATURATING_ACTIVATIONS } from './helpers/facts';
import type { Rule } from './rule';

/** Recurrent cells use tanh by design and are gated; they are not part of a plain saturating stack. */
const STACK_LAYERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'SeparableConv2D']);
const NEUTRAL = new Set(['Dropout', 'Flatten', 'Reshape', 'UpSampling1D', 'UpSampling2D', 'MaxPooling1D', 'MaxPooling2D', 'AveragePooling2D', 'GaussianNoise', 'InputLayer', 'ActivityRegularization']);

/** The longest run of consecutive weighted layers with a saturating activation, with nothing normalising in between. */
export function longestSaturatingRun(layers: readonly LayerSpec[]): LayerSpec[] {
  let best: LayerSpec[] = [];
  let run: LayerSpec[] = [];
  let pendingLinear: LayerSpec | undefined;
  const close = () => {
    if (run.length > best.length) best = run;
    run = [];
  };
  for (const layer of layers) {
    const cls = layer.className;
    if (STACK_LAYERS.has(cls)) {
      const act = activationOf(layer) ?? 'linear';
      if (SATURATING_ACTIVATIONS.has(act)) {
        run.push(layer);
        pendingLinear = undefined;
      } else if (act === 'linear') {
        pendingLinear = layer; // may be followed by Activation('sigmoid')
      } else {
        close();
        pendingLinear = undefined;
      }
    } else if (cls === 'Activation') {
      const act = activationOf(layer) ?? 'linear';
      if (SATURATING_ACTIVATIONS.has(act) && pendingLinear) run.push(pendingLinear);
      else if (!SATURATING_ACTIVATIONS.has(act)) close();
      pendingLinear = undefined;
    } else if (NEUTRAL.has(cls)) {
      continue;
    } else {
      close(); // normalization, recurrent layers, anything else breaks the chain
      pendingLinear = undefined;
    }
  }
  close();
  return best;
}

export const tooDeep: Rule = {
  id: 'NAN204',
  name: 'too-deep',
  cause: 'too-deep',
  title: 'Deep stack of saturating layers with no normalization or residuals',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Counts consecutive Dense or convolutional layers with a saturating activation (`sigmoid`, `tanh`, `hard_sigmoid`, `softsign`) that have no `BatchNormalization`/`LayerNormalization` between them, in a model without residual connections, and flags a run of `maxSaturatingDepth` (4 by default) or more.',
    whyItFails:
      "Backpropagation multiplies the gradient by the activation's derivative once per layer. sigmoid' is at most 0.25, so after 8 sigmoid layers the gradient reaching the first one is at most 0.25^8 = 1.5e-5 of what the last one gets (before the weights' own factors), and in practice far less because units sit away from z = 0. The early layers stop learning and the network outputs the mean of the data: the loss stalls at the data's variance. This vanishes; it does not overflow, so there is no NaN.",
    example: [
      '```python',
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      '',
      'autoencoder = keras.Sequential([keras.Input(shape=(20,))]',
      "    + [layers.Dense(32, activation='sigmoid') for _ in range(8)]",
      '    + [layers.Dense(20)])',
      "autoencoder.compile(optimizer='adam', loss='mse')",
      '```',
    ].join('\n'),
    fix: [
      'Use `relu` (or another non-saturating activation) in hidden layers, or put `BatchNormalization` between the layers, or make the network shallower.',
      '',
      '```python',
      "hidden = [layers.Dense(32, activation='relu') for _ in range(8)]",
      '```',
    ].join('\n'),
    measured: 'never NaN; the 8-deep sigmoid stack learns nothing (loss = data variance) in 8 of 8 seeds',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN204.py`, 8 seeds, 512 rows in [0, 1] with variance about 0.083, Adam, 50 epochs): no run goes NaN. The 8-deep sigmoid stack ends at 1.002-1.004 times the variance in all 8 seeds: it learnt nothing. With BatchNormalization after each layer the same stack reaches 0.020-0.024; with relu, 0.036-0.046. A 4-deep sigmoid stack learns a little within those 50 epochs (0.92-0.995 times the variance; on 1,024 rows, twice the steps, one seed reached 0.064). Hence a warning from twice `maxSaturatingDepth` (8) layers on, and a note from `maxSaturatingDepth` (4).',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    if (model.layers.some((l) => RESIDUAL_LAYERS.has(l.className))) return [];
    const run = longestSaturatingRun(model.layers);
    if (run.length < thresholds.maxSaturatingDepth || run.length === 0) return [];
    const first = run[0];
    const last = run[run.length - 1];
    const location = layerAnchor(model, first);
    if (!location) return [];
    const acts = [...new Set(run.map((l) => activationOf(l) ?? 'linear'))].join('/');
    const bound = Math.pow(0.25, run.length);
    const hasNorm = model.layers.some((l) => NORMALIZATION_LAYERS.has(l.className));
    // Keras: 8 sigmoid layers stalled at the data's variance; 4 still learnt, more slowly.
    const severity: Severity = run.length >= 2 * thresholds.maxSaturatingDepth ? 'warning' : 'info';
    return [
      {
        location,
        severity,
        message: `${run.length} ${acts} layers in a row ('${first.name}' to '${last.name}') with no normalization between them${hasNorm ? '' : ' and no residual connection'}: the gradient reaching the first is scaled by up to 0.25^${run.length} = ${fmt(bound)}, so the early layers stall (no NaN)`,
        related: last.location ? [{ location: last.location, message: `last of the ${run.length} saturating layers` }] : [],
        explanation: `Each ${acts} layer multiplies the backpropagated gradient by its derivative, at most 0.25 for sigmoid (1 for tanh at z = 0, far less once saturated). Across the ${run.length} layers from **${first.name}** to **${last.name}** that is at most ${fmt(bound)} for sigmoid: the first layers barely move and the model drifts to predicting the data's mean. Use \`relu\` in hidden layers or add \`BatchNormalization\` between them.`,
      },
    ];
  },
};
