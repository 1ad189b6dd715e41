import type { ModelSpec, NumericOp } from '../ir';
import { numericsOf } from './helpers/data-checks';
import { fmt, unscaledTrainInput } from './helpers/facts';
import { clipExpression, replaceWithinFix } from './helpers/fixes';
import { logVarianceName } from './helpers/vae';
import type { Rule, RuleContext, RuleHit } from './rule';

/** Activations and wrappers that bound a value or make exp of it safe. */
const BOUNDED = /clip|softplus|tanh|sigmoid|hard_sigmoid|minimum|maximum|relu6/i;


/**
 * Whether the log-variance is bounded where it is made: its Dense layer has a bounded
 * activation, or an assignment to the variable clips it.
 */
function boundedWhereMade(model: ModelSpec, name: string, op: NumericOp): boolean {
  const layer = model.layers.find((l) => l.name === name || l.name.replace(/_/g, '') === name.replace(/_/g, ''));
  if (layer) {
    const act = layer.config['activation'];
    if (typeof act === 'string' && BOUNDED.test(act)) return true;
  }
  return op.boundedVariables?.includes(name) ?? false;
}

export const expOverflowVae: Rule = {
  id: 'NAN401',
  name: 'exp-overflow-vae',
  cause: 'exp-overflow-vae',
  title: 'exp of an unbounded log-variance in a VAE sampling layer or KL term',
  defaultSeverity: 'info',
  docs: {
    whatItDoes:
      "Finds `exp(z_log_var)` or `exp(0.5 * z_log_var)` (also `K.exp`, `tf.exp`, `ops.exp`) in a VAE's sampling function, sampling layer or KL loss, where the log-variance comes from a Dense layer with no bounded activation and is not clipped (`clip_by_value`, `softplus`, `tanh`) anywhere it is assigned.",
    whyItFails:
      'float32 `exp` overflows to inf above about 88.7 (exp(88.7) = 3.4e38, the largest float32). A Dense log-variance head is unbounded: when the encoder sees large inputs or takes a large step, z_log_var can jump past 88.7 in one update. exp(z_log_var) is then inf, the KL term 1 + z_log_var - z_mean² - exp(z_log_var) is -inf, the sampled z = z_mean + inf × eps is ±inf or NaN (inf × 0), and the next gradient is NaN everywhere. On the other side, a very negative log-variance makes exp underflow to 0, which is harmless forward but leaves the sampling noise at 0. Clipping the log-variance to [-10, 10] keeps exp within [4.5e-5, 2.2e4].',
    example: [
      '```python',
      'z_mean = layers.Dense(latent_dim, name="z_mean")(h)',
      'z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)',
      '',
      'def sampling(args):',
      '    z_mean, z_log_var = args',
      '    eps = K.random_normal(shape=K.shape(z_mean))',
      '    return z_mean + K.exp(0.5 * z_log_var) * eps',
      '```',
    ].join('\n'),
    fix: ['Clip the log-variance before it reaches `exp` (or produce it with a bounded activation).', '', '```python', 'z_log_var = tf.clip_by_value(z_log_var, -10.0, 10.0)', '```'].join('\n'),
    measured: 'NaN in the first epoch in 5 of 8 seeds on raw 0-255 data; 0 of 8 on data in [0, 1]',
    evidence: "Trained for real in Keras 3.15 (CPU, `test/evidence/NAN401.py`, a 64-32-(2+2)-32-64 VAE whose sampling layer adds the KL term and samples with exp(0.5 × z_log_var), 5 epochs): on data in [0, 1] with Adam the unclipped VAE trains (loss 0.036), also at learning rate 0.05. On the same data as raw 0-255 values the unclipped VAE goes NaN in the first epoch with Adam, while clipping z_log_var to [-10, 10] keeps it finite (loss 3.4e4, still unscaled). With SGD on raw values both go NaN (that is NAN101's unscaled-input divergence). Over 8 seeds each: the unclipped VAE on data in [0, 1] never went NaN (0 of 8 at the default learning rate, 0 of 8 at 0.05; final losses 0.025-0.041); on raw 0-255 values it went NaN in the first epoch in 5 of 8 seeds, and clipped to [-10, 10] in 0 of 8. Hence an error when the inputs reach the network unscaled, and only a note otherwise: the standard VAE, on scaled data, trains. The sampling layer and the KL term of one log-variance are one finding, the other place given as related.",
  },
  check(ctx: RuleContext) {
    const { model } = ctx;
    const hits: RuleHit[] = [];
    const unscaled = unscaledTrainInput(model, ctx.thresholds.unscaledAbsMax);
    // One finding per log-variance: the sampling layer and the KL term share one root cause.
    const byName = new Map<string, RuleHit>();
    for (const op of numericsOf(model, ['exp'], ['layer', 'loss', 'other', 'data'])) {
      if (op.guarded) continue;
      const name = logVarianceName(op);
      if (!name) continue;
      // A name already reported was already found unbounded: its other places are related information.
      const first = byName.get(name);
      if (first) {
        (first.related ??= []).push({ location: op.location, message: `exp(${op.argument.trim()}): the same log-variance` });
        continue;
      }
      const text = ctx.sourceText(op.location.path);
      if (boundedWhereMade(model, name, op)) continue;
      const clip = text !== undefined ? clipExpression(text, name, -10, 10) : undefined;
      const fix = clip && text !== undefined ? replaceWithinFix(text, op.location, name, clip, `Clip ${name} to [-10, 10] before exp`, true) : undefined;
      // Evidence (test/evidence/NAN401.py): on scaled data the unclipped VAE trains in every seed; on raw values it goes NaN.
      const severity = unscaled ? 'error' : 'info';
      const because = unscaled
        ? `, and the inputs reach up to ${fmt(unscaled.worst.maxAbs)} unscaled, which drives it there in the first updates`
        : '';
      const hit: RuleHit = {
        location: op.location,
        severity,
        message: unscaled
          ? `exp(${op.argument.trim()}) on an unbounded log-variance (${name} is a Dense output with no clip or bounded activation): float32 exp overflows to inf above 88.7, and inf in the sampling or KL term makes the loss NaN${because}`
          : `exp(${op.argument.trim()}) on an unbounded log-variance (${name} is a Dense output with no clip or bounded activation): on scaled inputs such a VAE trains, but nothing keeps ${name} below 88.7, where float32 exp overflows to inf; a clip to [-10, 10] makes sure`,
        fixes: fix ? [fix] : [],
        explanation: `\`${name}\` can take any value, and \`exp\` of it is inf once it passes about 88.7 (${op.argument.includes('0.5') ? '177 for exp(0.5 × log_var)' : 'the float32 limit'}). The KL term \`- exp(${name})\` is then -inf and the sample z = mean + exp(...) × eps is ±inf, or NaN where eps is 0; the next gradient is NaN and so is every weight after it. Clipping to [-10, 10] keeps the variance between 4.5e-5 and 2.2e4, far from both limits.`,
      };
      byName.set(name, hit);
      hits.push(hit);
    }
    return hits;
  },
};
