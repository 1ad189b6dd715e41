import type { DataSpec, FeatureStats, LayerSpec, ModelSpec, NumericOp } from '../ir';
import { lossName } from '../keras/names';
import { customActivityRegularizer } from '../keras/regularizers';
import { arraysOf, columnName, count, numericsOf, ofWhat, sameStart, sampledNote, sourceStatsOf } from './helpers/data-checks';
import { activationOf, fmt, isPassThroughLayer, isValueNeutral, lastValueChange, layerAnchor, outputActivation } from './helpers/facts';
import { epsilonInCallFix, log1pFix, replaceActivationFix } from './helpers/fixes';
import type { Rule, RuleContext, RuleHit } from './rule';

/** `np.power(x, 0.5)`, `np.power(x, 1/3)`: a fractional exponent is NaN for negative x. */
function fractionalPower(op: NumericOp): boolean {
  return op.fn === 'pow' && op.exponent !== undefined && op.exponent > 0 && !Number.isInteger(op.exponent);
}

/** The array a data-context op applies to: the one with a transform at the same place, else one whose name is the argument. */
function dataFor(ctx: RuleContext, op: NumericOp): DataSpec | undefined {
  const arrays = arraysOf(ctx.model).map((r) => r.data);
  const byTransform = arrays.find((d) => d.transforms.some((t) => sameStart(t.location, op.location)));
  if (byTransform) return byTransform;
  const name = /^[A-Za-z_]\w*/.exec(op.argument)?.[0];
  return arrays.find((d) => d.name === name);
}

/** Activations whose output is exactly 0 for every negative input: sqrt'(0) is inf there. */
const EXACT_ZERO_ACTIVATIONS = new Set(['relu', 'relu6']);
/** Activations whose output goes below 0: sqrt of it is NaN in the forward pass. */
const NEGATIVE_ACTIVATIONS = new Set(['linear', 'tanh', 'elu', 'selu', 'leaky_relu', 'softsign', 'hard_tanh']);

/** The layer a layer-context op sits in (a `Lambda` whose call spans the op). */
function layerAt(model: ModelSpec, op: NumericOp): LayerSpec | undefined {
  const line = op.location.range.start.line;
  return model.layers.find((l) => l.location && l.location.path === op.location.path && l.location.range.start.line <= line && line <= l.location.range.end.line);
}

/** The activation of what feeds `layer`, looking through layers that do not change values (Flatten, Dropout). */
function feedingActivation(model: ModelSpec, layer: LayerSpec): { activation: string; layer: LayerSpec } | undefined {
  let current: LayerSpec | undefined = layer;
  for (let hops = 0; current && hops < model.layers.length; hops++) {
    const index = model.layers.indexOf(current);
    const feeding: LayerSpec | undefined = current.inbound && current.inbound.length > 0 ? (current.inbound.length === 1 ? model.layers.find((l) => l.name === current!.inbound![0]) : undefined) : model.layers[index - 1];
    if (!feeding) return undefined;
    if (!isPassThroughLayer(feeding)) {
      const activation = activationOf(feeding);
      return activation ? { activation, layer: feeding } : undefined;
    }
    current = feeding;
  }
  return undefined;
}

/**
 * sqrt inside the model, on a layer's output: of a relu's exact zeros, the backward pass multiplies
 * sqrt'(0) = inf by relu's zero gradient (NaN from the second batch, test/evidence/NAN106.py); of a
 * linear or tanh output, half the values are negative and the forward pass is NaN.
 */
function layerSqrtHit(model: ModelSpec, op: NumericOp, text: string | undefined): RuleHit | undefined {
  if (op.fn !== 'sqrt' || op.context !== 'layer') return undefined;
  const layer = layerAt(model, op);
  const fed = layer ? feedingActivation(model, layer) : undefined;
  if (!layer || !fed) return undefined;
  const zeros = EXACT_ZERO_ACTIVATIONS.has(fed.activation);
  if (!zeros && !NEGATIVE_ACTIVATIONS.has(fed.activation)) return undefined;
  const fix = zeros && text !== undefined ? epsilonInCallFix(text, op.location, op.argument.trim(), '1e-6', 'Keep sqrt off 0: sqrt(x + 1e-6)') : undefined;
  const what = `sqrt(${op.argument.trim()}) in ${layer.name} on the ${fed.activation} output of ${fed.layer.name}`;
  return {
    location: op.location,
    severity: 'error',
    message: zeros
      ? `${what}: a ${fed.activation} output is exactly 0 for every negative pre-activation, where sqrt's gradient 1 / (2 sqrt(x)) is inf, and inf × relu's zero gradient is NaN: expect NaN from the first batches (sqrt(x + 1e-6) trains)`
      : `${what}: that output is negative for about half of its values, and sqrt of a negative number is NaN from the first batch`,
    fixes: fix ? [fix] : [],
    explanation: zeros
      ? `The forward pass is fine: sqrt(0) = 0. The backward pass is not: the gradient of sqrt at 0 is inf, and the ${fed.activation}'s gradient for a negative pre-activation is 0, so the chain rule gives inf × 0 = NaN, which reaches every weight of ${fed.layer.name} at the first update. In Keras (keras-team/keras#13203's model, 8 seeds) the loss was NaN from the second batch in 8 of 8; with \`sqrt(x + 1e-6)\` in 0 of 8.`
      : `A ${fed.activation} output takes negative values, and in float32 sqrt(x) for x < 0 is NaN. Apply sqrt to something non-negative (a softplus, a square, \`x + eps\` of a relu output).`,
  };
}

/**
 * A log in a custom activity regularizer (a KL sparsity penalty, log(p / mean(a))) on a layer whose
 * output goes below 0: the mean activation of some unit is negative, and the log of a negative
 * ratio is NaN in the first batch (keras-team/keras#6615, test/evidence/NAN106.py).
 */
function regularizerLogHits(model: ModelSpec): RuleHit[] {
  // One finding per regularizer's log, naming every layer it is put on; the first layer's output decides the words.
  const groups = new Map<NumericOp, { reg: NonNullable<ReturnType<typeof customActivityRegularizer>>; layers: { layer: LayerSpec; activation: string }[] }>();
  for (const layer of model.layers) {
    const reg = customActivityRegularizer(layer);
    const activation = activationOf(layer);
    if (!reg || !activation || (!NEGATIVE_ACTIVATIONS.has(activation) && !EXACT_ZERO_ACTIVATIONS.has(activation))) continue;
    const name = reg.functionName ?? reg.className;
    const op = model.numerics.find((n) => n.fn === 'log' && !n.guarded && name !== undefined && n.activationsOf?.includes(name));
    if (!op) continue;
    const group = groups.get(op) ?? { reg, layers: [] };
    group.layers.push({ layer, activation });
    groups.set(op, group);
  }
  return [...groups].map(([op, { reg, layers }]) => {
    const [{ layer, activation }] = layers;
    const negative = NEGATIVE_ACTIVATIONS.has(activation);
    // A conv layer's mean is taken per position: some position no image activates is all but certain.
    const conv = /^Conv/.test(layer.className);
    const where = `log(${op.argument.trim()}) in the activity regularizer ${reg.text} of ${layers.map((l) => l.layer.name).join(' and ')}, whose output${layers.length > 1 ? 's are' : ' is'} ${activation}`;
    const related = layers.flatMap(({ layer: l, activation: a }, i) => (l.location ? [{ location: l.location, message: i === 0 ? `${l.name}: activity_regularizer on a ${a} output` : `${l.name}: the same regularizer on a ${a} output` }] : []));
    return {
      location: op.location,
      severity: negative || conv ? 'error' : 'warning',
      message: negative
        ? `${where}: the mean activation of some units is negative (or 0), and the log of a negative ratio is NaN from the first batch (apply the regularizer to a sigmoid output, or clip the mean into (0, 1))`
        : `${where}: a unit whose mean over the batch is exactly 0 (a ${activation} that never fires${conv ? ', as a conv unit at some position does' : ''}) gives ${/\//.test(op.argument) ? 'log of a division by 0, inf' : 'log(0) = -inf'}${conv ? ' from the first batch' : ''} (clip the mean into (0, 1) before the log)`,
      related,
      explanation: negative
        ? `Keras calls an activity regularizer on the layer's output, before any activation layer that follows it. ${layer.name}'s output is ${activation}, so a unit's mean activation over the batch can be negative, and a KL sparsity penalty's log(p / mean) or log((1 - p) / (1 - mean)) of it is NaN (or inf at 0) in the first batch; the gradient then makes every weight NaN. In Keras (keras-team/keras#6615's layers, 8 seeds) the loss was NaN at the first batch in 8 of 8. Give the layer a sigmoid activation, or clip the mean into (0, 1) before the log.`
        : `A ${activation} output is exactly 0 wherever its pre-activation is negative. ${conv ? `A conv layer's mean over the batch is taken at every position of every filter, so some position that no image in the batch activates is all but certain` : 'A unit that no sample in the batch activates'}: its mean is 0, and a KL sparsity penalty's log(p / mean) is log(p / 0) = inf. In Keras (a conv autoencoder with the penalty on a relu conv layer, 8 seeds) the loss was inf at the first batch in 8 of 8; on a Dense(196) relu layer (jadhavhninad/Sparse_autoencoder's model, 2,048 sparse 784-pixel images, 8 seeds) it reached inf in epoch 2 or 3 in 5 of 8. Clip the mean into (epsilon, 1 - epsilon) before the log.`,
    } satisfies RuleHit;
  });
}

/**
 * The poisson loss, mean(y_pred - y_true * log(y_pred + 1e-7)), on an output that goes below 0 (a
 * linear Dense, tanh): about half of the first predictions are negative, and their log is NaN at
 * the first batch (keras-team/keras#590; test/evidence/NAN106.py).
 */
function poissonOutputHit(ctx: RuleContext): RuleHit | undefined {
  const { model } = ctx;
  if (!model.compile || lossName(model.compile.loss.name) !== 'poisson') return undefined;
  const out = outputActivation(model);
  if (!out || !NEGATIVE_ACTIVATIONS.has(out.activation)) return undefined;
  const location = layerAnchor(model, out.layer);
  if (!location) return undefined;
  const origin = out.layer.origins?.['activation'];
  const written = origin && (origin.kind === 'literal' || origin.kind === 'config') ? origin : undefined;
  const text = written ? ctx.sourceText(written.location.path) : undefined;
  const fix = written && text !== undefined ? replaceActivationFix(text, written.location, 'softplus', true) : undefined;
  return {
    location,
    severity: 'error',
    message: `the poisson loss takes log(y_pred + 1e-7) of ${out.layer.name}'s ${out.activation} output, which is negative for about half of its values from the start: the log of a negative number is NaN, so the loss is NaN from the first batch (a softplus or exponential output keeps the predicted rate positive)`,
    fixes: fix ? [fix] : [],
    related: model.compile.location ? [{ location: model.compile.location, message: "loss='poisson' compiled here" }] : [],
    explanation: `Keras's poisson loss is mean(y_pred - y_true · log(y_pred + 1e-7)): it treats each prediction as the rate of a Poisson count, and a rate must be positive. ${out.layer.name} has a ${out.activation} output, so its initial predictions are spread around 0 and about half are negative; log of a negative number is NaN in float32, the loss of the first batch is NaN, and so is every weight after the update. In Keras (keras-team/keras#590's model, an LSTM regression with a linear Dense(1) output, 8 seeds) the loss was NaN at the first batch in 8 of 8; with a softplus output in 0 of 8. Give the output \`activation='softplus'\` (or 'exponential'), or use a loss that accepts any real prediction.`,
  };
}

/** Statistics of the values the op sees: the source's, when nothing before the op changed them. */
function statsBefore(data: DataSpec, op: NumericOp): FeatureStats[] | undefined {
  const idx = data.transforms.findIndex((t) => sameStart(t.location, op.location));
  const before = idx >= 0 ? data.transforms.slice(0, idx) : data.transforms;
  if (!before.every(isValueNeutral)) return undefined;
  return sourceStatsOf(data);
}

/** Transforms after which half the values are negative: standardisation and mean-centring. */
function centredBefore(data: DataSpec, op: NumericOp): string | undefined {
  const idx = data.transforms.findIndex((t) => sameStart(t.location, op.location));
  const before = idx >= 0 ? data.transforms.slice(0, idx) : data.transforms;
  const last = lastValueChange(before);
  if (!last) return undefined;
  if (last.kind === 'scaler' && (last.scaler === 'StandardScaler' || last.scaler === 'RobustScaler')) return last.scaler;
  if (last.kind === 'divide' && last.by === 'std') return 'standardisation';
  if (last.kind === 'subtract' && last.what === 'mean') return 'mean-centring';
  return undefined;
}

/** A module-level op whose result is assigned to an array that reaches fit (`X = np.log(counts)`). */
function assignsModelData(ctx: RuleContext, op: NumericOp): DataSpec | undefined {
  if (op.context !== 'other' || op.functionName || !op.assignedTo) return undefined;
  return arraysOf(ctx.model).map((r) => r.data).find((d) => d.name === op.assignedTo);
}

function call(op: NumericOp): string {
  return op.fn === 'log' ? 'log' : op.fn === 'sqrt' ? 'sqrt' : 'a fractional power';
}

export const logOfNonpositive: Rule = {
  id: 'NAN106',
  name: 'log-of-nonpositive',
  cause: 'log-of-nonpositive',
  title: 'log, sqrt or a fractional power of data that can be zero or negative',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Finds `np.log`, `tf.math.log`, `K.log`, `sqrt` and fractional powers in data preparation and in layers (Lambda and custom layers) whose argument is not visibly kept positive (`+ eps`, `clip`, `maximum`, `log1p`, softplus). A sqrt in a layer fed by a relu output is an error too: sqrt(0) is 0, but its gradient there is inf. So is a log in a custom activity regularizer (a KL sparsity penalty) on a layer whose output can be negative or exactly 0, and the poisson loss (which takes the log of the predictions) on an output that can go below 0 (linear, tanh). For data whose values nanguard knows (a workspace file, a literal) it reasons about the range the way DEBAR does: a column reaching 0 makes `log` certain to give -inf, a negative value makes `log` and `sqrt` NaN. On values it cannot see, it warns about `log` only.',
    whyItFails:
      'In float32, log(0) = -inf and log(x) for x < 0 is NaN; sqrt(x) for x < 0 is NaN, and so is x ** 0.5. Count data (visits, sales, pixel intensities) almost always contains zeros: Poisson counts with mean 3 are 0 about 5% of the time. One -inf input makes the reconstruction error inf, inf - inf in the gradient gives NaN, and after that update every weight is NaN. Standardised data is negative half of the time, so a sqrt or log after standardisation is NaN for half the values.',
    example: [
      '```python',
      'import numpy as np',
      'import pandas as pd',
      '',
      'counts = pd.read_csv("counts.csv").values   # visits, clicks, orders: many zeros',
      'X = np.log(counts)',
      'autoencoder.fit(X, X, epochs=20)',
      '```',
    ].join('\n'),
    fix: ['Use `np.log1p` (log(1 + x), which is 0 at 0) for counts, or add an epsilon for strictly positive quantities measured as 0.', '', '```python', 'X = np.log1p(counts)', '```'].join('\n'),
    measured: 'NaN in the first epoch in 8 of 8 seeds; none with np.log1p',
    evidence:
      'Trained for real in Keras 3.15 (CPU, `test/evidence/NAN106.py`, 8 seeds): Poisson counts with mean 3 (about 5% zeros) through `np.log` into a 4-8-2-8-4 Dense autoencoder give a NaN loss in the first epoch in 8 of 8 seeds; `np.log1p` of the same counts never goes NaN. `np.sqrt` of standardised data goes NaN in the first epoch in 8 of 8 seeds. A sqrt inside the model on a relu layer\'s output (keras-team/keras#13203\'s model: Dense(64, relu), Lambda sqrt, a sigmoid output, binary cross-entropy, 8 seeds) gives a NaN loss from the second batch in 8 of 8 seeds, although sqrt(0) = 0: the gradient at 0 is inf, and inf × relu\'s zero gradient is NaN; `sqrt(x + 1e-6)` trains in 8 of 8. A KL sparsity activity regularizer, log(p / mean(a)), on conv layers whose LeakyReLU comes after them (keras-team/keras#6615; 512 sparse 28x28 images, 8 seeds) gives a NaN loss at the first batch in 8 of 8 seeds; on relu conv outputs the loss is inf at the first batch in 8 of 8 (some position\'s mean is exactly 0); on a Dense(196) relu code of 784-pixel images (jadhavhninad/Sparse_autoencoder\'s model, the penalty through a helper function) it reaches inf in epoch 2 or 3 in 5 of 8. The poisson loss on a linear Dense(1) output (keras-team/keras#590\'s shape: an LSTM regression of counts, 8 seeds) gives a NaN loss at the first batch in 8 of 8 seeds; with a softplus output in 0 of 8.',
  },
  check(ctx) {
    const { model } = ctx;
    const hits: RuleHit[] = [];
    hits.push(...regularizerLogHits(model));
    const poisson = poissonOutputHit(ctx);
    if (poisson) hits.push(poisson);
    const reported = new Set(hits.map((h) => h.location));
    const ops = numericsOf(model, ['log', 'sqrt', 'pow'], ['data', 'layer', 'other']).filter((op) => !op.guarded && !reported.has(op.location));
    for (const op of ops) {
      const text = ctx.sourceText(op.location.path);
      if (op.fn === 'pow' && !fractionalPower(op)) continue;
      if (op.call === 'log1p') continue;
      const fix = op.fn === 'log' && text !== undefined ? log1pFix(text, op.location) : undefined;
      const viaAssignment = assignsModelData(ctx, op);
      if (op.context === 'other' && !viaAssignment) continue;
      const data = op.context === 'data' ? dataFor(ctx, op) : viaAssignment;
      const centred = data ? centredBefore(data, op) : undefined;
      if (data && centred) {
        hits.push({
          location: op.location,
          severity: 'error',
          message: `${call(op)}(${op.argument.trim()}) after ${centred}: centred data is negative for about half of its values, and ${call(op)} of a negative number is NaN, so the loss is NaN from the first batch`,
          explanation: `${centred} leaves each feature with mean 0, so roughly half of the values of **${data.name}** are below 0. In float32 ${call(op)}(x) for x < 0 is NaN. Apply ${call(op)} before scaling (to the raw, non-negative values), or drop it.`,
        });
        continue;
      }
      const counts = op.countsFrom;
      if (op.fn === 'log' && counts) {
        hits.push({
          location: op.location,
          severity: 'error',
          message: `log(${op.argument.trim()}) of counts drawn with ${counts}(): counts are exactly 0 with positive probability, and log(0) = -inf reaches the network and makes the loss inf, then NaN`,
          fixes: fix ? [fix] : [],
          explanation: `\`${op.argument.trim()}\` comes from \`${counts}()\`, whose values include 0. log(0) = -inf in float32; one -inf input makes the reconstruction error infinite and the gradient NaN. Use \`np.log1p\`.`,
        });
        continue;
      }
      const stats = data ? statsBefore(data, op) : undefined;
      if (data && stats) {
        const negative = stats.map((s, i) => ({ s, i })).filter(({ s }) => s.count > 0 && s.min < 0);
        const zero = stats.map((s, i) => ({ s, i })).filter(({ s }) => s.count > 0 && s.min === 0);
        const worst = negative[0] ?? (op.fn === 'log' ? zero[0] : undefined);
        if (!worst) continue;
        const { s, i } = worst;
        const result = s.min < 0 ? 'NaN' : '-inf';
        hits.push({
          location: op.location,
          severity: 'error',
          message: `${columnName(s, i)}${ofWhat(data)} goes down to ${fmt(s.min)}${s.min === 0 ? '' : ` (mean ${fmt(s.mean)})`}: ${call(op)}(${fmt(s.min)}) is ${result}, which reaches the network and makes the loss ${result === 'NaN' ? 'NaN' : 'inf, then NaN'} from the first batch${sampledNote(data)}`,
          fixes: fix && s.min >= 0 ? [fix] : [],
          explanation: `\`${call(op)}(${op.argument})\` runs on values as low as ${fmt(s.min)} (${columnName(s, i)}, ${count(s.count)} values${data.dataFile ? `, ${data.dataFile.note}` : ''}). In float32 log(0) = -inf and log or sqrt of a negative number is NaN. A single -inf input gives an infinite reconstruction error; its gradient mixes inf and -inf into NaN, and one update later every weight is NaN.${s.min >= 0 && op.fn === 'log' ? ' For non-negative data, `np.log1p` is the usual transform.' : ''}`,
        });
        continue;
      }
      const layerSqrt = layerSqrtHit(model, op, text);
      if (layerSqrt) {
        hits.push(layerSqrt);
        continue;
      }
      if (op.fn !== 'log') continue; // sqrt(0) is 0 and harmless in data; only a log of unknown data is a risk worth a warning.
      if (op.context === 'data' && !data) continue; // A log of something that never reaches this model.
      hits.push({
        location: op.location,
        severity: 'warning',
        message: `${call(op)}(${op.argument}) ${op.context === 'layer' ? 'inside a layer ' : ''}has nothing keeping its argument above 0: a zero gives -inf and a negative value NaN${op.context === 'layer' ? ' (a relu output is exactly 0 for every negative pre-activation)' : ''}`,
        fixes: fix ? [fix] : [],
        explanation: `nanguard cannot see the values of \`${op.argument}\`. If any is 0, log gives -inf; if negative, NaN. Either reaches the loss and turns every weight NaN in one update. \`log1p\`, an epsilon (\`+ 1e-7\`) or a clip keeps it finite.`,
      });
    }
    return hits;
  },
};
