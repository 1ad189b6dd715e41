import { activationOf, bottleneck, fmt, inputDim, layerAnchor, SATURATING_ACTIVATIONS, unscaledTrainInput } from './helpers/facts';
import { replaceActivationFix } from './helpers/fixes';
import type { Rule } from './rule';
import type { Fix } from '../findings';

const RECURRENT = new Set(['LSTM', 'GRU', 'SimpleRNN']);

function sigmoidGradient(z: number): number {
  const s = 1 / (1 + Math.exp(-z));
  return s * (1 - s);
}

export const sigmoidBottleneck: Rule = {
  id: 'NAN202',
  name: 'sigmoid-bottleneck',
  cause: 'sigmoid-bottleneck',
  title: 'Saturating activation (sigmoid/tanh) in the bottleneck',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Finds the bottleneck (the narrowest Dense layer between input and output, narrower than the input) and flags a saturating activation there: `sigmoid`, `tanh`, `hard_sigmoid`, `softsign`. It reports a warning when the inputs reach the network unscaled (the bottleneck then saturates), and only a note when the data is scaled or unknown.',
    whyItFails:
      "The whole reconstruction has to pass through the few bottleneck units. sigmoid'(z) = s(1 - s) is 0.25 at most and 4.5e-5 at |z| = 10; tanh' = 1 - tanh^2 is 8.2e-9 at |z| = 10. With raw inputs of order 100, the encoder's pre-activations at the bottleneck are easily in the tens, the units sit at 0 or 1, and the gradient that would move the encoder is multiplied by almost nothing: the encoder stops learning and every input maps to the same few codes. Nothing overflows, so this stalls rather than going NaN. On scaled inputs a sigmoid bottleneck trains about as well as a relu one.",
    example: [
      '```python',
      'import numpy as np',
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      '',
      'X_train = np.random.uniform(0, 100, (1024, 20))  # unscaled',
      '',
      'inputs = keras.Input(shape=(20,))',
      "h = layers.Dense(32, activation='relu')(inputs)",
      "code = layers.Dense(4, activation='sigmoid')(h)  # the bottleneck",
      "h = layers.Dense(32, activation='relu')(code)",
      'outputs = layers.Dense(20)(h)',
      'autoencoder = keras.Model(inputs, outputs)',
      "autoencoder.compile(optimizer='adam', loss='mse')",
      'autoencoder.fit(X_train, X_train, epochs=50)',
      '```',
    ].join('\n'),
    fix: [
      "Scale the inputs (see NAN101), and use a non-saturating activation in the bottleneck (`relu`, or `linear` for a PCA-like code).",
      '',
      '```python',
      "code = layers.Dense(4, activation='relu')(h)",
      '```',
    ].join('\n'),
    measured: 'never NaN; learns nothing (loss = data variance) on 0-100 data in 8 of 8 seeds',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN202.py`, 8 seeds, 512 rows of 20 features, Dense 32-4-32-20, Adam, 50 epochs): no run goes NaN. On raw data in [0, 100], 96-100% of the sigmoid bottleneck outputs end within 0.01 of 0 or 1 and the loss ends at 1.00-1.07 times the data variance (825-892) in all 8 seeds: the model learnt nothing; a relu bottleneck on the same data reaches 0.77-0.90 times the variance. On data in [0, 1], no sigmoid output is saturated in any seed and the sigmoid bottleneck (0.066-0.069) does as well as relu (0.064-0.076), better in 6 of the 8 seeds. Hence a warning with unscaled inputs and only a note otherwise.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const neck = bottleneck(model);
    if (!neck) return [];
    // LSTM/GRU cells use tanh by design behind their gates: not this rule's concern.
    if (RECURRENT.has(neck.layer.className)) return [];
    const activation = activationOf(neck.layer);
    if (!activation || !SATURATING_ACTIVATIONS.has(activation)) return [];
    const location = layerAnchor(model, neck.layer);
    if (!location) return [];
    const unscaled = unscaledTrainInput(model, thresholds.unscaledAbsMax);
    const dim = inputDim(model);
    const of = dim !== undefined ? ` of ${dim} inputs` : '';
    const units = `${neck.units} unit${neck.units === 1 ? '' : 's'}`;
    let message: string;
    let explanation: string;
    const z = unscaled ? Math.min(unscaled.worst.maxAbs * 0.5, 80) : 10;
    const grad = activation === 'tanh' ? 1 - Math.tanh(z) ** 2 : sigmoidGradient(z);
    if (unscaled) {
      message = `bottleneck '${neck.layer.name}' (${units}${of}) uses ${activation} while ${unscaled.data.name} reaches the network unscaled (up to ${fmt(unscaled.worst.maxAbs)}): its units saturate and the encoder stops learning (a stall, not NaN)`;
      explanation = `Every reconstruction passes through the ${units} of **${neck.layer.name}**. With inputs up to ${fmt(unscaled.worst.maxAbs)}, pre-activations of order ${fmt(z)} are typical, where the ${activation} gradient is ${fmt(grad)} (at most ${activation === 'tanh' ? '1' : '0.25'}). The units sit at their limits and the encoder's gradient vanishes. Scale the inputs and use \`relu\` or \`linear\` here.`;
    } else {
      message = `bottleneck '${neck.layer.name}' (${units}${of}) uses ${activation}: it saturates if its pre-activations grow large (gradient ${fmt(grad)} at |z| = 10); on scaled data it usually trains`;
      explanation = `Every reconstruction passes through the ${units} of **${neck.layer.name}**. ${activation}'s gradient is at most ${activation === 'tanh' ? '1' : '0.25'} and ${fmt(grad)} at |z| = 10, so if the encoder drives these units to their limits the encoder stops learning. With scaled inputs this is usually fine; \`relu\` or \`linear\` avoids the question.`;
    }
    const fixes: Fix[] = [];
    const origin = neck.layer.origins?.['activation'];
    if (origin && (origin.kind === 'literal' || origin.kind === 'config')) {
      const text = ctx.sourceText(origin.location.path);
      if (text !== undefined) {
        for (const [replacement, preferred] of [['relu', true], ['linear', false]] as const) {
          const fix = replaceActivationFix(text, origin.location, replacement, preferred);
          if (fix) fixes.push(fix);
        }
      }
    }
    return [{ location, message, explanation, fixes, severity: unscaled ? 'warning' : 'info' }];
  },
};
