// Keras's loss functions and loss objects inside the losses people write: imported bare, under
// an alias, from keras.losses, tf.keras.losses, keras.metrics, Keras 1's keras.objectives or
// keras.backend, with their axis, from_logits, label_smoothing and a loss object's reduction.
// Each translation runs in TensorFlow.js on fixed arrays and is checked against the values real
// Keras 3.15 gives on the same arrays (keras.losses.*, printed to six decimals).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { LossSpec } from '../../src/core/ir';
import { evaluateExpr } from '../../src/repro/engine/expr';
import { buildPlan } from '../../src/repro/plan';
import { tf } from '../../src/repro/engine/tf';

// (2, 2, 3): two samples of 2 x 3 values.
const Y_TRUE = [[[0.0, 1.0, 0.25], [1.0, 0.5, 0.0]], [[0.75, 0.0, 1.0], [0.2, 0.9, 0.4]]];
const Y_PROB = [[[0.1, 0.8, 0.3], [0.6, 0.5, 0.05]], [[0.7, 0.2, 0.9], [0.3, 0.6, 0.5]]];
const Y_LOGITS = [[[-2.0, 1.5, 0.3], [0.6, -0.5, 3.0]], [[1.7, -0.2, 0.9], [-1.3, 0.6, 2.5]]];

/** The loss `loss=` names in a compiled model, with `preamble` (imports, loss objects) and the loss's `def` body. */
async function lossOf(preamble: string, body: string): Promise<LossSpec> {
  const source = `${preamble}
import keras
def my_loss(y_true, y_pred):
    return ${body}
m = keras.Sequential([keras.Input(shape=(2, 3)), keras.layers.Dense(3)])
m.compile(optimizer="adam", loss=my_loss)
`;
  const analysis = await analyzeFile('losses.py', source, NO_FILES);
  const loss = analysis.models[0]?.compile?.loss;
  assert.ok(loss, 'no compiled loss');
  return loss;
}

/** The translated loss on (Y_TRUE, y_pred), in TensorFlow.js. */
function valuesOf(loss: LossSpec, yPred: number[][][]): number[] {
  assert.ok(loss.expression, `not translated: ${loss.expressionProblem}`);
  const [t, p] = [tf.tensor(Y_TRUE), tf.tensor(yPred)];
  const out = evaluateExpr(loss.expression, [t, p]);
  const values = Array.from(out.dataSync());
  tf.dispose([t, p, out]);
  return values;
}

function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.join(', ')}`);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= 1e-4 * Math.max(1, Math.abs(expected[i])), `${what}: ${actual.join(', ')} where Keras gives ${expected.join(', ')}`));
}

describe("Keras's loss functions in a custom loss, against Keras's values", () => {
  const cases: Array<[string, string, string, number[][][], number[]]> = [
    ['mean squared error, imported under an alias', 'from keras.losses import mse as mean_sq', 'mean_sq(y_true, y_pred)', Y_PROB, [0.0175, 0.054167, 0.0175, 0.036667]],
    ['mean absolute error from tf.keras.losses', 'from tensorflow.keras.losses import mean_absolute_error', 'mean_absolute_error(y_true, y_pred)', Y_PROB, [0.116667, 0.15, 0.116667, 0.166667]],
    ['mean squared logarithmic error', 'from keras import losses', 'losses.mean_squared_logarithmic_error(y_true, y_pred)', Y_PROB, [0.007241, 0.017391, 0.012237, 0.013566]],
    ["binary cross-entropy from Keras 1's keras.objectives", 'from keras.objectives import binary_crossentropy', 'binary_crossentropy(y_true, y_pred)', Y_PROB, [0.299001, 0.418422, 0.299001, 0.590218]],
    ['binary cross-entropy from keras.metrics, over the axes given', 'from keras import metrics', 'metrics.binary_crossentropy(y_true, y_pred, axis=(1, 2))', Y_PROB, [0.358712, 0.44461]],
    ['binary cross-entropy from logits', '', 'keras.losses.binary_crossentropy(y_true, y_pred, from_logits=True)', Y_LOGITS, [0.369232, 1.403384, 0.510693, 0.859129]],
    ['binary cross-entropy with smoothed labels', '', 'keras.losses.binary_crossentropy(y_true, y_pred, label_smoothing=0.2)', Y_PROB, [0.432573, 0.530086, 0.432573, 0.617976]],
    ['categorical cross-entropy', '', 'keras.losses.categorical_crossentropy(y_true, y_pred)', Y_PROB, [0.752039, 1.067042, 1.401493, 1.482505]],
    ['categorical cross-entropy from logits', '', 'keras.losses.categorical_crossentropy(y_true, y_pred, from_logits=True)', Y_LOGITS, [0.657781, 4.321218, 1.6213, 2.70799]],
    ['KL divergence', 'from keras.losses import KLD', 'KLD(y_true, y_pred)', Y_PROB, [0.177562, 0.510824, 0.157104, 0.194568]],
    ['Poisson', '', 'keras.losses.poisson(y_true, y_pred)', Y_PROB, [0.574712, 0.669133, 0.724289, 0.792599]],
    ['log-cosh', '', 'keras.losses.log_cosh(y_true, y_pred)', Y_LOGITS, [0.482122, 0.940354, 0.140366, 0.773839]],
    ['Huber', '', 'keras.losses.huber(y_true, y_pred)', Y_LOGITS, [0.542083, 1.026667, 0.15875, 0.881667]],
    ['Huber with delta=0.5', 'from keras.losses import huber', 'huber(y_true, y_pred, delta=0.5)', Y_LOGITS, [0.33375, 0.61, 0.125, 0.531667]],
  ];
  for (const [what, preamble, body, yPred, expected] of cases) {
    it(what, async () => assertClose(valuesOf(await lossOf(preamble, body), yPred), expected, what));
  }

  it('keras.backend and tensorflow functions imported bare (mean, square, reduce_mean) are the operations they name', async () => {
    const loss = await lossOf('from keras.backend import mean, square\nfrom tensorflow import reduce_mean', 'reduce_mean(mean(square(y_pred - y_true), axis=-1))');
    assertClose(valuesOf(loss, Y_PROB), [(0.0175 + 0.054167 + 0.0175 + 0.036667) / 4], 'mean of the mse');
  });
});

describe('Keras loss objects called in a custom loss, against Keras', () => {
  it("BinaryCrossentropy(): the per-sample losses' mean over the batch", async () => {
    const loss = await lossOf('bce = keras.losses.BinaryCrossentropy()', 'bce(y_true, y_pred)');
    assertClose(valuesOf(loss, Y_PROB), [0.401661], 'BinaryCrossentropy()');
  });

  it('BinaryCrossentropy(from_logits=True, reduction="sum"): from logits, summed', async () => {
    const loss = await lossOf('from keras.losses import BinaryCrossentropy\nbce = BinaryCrossentropy(from_logits=True, reduction="sum")', 'bce(y_true, y_pred)');
    assertClose(valuesOf(loss, Y_LOGITS), [3.142438], 'BinaryCrossentropy(from_logits=True, reduction="sum")');
  });

  it('Huber(delta=2.0, reduction="sum")', async () => {
    const loss = await lossOf('huber = keras.losses.Huber(delta=2.0, reduction="sum")', 'huber(y_true, y_pred)');
    assertClose(valuesOf(loss, Y_LOGITS), [3.5175], 'Huber(delta=2.0, reduction="sum")');
  });

  it('MeanSquaredError(reduction=None): one loss per sample and position; CategoricalCrossentropy(): the mean', async () => {
    assertClose(valuesOf(await lossOf('mse = keras.losses.MeanSquaredError(reduction=None)', 'mse(y_true, y_pred)'), Y_PROB), [0.0175, 0.054167, 0.0175, 0.036667], 'MeanSquaredError(reduction=None)');
    assertClose(valuesOf(await lossOf('cce = keras.losses.CategoricalCrossentropy()', 'cce(y_true, y_pred)'), Y_PROB), [1.17577], 'CategoricalCrossentropy()');
  });

  it('what cannot be honoured is refused, naming the line', async () => {
    const smoothed = await lossOf('cce = keras.losses.CategoricalCrossentropy(label_smoothing=0.1)', 'cce(y_true, y_pred)');
    assert.match(smoothed.expressionProblem ?? '', /^line 4: `cce\(y_true, y_pred\)` calls a categorical cross-entropy that smooths its labels, which nanguard does not translate/);
    const hinge = await lossOf('hinge = keras.losses.Hinge()', 'hinge(y_true, y_pred)');
    assert.match(hinge.expressionProblem ?? '', /^line 4: `hinge\(y_true, y_pred\)` calls a Keras loss object \(hinge\) that nanguard does not translate/);
    const unknownOption = await lossOf('', 'keras.losses.mean_squared_error(y_true, y_pred, axis=1)');
    assert.match(unknownOption.expressionProblem ?? '', /^line 4: `keras\.losses\.mean_squared_error\(y_true, y_pred, axis=1\)` passes axis to mse, which nanguard does not translate/);
  });
});

describe('selections and comparisons in a custom loss (tf.where, tf.equal, ones_like, K.cast of a comparison), against Keras', () => {
  it("the focal loss of focal-loss-keras: tf.where(tf.equal(y_true, 1), y_pred, tf.ones_like(y_pred)) and its log", async () => {
    const source = `
import tensorflow as tf
from tensorflow.keras import backend as K
def focal_loss(gamma=2., alpha=.25):
    def focal_loss_fixed(y_true, y_pred):
        pt_1 = tf.where(tf.equal(y_true, 1), y_pred, tf.ones_like(y_pred))
        pt_0 = tf.where(tf.equal(y_true, 0), y_pred, tf.zeros_like(y_pred))
        return -K.sum(alpha * K.pow(1. - pt_1, gamma) * K.log(pt_1)) - K.sum((1 - alpha) * K.pow(pt_0, gamma) * K.log(1. - pt_0))
    return focal_loss_fixed
import keras
m = keras.Sequential([keras.Input(shape=(2, 3)), keras.layers.Dense(3, activation='sigmoid')])
m.compile(optimizer="adam", loss=[focal_loss(alpha=.25, gamma=2)])
`;
    const loss = (await analyzeFile('focal.py', source, NO_FILES)).models[0]?.compile?.loss.perOutput?.[0];
    assert.ok(loss, 'the one loss of the list');
    assertClose(valuesOf(loss, Y_PROB), [0.030509], 'focal loss');
    // Where y_pred reaches 1 at a target of 0, log(1 - pt_0) is -inf: the loss is infinite, as the report says.
    const saturated = Y_PROB.map((sample) => sample.map((row) => row.slice()));
    saturated[0][1][2] = 1;
    assert.equal(valuesOf(loss, saturated)[0], Infinity);
  });

  it("multi-label targets drawn as (rng.random(shape) < 0.3).astype('float32') are zeros and ones, x < 0.3 as -x > -0.3", async () => {
    const source = `
import numpy as np
import keras
rng = np.random.default_rng(17)
features = rng.random((200, 8)).astype('float32')
attributes = (rng.random((200, 4)) < 0.3).astype('float32')
m = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4, activation='sigmoid')])
m.compile(optimizer="adam", loss='binary_crossentropy')
m.fit(features, attributes, epochs=1)
`;
    const r = buildPlan((await analyzeFile('labels.py', source, NO_FILES)).models[0]);
    if ('refused' in r) assert.fail(r.refused);
    const y = r.plan.data.y as { kind: string; transforms: Array<{ kind: string; by?: number; above?: number; high?: number; low?: number }> };
    assert.equal(y.kind, 'random');
    assert.deepEqual(y.transforms.map((t) => [t.kind, t.by ?? t.above, t.high, t.low]), [['multiply', -1, undefined, undefined], ['threshold', -0.3, 1, 0]]);
  });

  it('a mask made of a comparison (K.cast(y_true > 0.3, "float32")) weighs the squared error', async () => {
    const loss = await lossOf('from tensorflow.keras import backend as K', `K.sum(K.cast(y_true > 0.3, 'float32') * K.square(y_pred - y_true), axis=-1) / (K.sum(K.cast(y_true > 0.3, 'float32'), axis=-1) + 1.0)`);
    assertClose(valuesOf(loss, Y_PROB), [0.02, 0.053333, 0.004167, 0.033333], 'masked mse');
  });

  it("a comparison's gradient is zero, not a TensorFlow.js error, when the model's output is compared", async () => {
    const loss = await lossOf('import tensorflow as tf', 'tf.reduce_mean(tf.where(y_pred > 0.5, tf.square(y_pred - y_true), tf.abs(y_pred - y_true)))');
    assert.ok(loss.expression, loss.expressionProblem);
    const [t, p] = [tf.tensor(Y_TRUE), tf.tensor(Y_PROB)];
    const grad = tf.grad((x: tf.Tensor) => evaluateExpr(loss.expression!, [t, x]))(p);
    const values = Array.from(grad.dataSync());
    assert.ok(values.every(Number.isFinite) && values.some((v) => v !== 0), values.join(', '));
    tf.dispose([t, p, grad]);
  });

  it('what is not a selection is refused by line: tf.where of one argument, a cast to int', async () => {
    assert.match((await lossOf('import tensorflow as tf', 'tf.reduce_sum(tf.where(y_true > 0.5))')).expressionProblem ?? '', /^line 4: `tf\.where\(y_true > 0\.5\)` is a where of one argument/);
    assert.match((await lossOf('import tensorflow as tf', "tf.cast(y_pred, 'int32')")).expressionProblem ?? '', /^line 4: `tf\.cast\(y_pred, 'int32'\)` casts to a type nanguard does not translate/);
  });
});

describe('a mean over every axis but the batch', () => {
  it('(range(1, K.ndim(f)), also through a name) is the mean over all values: Keras averages the per-sample means, each of as many values', async () => {
    const direct = await lossOf('from keras import backend as K', 'K.mean(K.square(y_true - y_pred), axis=range(1, K.ndim(y_pred)))');
    const expected = Y_TRUE.flat(2).reduce((sum, t, i) => sum + (t - Y_PROB.flat(2)[i]) ** 2, 0) / 12;
    const values = valuesOf(direct, Y_PROB);
    assert.equal(values.length, 1);
    assert.ok(Math.abs(values[0] - expected) < 1e-6, `${values[0]} against ${expected}`);
    const source = `
import keras
from keras import backend as K
def my_loss(y_true, y_pred):
    f = K.square(y_true - y_pred)
    axis_to_reduce = range(1, K.ndim(f))
    return K.mean(f, axis=axis_to_reduce)
m = keras.Sequential([keras.Input(shape=(2, 3)), keras.layers.Dense(3)])
m.compile(optimizer="adam", loss=my_loss)
`;
    const named = (await analyzeFile('losses.py', source, NO_FILES)).models[0]?.compile?.loss;
    assert.ok(named?.expression, named?.expressionProblem);
    assert.ok(Math.abs(valuesOf(named, Y_PROB)[0] - expected) < 1e-6);
  });

  it('a sum over those axes is not that, and is refused by name', async () => {
    const summed = await lossOf('from keras import backend as K', 'K.sum(K.square(y_true - y_pred), axis=range(1, K.ndim(y_pred)))');
    assert.equal(summed.expression, undefined);
    assert.match(summed.expressionProblem ?? '', /every axis but the batch's with sum, which nanguard translates only for a mean/);
  });
});
