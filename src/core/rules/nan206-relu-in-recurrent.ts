import { activationOf, layerAnchor, unscaledTrainInput } from './helpers/facts';
import { replaceActivationFix } from './helpers/fixes';
import type { Rule } from './rule';
import type { Fix } from '../findings';

const RECURRENT = new Set(['LSTM', 'GRU', 'SimpleRNN']);
/** Activations with no upper bound: the recurrent state can grow from step to step. */
const UNBOUNDED = new Set(['relu', 'elu', 'selu', 'linear', 'leaky_relu', 'gelu', 'silu', 'swish', 'softplus', 'exponential']);

export const reluInRecurrent: Rule = {
  id: 'NAN206',
  name: 'relu-in-recurrent',
  cause: 'relu-in-recurrent',
  title: 'An unbounded activation (relu, linear, ...) inside LSTM, GRU or SimpleRNN cells',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Flags `LSTM`, `GRU` and `SimpleRNN` layers whose cell `activation` has no upper bound (`relu`, `elu`, `selu`, `linear`, `gelu`, `swish`, `softplus`, ...). Keras's default, `tanh`, keeps the state in (-1, 1). The `recurrent_activation` of the gates is not this rule's concern. A layer that runs over a single time step (sequences of shape `(1, features)`, a common way to feed tabular rows to an LSTM) is not flagged: the cell runs once and nothing recurs.",
    whyItFails:
      "A recurrent layer applies the same weights at every time step: h_t = act(W x_t + U h_{t-1} + b). With `tanh` the state stays in (-1, 1) whatever U is. With `relu` nothing bounds it: once the largest singular value of U (times the gate values) exceeds 1, h grows geometrically with the step count; over 120 steps a per-step gain of only 1.2 is 1.2^120 = 3e9, and the backward pass multiplies the same factor into the gradients. Inputs of order 50 make the first steps large already. The loss then jumps to huge values or to inf and NaN, depending on the initial weights.",
    example: [
      '```python',
      'X = series[..., None]  # 256 sequences of 120 steps, values around 50',
      'model = keras.Sequential([',
      '    layers.Input(shape=(120, 1)),',
      '    layers.LSTM(32, activation="relu"),',
      '    layers.RepeatVector(120),',
      '    layers.LSTM(32, activation="relu", return_sequences=True),',
      '    layers.TimeDistributed(layers.Dense(1)),',
      '])',
      'model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")',
      'model.fit(X, X, epochs=3)',
      '```',
    ].join('\n'),
    fix: [
      "Keep the cells' default `tanh` (and scale the series); if you want relu somewhere, put it in a Dense layer after the recurrent one.",
      '',
      '```python',
      'layers.LSTM(32),  # activation="tanh" by default',
      '```',
    ].join('\n'),
    measured: 'NaN in the first epoch in 8 of 8 seeds; tanh cells stay finite in 8 of 8',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN206.py`: the example above, 3 epochs, 8 seeds for each activation, the cell activation the only difference): with relu cells the loss was NaN in the first epoch for 8 of 8 seeds; with the default tanh cells it stayed finite for 8 of 8 (from about 3000 down to 2140-2330 after 3 epochs, still far from fitted because the series is unscaled). Hence an error when the inputs are also unscaled, as in the example, and a warning otherwise (not measured on scaled series). With sequences of a single time step (rows fed as (1, 9), relu cells in the encoder and in the decoder, 10 epochs, 8 seeds), no run went NaN, on data in [0, 1] (final losses 0.027-0.054) or in [0, 100] (221-532): nothing recurs, so such layers are not flagged.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const unscaled = unscaledTrainInput(model, thresholds.unscaledAbsMax);
    const hits = [];
    // The sequence each recurrent layer runs over: the model's input steps, or the count of the last RepeatVector before it (an LSTM decoder's).
    let steps = model.inputShape?.[0];
    for (const layer of model.layers) {
      if (layer.className === 'RepeatVector' && typeof layer.config['n'] === 'number') steps = layer.config['n'];
      if (!RECURRENT.has(layer.className)) continue;
      const activation = activationOf(layer);
      if (!activation || !UNBOUNDED.has(activation)) continue;
      // One time step: the cell runs once, nothing recurs, so nothing can grow from step to step.
      if (steps === 1) continue;
      const location = layerAnchor(model, layer);
      if (!location) continue;
      const fixes: Fix[] = [];
      const origin = layer.origins?.['activation'];
      if (origin && (origin.kind === 'literal' || origin.kind === 'config')) {
        const text = ctx.sourceText(origin.location.path);
        const fix = text !== undefined ? replaceActivationFix(text, origin.location, 'tanh', true) : undefined;
        if (fix) fixes.push(fix);
      }
      const horizon = typeof steps === 'number' && steps > 1 ? ` over ${steps} time steps` : '';
      hits.push({
        location: origin?.kind === 'literal' ? origin.location : location,
        message: `${layer.className} '${layer.name}' uses ${activation} as its cell activation: nothing bounds the recurrent state, which can grow geometrically${horizon} and overflow to inf and NaN; Keras's default tanh keeps it in (-1, 1)`,
        explanation: `**${layer.name}** computes h_t = ${activation}(W x_t + U h_{t-1} + b) at every step. With ${activation} the state is unbounded: a per-step gain of 1.2 becomes 1.2^120 = 3e9 over 120 steps, and the gradients grow by the same factor. Use the default \`tanh\` in the cell.`,
        fixes,
        severity: unscaled ? ('error' as const) : ('warning' as const),
      });
    }
    return hits;
  },
};
