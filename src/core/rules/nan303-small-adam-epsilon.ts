import type { Severity } from '../findings';
import { describeOrigin, fmt, originLocation, unscaledTrainInput, fitAnchor } from './helpers/facts';
import { addOptimizerArgumentFix, replaceNumberFix } from './helpers/fixes';
import type { Rule, RuleContext, RuleHit } from './rule';

/** Optimizers that divide by sqrt(v) + epsilon. */
const EPSILON_OPTIMIZERS = new Set(['Adam', 'AdamW', 'Adamax', 'Nadam', 'RMSprop', 'Adagrad', 'Adadelta']);
const KERAS_EPSILON = 1e-7;
/** "Far below 1e-7": three orders of magnitude. */
const FAR_BELOW = KERAS_EPSILON / 1000;
/** Adam's relatives, whose default epsilon sends float16 training to NaN (test/evidence/NAN303.py). */
const ADAM_FAMILY = new Set(['Adam', 'AdamW', 'Adamax', 'Nadam']);
/** The epsilon that trained under float16 in every seed, as the thread behind keras-team/keras#11853 found. */
const FLOAT16_EPSILON = 1e-4;

/**
 * Under float16 everywhere (`K.set_floatx('float16')`, not `mixed_float16`, which keeps the
 * optimizer's state in float32), Adam's default epsilon is a subnormal (1e-7 rounds to 1.2e-7), and
 * squared gradients below 6e-8 round to 0: the step m / (sqrt(v) + epsilon) becomes hundreds of
 * times the learning rate.
 */
function float16EpsilonHits(ctx: RuleContext): RuleHit[] {
  const { model } = ctx;
  const opt = model.compile?.optimizer;
  const policy = model.dtypePolicy;
  if (!opt || !policy || policy.value !== 'float16' || !ADAM_FAMILY.has(opt.className)) return [];
  // An epsilon the code writes; Keras's default counts as none written (the fix then adds one).
  const eps = opt.epsilon && opt.epsilon.origin.kind !== 'default' ? opt.epsilon : undefined;
  const value = eps && typeof eps.value === 'number' ? eps.value : KERAS_EPSILON;
  if (value >= FLOAT16_EPSILON || value < FAR_BELOW) return [];
  const location = (eps ? originLocation(eps.origin) : undefined) ?? opt.location ?? fitAnchor(model);
  if (!location) return [];
  const epsLocation = eps ? originLocation(eps.origin) : undefined;
  const text = (epsLocation ?? opt.location) ? ctx.sourceText((epsLocation ?? opt.location)!.path) : undefined;
  const title = `Give ${opt.className} an epsilon float16 can hold: ${FLOAT16_EPSILON}`;
  const fix = text === undefined ? undefined : eps ? replaceNumberFix(text, eps.origin, FLOAT16_EPSILON, title) : opt.location ? addOptimizerArgumentFix(text, opt.location, opt.className, 'epsilon', String(FLOAT16_EPSILON), title) : undefined;
  return [
    {
      location,
      severity: 'error',
      message: `${opt.className} with epsilon ${fmt(value)}${eps ? ` ${describeOrigin(eps.origin)}` : " (Keras's default)"} under float16 (${describeOrigin(policy.origin)}): squared gradients below 6e-8 round to 0 in float16, and a step of m / (sqrt(0) + ${fmt(value)}) is hundreds of times the learning rate: expect NaN in the first epoch (pass epsilon=${FLOAT16_EPSILON} to ${opt.className}; K.set_epsilon does not reach Keras 3's optimizers)`,
      related: [{ location: originLocation(policy.origin) ?? location, message: 'float16 is set here' }],
      fixes: fix ? [fix] : [],
      explanation: `With every tensor in float16, ${opt.className}'s running averages are float16 too. float16's smallest value is about 6e-8, so a gradient below about 2.4e-4 squares to 0 and v stays 0 while m does not. The step lr × m / (sqrt(v) + ε) is then m / ${fmt(value)} times the learning rate: for m = 1e-4, about ${fmt(1e-4 / value)} × lr. Weights jump, activations overflow 65504, and the loss is NaN. An epsilon of ${FLOAT16_EPSILON} keeps the step bounded. In Keras 3, \`K.set_epsilon(1e-4)\` (the classic advice) no longer changes the optimizers' epsilon: pass it to the optimizer.`,
    },
  ];
}

export const smallAdamEpsilon: Rule = {
  id: 'NAN303',
  name: 'small-adam-epsilon',
  cause: 'small-adam-epsilon',
  title: 'Adam/RMSprop epsilon too small for the data',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      "Flags an `epsilon` of Adam, RMSprop and their relatives far below Keras's default 1e-7 (below 1e-10): as an error when it is 0, as a note otherwise. Under float16 everywhere (`K.set_floatx('float16')`, a `float16` dtype policy; not `mixed_float16`, which keeps the optimizer in float32) it flags Adam and its relatives left at an epsilon below 1e-4, Keras's default included, as an error. It also notes Adam on inputs that reach the network unscaled, to say what really happens there.",
    whyItFails:
      "Adam's update is lr * m / (sqrt(v) + epsilon), where m and v are running averages of the gradient and its square. A weight whose gradient is exactly zero (the incoming weights of a dead relu unit, an unused bias) has m = v = 0, so with epsilon = 0 the update is 0/0 = NaN, and that NaN spreads to every weight it touches in the next forward pass. With a tiny but non-zero epsilon, a weight with a vanishing gradient (v of 1e-20) gets steps of the full learning rate in whatever direction the noise points. Keras's 1e-7 exists to prevent both.",
    example: [
      '```python',
      'from tensorflow import keras',
      '',
      "autoencoder.compile(optimizer=keras.optimizers.Adam(epsilon=0.0), loss='mse')",
      '```',
    ].join('\n'),
    fix: ['Keep the default epsilon (1e-7), or raise it (1e-4 to 1e-3) when training is noisy.', '', '```python', "autoencoder.compile(optimizer=keras.optimizers.Adam(), loss='mse')", '```'].join('\n'),
    measured: 'NaN in the first epoch in 8 of 8 seeds (epsilon=0); float16 at the default: 7 of 8',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN303.py`, 8 seeds, a 16-64-2-64-16 relu autoencoder on data in [0, 1]): with `epsilon=0.0` the loss is NaN in the first epoch in 8 of 8 seeds (dead relu units have zero gradients, 0/0 = NaN); with 1e-12 the losses match the default 1e-7 to four digits and nothing goes NaN. Hence an error for 0 and a note for a tiny non-zero epsilon. Adam with the default epsilon on data up to 1000 never went NaN either: it stalled at losses of 7.2e4-3.3e5 in 8 of 8 seeds, about the data\'s variance or more. Under float16 everywhere (a 64-32-8-32-64 relu autoencoder on data in [0, 1], MSE, 5 epochs, 8 seeds): Adam at its default epsilon goes NaN in the first epoch in 7 of 8 seeds; `K.set_epsilon(1e-4)`, the fix given in keras-team/keras#11853, changes nothing in Keras 3 (7 of 8); `Adam(epsilon=1e-4)` trains in 8 of 8 (0.081-0.083), and so does SGD. Hence an error.',
  },
  check(ctx) {
    const { model, thresholds } = ctx;
    const opt = model.compile?.optimizer;
    if (!opt || !EPSILON_OPTIMIZERS.has(opt.className)) return [];
    const hits: RuleHit[] = float16EpsilonHits(ctx);
    const eps = opt.epsilon;
    if (eps && typeof eps.value === 'number' && eps.value < FAR_BELOW) {
      const location = originLocation(eps.origin) ?? opt.location ?? fitAnchor(model);
      if (location) {
        const zero = eps.value <= 0;
        // Keras: epsilon 0 went NaN in the first batch in every seed; 1e-12 trained like the default.
        const severity: Severity = zero ? 'error' : 'info';
        const loc = originLocation(eps.origin);
        const text = loc ? ctx.sourceText(loc.path) : undefined;
        const fix = text !== undefined ? replaceNumberFix(text, eps.origin, KERAS_EPSILON, `Use Keras's default epsilon, ${KERAS_EPSILON}`) : undefined;
        hits.push({
          location,
          severity,
          message: zero
            ? `${opt.className} epsilon is 0 ${describeOrigin(eps.origin)}: any weight with a zero gradient (a dead relu unit) gets the update 0/0 = NaN`
            : `${opt.className} epsilon ${fmt(eps.value)} ${describeOrigin(eps.origin)} is ${fmt(KERAS_EPSILON / eps.value)} times below Keras's default 1e-7: weights with vanishing gradients take full-size steps, and at 0 the update becomes 0/0 = NaN`,
          fixes: fix ? [fix] : [],
          explanation: `${opt.className} divides by sqrt(v) + epsilon, where v is the running mean of the squared gradient. ${zero ? 'With epsilon = 0, a weight whose gradient has always been exactly zero has v = 0 and m = 0, and its update is 0/0 = NaN.' : `With epsilon = ${fmt(eps.value)}, a weight whose gradient is around 1e-10 gets an update of about the full learning rate, driven by noise.`} Keras's default 1e-7 keeps the denominator away from zero.`,
        });
      }
    }
    const unscaled = (opt.className === 'Adam' || opt.className === 'AdamW' || opt.className === 'Nadam') ? unscaledTrainInput(model, thresholds.unscaledAbsMax) : undefined;
    if (unscaled) {
      const location = originLocation(opt.learningRate.origin) ?? opt.location ?? fitAnchor(model);
      if (location) {
        hits.push({
          location,
          severity: 'info',
          message: `${opt.className} on unscaled inputs (${unscaled.data.name} up to ${fmt(unscaled.worst.maxAbs)}): ${opt.className} does not go NaN here, it normalises each step to about the learning rate (${fmt(opt.learningRate.value)}), so it learns very slowly; scaling the data is the fix`,
          explanation: `Adam's step is lr × m / (sqrt(v) + ε) ≈ lr × sign(gradient) once the gradient is large: huge gradients from unscaled data do not make huge steps. What they do is make every step tiny relative to values of ${fmt(unscaled.worst.maxAbs)}, so the reconstruction creeps toward the data. Scale the inputs (NAN101).`,
        });
      }
    }
    return hits;
  },
};
