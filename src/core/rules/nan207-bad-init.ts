import type { LayerSpec, ModelSpec } from '../ir';
import { activationOf, fmt, inputDim, layerAnchor, SATURATING_ACTIVATIONS, widthOf } from './helpers/facts';
import type { Rule, RuleHit } from './rule';

interface InitScale {
  /** Standard deviation of one weight. */
  std: number;
  /** Mean of one weight ('ones', Constant). */
  mean: number;
  words: string;
}

/** The scale of a kernel initializer, from its name and (for RandomNormal & co.) the arguments the front-end read as numbers. */
function initScale(layer: LayerSpec): InitScale | undefined {
  const raw = layer.config['kernel_initializer'];
  const name = typeof raw === 'string' ? raw : raw && typeof raw === 'object' ? String((raw as Record<string, unknown>)['class_name'] ?? '') : '';
  const lower = name.toLowerCase().replace(/_/g, '');
  const cfg = raw && typeof raw === 'object' ? ((raw as Record<string, unknown>)['config'] as Record<string, unknown> | undefined) : undefined;
  const param = (key: string, fallback: number) => (typeof cfg?.[key] === 'number' ? (cfg[key] as number) : fallback);
  if (lower === 'ones') return { std: 0, mean: 1, words: "'ones'" };
  if (lower === 'constant') {
    const v = param('value', 0);
    return { std: 0, mean: v, words: `Constant(${fmt(v)})` };
  }
  if (lower === 'randomnormal' || lower === 'truncatednormal') {
    const s = param('stddev', 0.05);
    return { std: lower === 'truncatednormal' ? s * 0.88 : s, mean: param('mean', 0), words: `${name}(stddev=${fmt(s)})` };
  }
  if (lower === 'randomuniform') {
    const lo = param('minval', -0.05);
    const hi = param('maxval', 0.05);
    return { std: (hi - lo) / Math.sqrt(12), mean: (hi + lo) / 2, words: `RandomUniform(${fmt(lo)}, ${fmt(hi)})` };
  }
  return undefined;
}

/** Dense layers in order with their fan-in (the previous Dense width, or the input size). */
function denseChain(model: ModelSpec): { layer: LayerSpec; fanIn: number }[] {
  const out: { layer: LayerSpec; fanIn: number }[] = [];
  let prev = inputDim(model);
  for (const layer of model.layers) {
    if (layer.className !== 'Dense') {
      if (!['InputLayer', 'Dropout', 'GaussianNoise', 'ActivityRegularization'].includes(layer.className)) prev = undefined;
      continue;
    }
    if (prev !== undefined) out.push({ layer, fanIn: prev });
    prev = widthOf(layer);
  }
  return out;
}

export const badInit: Rule = {
  id: 'NAN207',
  name: 'bad-init',
  cause: 'bad-init',
  title: 'Kernel initializers that start the network saturated or exploding',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Estimates each Dense layer's pre-activation scale at initialisation from its kernel initializer and fan-in: sqrt(fan_in) × weight std for zero-mean initializers, fan_in × weight for `'ones'` and `Constant`. It fires when a sigmoid or tanh layer starts with pre-activations of standard deviation above 4 (saturated), or when a relu/linear layer multiplies the signal by more than 4 per layer (exploding). Keras's defaults (glorot_uniform, he_normal) keep that scale near 1 and are never flagged.",
    whyItFails:
      "A Dense layer with 256 inputs and weights drawn with stddev 1 gives pre-activations with standard deviation sqrt(256) × 1 × |x| ≈ 16 |x|: a sigmoid of ±16 is 1e-7 away from 0 or 1 and its derivative s(1 - s) is about 1e-7, so the gradient reaching the layers below is a millionth of what it should be, and training stalls from the first step. With relu instead, every layer multiplies the signal by about 16 / sqrt(2) ≈ 11, four layers by 1.6e4, and with plain SGD the first update is that large: the loss overflows float32 to inf and then NaN. `'ones'` is worse: every unit computes the same sum (no symmetry breaking) of size fan_in × mean(x).",
    example: [
      '```python',
      'init = keras.initializers.RandomNormal(stddev=1.0)',
      'autoencoder = keras.Sequential([',
      '    keras.Input(shape=(256,)),',
      '    layers.Dense(128, activation="sigmoid", kernel_initializer=init),',
      '    layers.Dense(32, activation="sigmoid", kernel_initializer=init),',
      '    layers.Dense(128, activation="sigmoid", kernel_initializer=init),',
      '    layers.Dense(256, activation="sigmoid", kernel_initializer=init),',
      '])',
      '```',
    ].join('\n'),
    fix: ["Use Keras's default (`glorot_uniform`), or `he_normal` for relu layers.", '', '```python', 'layers.Dense(128, activation="sigmoid")   # glorot_uniform', '```'].join('\n'),
    measured: 'sigmoid layers learn nothing in 8 of 8 seeds; relu layers with SGD go NaN in 8 of 8',
    evidence: "Trained for real in Keras 3.15 (CPU, `test/evidence/NAN207.py`, 8 seeds, a 256-128-32-128-256 Dense autoencoder on data in [0, 1] with variance 0.023-0.026, 5 epochs): with RandomNormal(stddev=1) and sigmoid layers (Adam) the loss ends at 0.089-0.111 in all 8 seeds, 3.7-4.3 times the data's variance (the model learnt nothing), against 0.0128-0.0152 with glorot_uniform; with relu layers and SGD at 0.01, RandomNormal(stddev=1) goes NaN in the first epoch in 8 of 8 seeds and 'ones' diverges to a loss of 2.4e7-2.9e7 in all 8 (never NaN within 5 epochs), while glorot_uniform trains in all 8 (0.25-0.27). A warning: the saturated case stalls rather than failing loudly.",
  },
  check(ctx) {
    const { model } = ctx;
    const hits: RuleHit[] = [];
    for (const { layer, fanIn } of denseChain(model)) {
      const init = initScale(layer);
      if (!init) continue;
      const act = activationOf(layer) ?? 'linear';
      // Pre-activation scale per unit of input scale: zero-mean weights add in quadrature, a constant adds linearly.
      const scale = init.std > 0 && init.mean === 0 ? Math.sqrt(fanIn) * init.std : Math.abs(init.mean) * fanIn + Math.sqrt(fanIn) * init.std;
      const saturating = SATURATING_ACTIVATIONS.has(act);
      if (scale <= 4) continue;
      const location = layerAnchor(model, layer);
      if (!location) continue;
      hits.push({
        location,
        message: saturating
          ? `${init.words} on a ${act} layer with ${fanIn} inputs starts its pre-activations at about ${fmt(scale)} times the input scale: the ${act} starts saturated (derivative near 0) and the layers below it barely learn`
          : `${init.words} with ${fanIn} inputs multiplies the signal by about ${fmt(scale)} in this ${act} layer at initialisation: a few such layers make the first outputs and gradients huge, and plain SGD overflows to inf and NaN`,
        explanation: `For a Dense layer the pre-activation of a unit is the sum of ${fanIn} weighted inputs. With ${init.words}, ${init.mean === 0 ? `its standard deviation is sqrt(${fanIn}) × ${fmt(init.std)} ≈ ${fmt(scale)}` : `it is about ${fanIn} × ${fmt(init.mean)} ≈ ${fmt(scale)}`} times the input's. Keras's default glorot_uniform draws weights with variance 2 / (fan_in + fan_out), which keeps this near 1.`,
      });
    }
    return hits;
  },
};
