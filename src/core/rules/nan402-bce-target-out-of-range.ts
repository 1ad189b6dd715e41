import { isBinaryCrossentropy, lossFromLogits, reachingStats } from './helpers/data-checks';
import { featureName, fmt, lastValueChange, layerAnchor, outputActivation, pixelTargets, range } from './helpers/facts';
import { replaceActivationFix } from './helpers/fixes';
import type { Rule, RuleHit } from './rule';

export const bceTargetOutOfRange: Rule = {
  id: 'NAN402',
  name: 'bce-target-out-of-range',
  cause: 'bce-target-out-of-range',
  title: 'Binary cross-entropy with targets outside [0, 1] or an output not in (0, 1)',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Checks models compiled with `binary_crossentropy` (without `from_logits=True`): the targets must lie in [0, 1] and the output layer must produce (0, 1) (sigmoid or softmax). It fires when the known targets reach outside [0, 1] (pixels not divided by 255, standardised data) or when the output activation is linear, relu or tanh.',
    whyItFails:
      "Binary cross-entropy is -(y log p + (1 - y) log(1 - p)), a proper loss only for y in [0, 1]. With y = 255 its minimum is not at p = y but at the edge: the loss keeps falling as p -> 1, down to 254 × log(1e-7) ≈ -4094 per value where Keras clips p, so training pushes every output to saturation and the reported loss goes negative without meaning anything. With standardised targets (y < 0) the term y log p rewards p -> 0 instead. With a linear or relu output, Keras clips p into [1e-7, 1 - 1e-7] before the log; outside that interval the clip's gradient is exactly 0, so units that leave it stop learning.",
    example: [
      '```python',
      'x_train = x_train.astype("float32")   # 0-255, not divided',
      "autoencoder.compile(optimizer='adam', loss='binary_crossentropy')",
      'autoencoder.fit(x_train, x_train, epochs=20)',
      '```',
    ].join('\n'),
    fix: ['Scale the targets into [0, 1] (`/ 255.` for images, `MinMaxScaler` for tabular data) and use a sigmoid output; or use MSE for targets that are not in [0, 1].', '', '```python', 'x_train = x_train.astype("float32") / 255.', '```'].join('\n'),
    measured: 'never NaN; loss goes negative and nothing is learnt (targets 0-255) in 8 of 8 seeds',
    evidence: 'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN402.py`, 8 seeds, a 64-32-8-32-64 Dense autoencoder, Adam, 5 epochs): with targets 0-255 and a sigmoid output the binary cross-entropy goes to -2.3e5 to -5.5e5 and the reconstruction MSE stays at 1.7e4-2.2e4, six to eight times the variance of the targets (nothing learnt, NaN in none of the 8 seeds); with standardised targets the loss goes negative (-1.9 to -5.1); with a linear or relu output on targets in [0, 1] the loss sticks at 2.3-3.8 and the MSE stays at 0.10-0.38, against 0.021-0.024 for the fixed model (sigmoid output, targets in [0, 1]). None of the 40 runs went NaN: the model does not learn, so the rule is a warning rather than an error.',
  },
  check(ctx) {
    const { model } = ctx;
    if (!isBinaryCrossentropy(model) || lossFromLogits(model)) return [];
    const hits: RuleHit[] = [];
    const target = model.data.target ?? model.data.train;
    const stats = target ? reachingStats(target) : undefined;
    const anchor = model.compile?.loss.location ?? model.compile?.location;
    if (target && stats && !pixelTargets(model)) {
      let worst: { i: number; d: number } | undefined;
      stats.forEach((s, i) => {
        const d = Math.max(s.max - 1, -s.min);
        if (Number.isFinite(d) && d > 1e-6 && (!worst || d > worst.d)) worst = { i, d };
      });
      if (worst && anchor) {
        const s = stats[worst.i];
        const below = s.min < 0;
        hits.push({
          location: anchor,

          message: `binary cross-entropy needs targets in [0, 1], but ${featureName(s, worst.i)} of ${target.name} spans ${range(s)}: ${below ? 'negative targets reward pushing the output to 0' : `the loss keeps falling as the output saturates at 1 (down to about ${fmt(-(s.max - 1) * 16.12)} per value)`}, so it goes negative and the model does not learn the data`,
          related: target.location ? [{ location: target.location, message: `${target.name} defined here (${range(s)})` }] : [],
          explanation: `-(y log p + (1 - y) log(1 - p)) has its minimum at p = y only when 0 <= y <= 1. For y = ${fmt(below ? s.min : s.max)} the loss is minimised at the edge of what Keras allows (p clipped to [1e-7, 1 - 1e-7]), so the model learns to saturate instead of reconstructing, and the loss value (negative) says nothing about reconstruction. Scale the targets into [0, 1]${s.max <= 255 && s.min >= 0 ? ' (divide by 255 for 8-bit data)' : ''}, or use MSE.`,
        });
      }
    }
    if (target && !stats && anchor) {
      // Values unknown, but standardised data is centred at 0: about half of it is negative.
      const last = lastValueChange(target.transforms, ['noise']);
      const standardised = last && ((last.kind === 'scaler' && (last.scaler === 'StandardScaler' || last.scaler === 'RobustScaler')) || (last.kind === 'divide' && last.by === 'std'));
      if (standardised) {
        hits.push({
          location: anchor,
          message: `binary cross-entropy needs targets in [0, 1], but ${target.name} is standardised (mean 0, standard deviation 1): about half of the targets are negative and some exceed 1, so the loss goes negative and the model does not learn the data`,
          related: target.location ? [{ location: target.location, message: `${target.name} standardised here` }] : [],
          explanation: 'For y < 0 the term y log p rewards pushing p to 0; for y > 1 the term (1 - y) log(1 - p) rewards pushing p to 1. Either way the minimum is not at p = y. Use MSE on standardised data, or MinMaxScaler to [0, 1] with a sigmoid output.',
        });
      }
    }
    const out = outputActivation(model);
    if (out && !(out.range.low !== null && out.range.low >= 0 && out.range.high !== null && out.range.high <= 1)) {
      const location = layerAnchor(model, out.layer);
      const act = out.layer.origins?.['activation'];
      const text = act && (act.kind === 'literal' || act.kind === 'config') ? ctx.sourceText(act.location.path) : undefined;
      const fix = act && text !== undefined && (act.kind === 'literal' || act.kind === 'config') ? replaceActivationFix(text, act.location, 'sigmoid', true) : undefined;
      if (location) {
        hits.push({
          location,

          message: `binary cross-entropy on a ${out.activation} output: it can produce values outside (0, 1), which Keras clips to [1e-7, 1 - 1e-7] before the log, and the clip's gradient is 0 outside that interval, so those outputs stop learning (use a sigmoid output, or from_logits=True)`,
          fixes: fix ? [fix] : [],
          explanation: `Keras computes binary cross-entropy on probabilities. The output layer **${out.layer.name}** uses \`${out.activation}\`, whose values are not probabilities: ${out.activation === 'relu' ? 'every negative pre-activation gives exactly 0, clipped to 1e-7 with zero gradient' : 'anything outside (0, 1) is clipped with zero gradient'}. Use \`sigmoid\`, or keep the linear output and pass \`from_logits=True\` to the loss.`,
        });
      }
    }
    return hits;
  },
};
