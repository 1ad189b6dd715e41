import type { LayerSpec, ModelSpec } from '../ir';
import { describeOrigin, fitAnchor, fmt, inputDim, layerAnchor, outputActivation, unscaledTrainInput } from './helpers/facts';
import { addKeywordArgument } from './helpers/fixes';
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
  defaultSeverity: 'info',
  docs: {
    whatItDoes:
      "Fires when a `mixed_float16` (or `float16`) policy is set and the model's output layer is not kept in float32 (`dtype=\"float32\"` on the last layer, or a final `Activation('linear', dtype='float32')`), and when a custom training loop with `GradientTape` runs under that policy without a `LossScaleOptimizer`.",
    whyItFails:
      "float16 has a largest finite value of 65504, a smallest normal value of 6.1e-5 and about 3 significant digits. Under mixed_float16 every layer computes in float16 unless told otherwise, the output layer included: a reconstruction above 65504 is inf, and the output carries only 3 digits of precision. Keras 3 computes the loss in float32 and `compile` wraps the optimizer in a LossScaleOptimizer, so a `fit` run survives where older setups overflowed (a squared error of 256 is already 65536, past float16's limit). A hand-written GradientTape loop gets no loss scaling: gradients below about 6e-8 underflow to 0 in float16, and large ones overflow. The TensorFlow mixed precision guide keeps the output layer in float32 for these reasons.",
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
    measured: 'float16 output: NaN in 0 of 8 seeds; raw inputs up to 1e5: NaN from batch 1 in 8 of 8',
    evidence: "Trained for real in Keras 3.15 (CPU, `test/evidence/NAN403.py`, a 16-64-8-64-16 Dense autoencoder under mixed_float16, Adam, MSE, 3 epochs, 8 seeds): with the output layer in float16 the losses on raw data up to 300 and up to 1000 matched the float32-output model to four digits in every seed (1.05e4-2.38e4 and 1.33e5-2.86e5) and none of the 8 went NaN, nor on data scaled to [0, 1]: Keras 3 computes the loss in float32 and `compile` adds loss scaling. What stays at risk is the output tensor itself (float16 overflows above 65504) and hand-written loops without loss scaling. Hence a note (info), not a warning. Inputs large enough to overflow the float16 hidden layers are another matter, and the rule calls them an error: raw values up to 100000 (past 65504 themselves) give a NaN loss from the first batch in 8 of 8 seeds even with the output layer in float32; raw values up to 50000 (the first layer's sums past 65504) go NaN in 6 of 8 seeds (in the first epoch in 4, the third in 2), with the output in float16 or float32 alike.",
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
          message:
            policy.value === 'float16'
              ? `float16 everywhere (${describeOrigin(policy.origin)}): the output layer ${layer.name}, the loss and the optimizer's state all compute in float16, whose largest value is 65504 and which keeps about 3 significant digits; mixed precision (mixed_float16) keeps the weights and the optimizer in float32`
              : `the ${policy.value} policy (${describeOrigin(policy.origin)}) makes the output layer ${layer.name} compute in float16, whose largest value is 65504 and which keeps about 3 significant digits: keep the output in float32, as Keras's mixed precision guide does (Keras 3 computes the loss itself in float32)`,
          fixes: edit ? [{ title: 'Compute the output layer in float32: dtype="float32"', edits: [edit], preferred: true }] : [],
          explanation: `Under \`${policy.value}\` every layer computes in float16 unless told otherwise. float16 tops out at 65504 and has 3 significant digits, so the reconstruction and the per-value squared error (e.g. 300² = 90000 → inf) can overflow before the loss is even averaged. Keras's mixed precision guide keeps the last layer in float32: add \`dtype="float32"\` to it.`,
        });
      }
    }
    // Inputs so large that float16 activations overflow: the input itself past 65504, or the first layer's sums.
    const big = unscaledTrainInput(model, 2048);
    const fanIn = inputDim(model) ?? 1;
    if (big) {
      const preActivation = big.worst.maxAbs * Math.sqrt(fanIn) * 0.5;
      if (big.worst.maxAbs > 65504 || preActivation > 65504) {
        const location = big.data.location ?? fitAnchor(model);
        if (location) {
          hits.push({
            location,
            severity: 'error',
            message: `under ${policy.value} the hidden layers compute in float16 (largest value 65504), and ${big.data.name} reaches ${fmt(big.worst.maxAbs)} unscaled: ${big.worst.maxAbs > 65504 ? 'the inputs themselves overflow to inf when cast to float16' : `the first layer's sums over ${fanIn} inputs reach about ${fmt(preActivation)}, past 65504`}, and inf becomes NaN in the next operations`,
            explanation: `float16 cannot hold values above 65504. With inputs up to ${fmt(big.worst.maxAbs)}, a Dense layer's pre-activation (a sum of ${fanIn} weighted inputs, weights around ±0.5) is of order ${fmt(preActivation)}. inf - inf and 0 × inf are NaN, so the loss goes NaN ${big.worst.maxAbs > 65504 ? 'from the first batch (8 of 8 Keras seeds with inputs up to 100000)' : 'within the first epochs (6 of 8 Keras seeds with inputs up to 50000: 4 in the first epoch, 2 in the third)'}. Scale the inputs; keeping the output layer in float32 does not help here.`,
          });
        }
      }
    }
    const loop = model.customTrainingLoop;
    if (loop && !loop.lossScaled) {
      hits.push({
        severity: 'warning',
        location: loop.location,
        message: `a custom GradientTape loop under ${policy.value} without a LossScaleOptimizer: gradients below 6e-8 underflow to 0 in float16, and nothing rescales the loss to prevent it (compile() does this for fit(), a hand-written loop must wrap the optimizer itself)`,
        explanation: 'Wrap the optimizer in `keras.mixed_precision.LossScaleOptimizer` and use its `scale_loss` (Keras 3) or `get_scaled_loss`/`get_unscaled_gradients` (tf.keras) in the loop.',
      });
    }
    return hits;
  },
};
