import type { LayerSpec, ModelSpec } from '../ir';
import { describeOrigin, layerAnchor, outputActivation } from './facts';
import { addKeywordArgument } from './fixes';
import type { Rule, RuleHit } from './rule';

function float32Layer(layer: LayerSpec): boolean {
  const d = layer.config['dtype'];
  if (typeof d === 'string') return d === 'float32' || d === 'float64';
  if (d && typeof d === 'object') {
    const cfg = (d as Record<string, unknown>)['config'] as Record<string, unknown> | undefined;
    const name = cfg?.['name'] ?? (d as Record<string, unknown>)['name'];
    return name === 'float32' || name === 'float64';
  }
  return false;
}

/** The last layer of the model (output), and whether any layer from the output layer on computes in float32. */
function outputInFloat32(model: ModelSpec): { layer: LayerSpec | undefined; float32: boolean } {
  const out = outputActivation(model)?.layer ?? model.layers[model.layers.length - 1];
  if (!out) return { layer: undefined, float32: false };
  const idx = model.layers.indexOf(out);
  const tail = model.layers.slice(idx);
  return { layer: out, float32: tail.some(float32Layer) };
}

export const fp16Overflow: Rule = {
  id: 'NAN403',
  name: 'fp16-overflow',
  cause: 'fp16-overflow',
  title: 'mixed_float16 with the output layer (and so the loss) in float16',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      "Fires when a `mixed_float16` (or `float16`) policy is set and the model's output layer is not kept in float32 (`dtype=\"float32\"` on the last layer, or a final `Activation('linear', dtype='float32')`), and when a custom training loop with `GradientTape` runs under that policy without a `LossScaleOptimizer`.",
    whyItFails:
      'float16 has a largest finite value of 65504 and a smallest normal value of 6.1e-5. An autoencoder\'s output layer under mixed_float16 computes its output in float16, so reconstructions above 65504 are inf, and a squared error is computed on them: an error of 256 already squares to 65536, which overflows to inf. inf in the loss gives NaN gradients. In the other direction, small gradients underflow to 0 in float16 unless the loss is scaled: Keras\'s `compile` wraps the optimizer in a LossScaleOptimizer for you, a hand-written GradientTape loop does not. The TensorFlow mixed precision guide says to keep the output layer in float32 for exactly this reason.',
    example: [
      '```python',
      'keras.mixed_precision.set_global_policy("mixed_float16")',
      '',
      'autoencoder = keras.Sequential([',
      '    keras.Input(shape=(16,)),',
      '    layers.Dense(64, activation="relu"),',
      '    layers.Dense(8, activation="relu"),',
      '    layers.Dense(64, activation="relu"),',
      '    layers.Dense(16),                       # float16 output',
      '])',
      '```',
    ].join('\n'),
    fix: ['Keep the output layer in float32.', '', '```python', 'layers.Dense(16, dtype="float32")', '```'].join('\n'),
    evidence: 'EVIDENCE_PENDING',
  },
  check(ctx) {
    const { model } = ctx;
    const policy = model.dtypePolicy;
    if (!policy || !/float16/.test(policy.value)) return [];
    const hits: RuleHit[] = [];
    const { layer, float32 } = outputInFloat32(model);
    if (layer && !float32) {
      const location = layerAnchor(model, layer);
      const text = layer.location ? ctx.sourceText(layer.location.path) : undefined;
      const edit = layer.location && text !== undefined ? addKeywordArgument(text, layer.location.path, layer.location.range, 'dtype', '"float32"') : undefined;
      if (location) {
        hits.push({
          location,
          message: `the ${policy.value} policy (${describeOrigin(policy.origin)}) makes the output layer ${layer.name} compute in float16, whose largest value is 65504: reconstruction errors above 256 square past it to inf in the loss, and the gradients become NaN`,
          fixes: edit ? [{ title: 'Compute the output layer in float32: dtype="float32"', edits: [edit], preferred: true }] : [],
          explanation: `Under \`${policy.value}\` every layer computes in float16 unless told otherwise. float16 tops out at 65504 and has 3 significant digits, so the reconstruction and the per-value squared error (e.g. 300² = 90000 → inf) can overflow before the loss is even averaged. Keras's mixed precision guide keeps the last layer in float32: add \`dtype="float32"\` to it.`,
        });
      }
    }
    const text = ctx.sourceText(model.path);
    if (text !== undefined && /GradientTape\s*\(/.test(text) && !/LossScaleOptimizer/.test(text) && !/\.fit\s*\(/.test(text)) {
      const line = text.split('\n').findIndex((l) => /GradientTape\s*\(/.test(l));
      hits.push({
        location: { path: model.path, range: { start: { line, character: 0 }, end: { line, character: text.split('\n')[line].length } } },
        message: `a custom GradientTape loop under ${policy.value} without a LossScaleOptimizer: gradients below 6e-8 underflow to 0 in float16, and nothing rescales the loss to prevent it (compile() does this for fit(), a hand-written loop must wrap the optimizer itself)`,
        explanation: 'Wrap the optimizer in `keras.mixed_precision.LossScaleOptimizer` and use its `scale_loss` (Keras 3) or `get_scaled_loss`/`get_unscaled_gradients` (tf.keras) in the loop.',
      });
    }
    return hits;
  },
};
