// A target computed by a function of the program's own (`f = lambda x: x ** 2 + 3; y = f(x)`, a
// Cross Validated question whose linear stack goes to inf in Keras) was "not followed" and the run
// trained on a uniform stand-in, which called it healthy. A lambda is now called as a def is, and
// values the analysis computes exactly from written-out numbers are what the run trains on, even
// through arithmetic (`** 2`) the replay has no step for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { materializeRecipe } from '../../src/repro/data';
import { buildPlan } from '../../src/repro/plan';

async function planned(preparation: string) {
  const source = `import numpy as np
import keras
x = np.arange(10)[:, np.newaxis]
${preparation}
km = keras.Sequential([keras.layers.Dense(1), keras.layers.Dense(1)])
km.compile('sgd', loss='mse')
km.fit(x, y, epochs=3)
`;
  const model = pickModel((await analyzeFile('regression.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  const result = buildPlan(model, { seed: 0 });
  if ('refused' in result) assert.fail(result.refused);
  return { model, plan: result.plan };
}

const squaresPlusThree = Array.from({ length: 10 }, (_, i) => [i * i + 3]);

test('a target made by a lambda or a def is followed, keyword arguments included', async () => {
  for (const preparation of ['f = lambda x: x ** 2 + 3\ny = f(x)', 'f = lambda v, c=0: v ** 2 + c\ny = f(x, c=3)', 'def f(v):\n    return v ** 2 + 3\ny = f(x)']) {
    const { model } = await planned(preparation);
    assert.equal(model.data.target?.source.kind, 'literal', preparation);
    assert.deepEqual(model.data.target?.values, squaresPlusThree, preparation);
    assert.equal(model.data.target?.stats?.[0]?.max, 84, preparation);
  }
});

test('the run trains on the computed values, with no note of a transform left unreplayed', async () => {
  const { plan } = await planned('f = lambda x: x ** 2 + 3\ny = f(x)');
  const target = plan.data.y;
  assert.equal(target?.kind, 'literal');
  if (target?.kind !== 'literal') return;
  assert.deepEqual(materializeRecipe(target, 0), squaresPlusThree);
  assert.ok(!plan.notes.some((n) => /not replayed/.test(n.text)), plan.notes.map((n) => n.text).join(' | '));
});

test('values computed through a transform the replay knows are the ones the replay would give', async () => {
  const { model, plan } = await planned('y = x / 9.0');
  assert.equal(model.data.target?.values?.[9]?.[0], 1);
  const target = plan.data.y;
  if (target?.kind !== 'literal') return assert.fail(target?.kind);
  assert.deepEqual(materializeRecipe(target, 0).map((r) => r[0]), Array.from({ length: 10 }, (_, i) => i / 9));
});

async function trainingData(preparation: string) {
  const source = `import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, models
${preparation}
inp = layers.Input((1,))
model = models.Model(inp, layers.Dense(1, activation='tanh')(layers.Dense(4, activation='tanh')(inp)))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(x, y, epochs=3)
`;
  const model = pickModel((await analyzeFile('polynomial.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  return model.data;
}

test("TensorFlow's data-making functions are read as numpy's (tf.linspace, tf.range, tf.constant, tf.cast, tf.math.square)", async () => {
  const lin = await trainingData('x = tf.linspace(-20.0, 20.0, 1000)[:, None]\ny = 10.0 * x');
  assert.deepEqual(lin.train?.shape, [1000, 1]);
  assert.equal(lin.target?.stats?.[0]?.min, -200);
  assert.equal(lin.target?.stats?.[0]?.max, 200);
  const ranged = await trainingData('x = tf.cast(tf.range(start=0, limit=10, delta=2), tf.float32)\nx = tf.expand_dims(x, axis=1)\ny = tf.math.square(x)');
  assert.deepEqual(ranged.train?.shape, [5, 1]);
  assert.deepEqual(ranged.train?.values, [[0], [2], [4], [6], [8]]);
  assert.equal(ranged.target?.stats?.[0]?.max, 64);
  const constant = await trainingData('x = tf.constant([[1.0], [2.0], [3.0]], dtype=tf.float32)\ny = tf.constant(np.array([[2.0], [4.0], [6.0]]))');
  assert.equal(constant.train?.stats?.[0]?.max, 3);
  assert.equal(constant.target?.stats?.[0]?.max, 6);
});

test('on tensors the same TensorFlow functions stay operations of the loss, not data', async () => {
  const source = `import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, models
def scaled_mse(y_true, y_pred):
    y_true = tf.cast(y_true, tf.float32)
    return tf.reduce_mean(tf.math.square(tf.clip_by_value(y_pred, -1.0, 1.0) - y_true)) * tf.constant(2.0)
x = np.linspace(0.0, 1.0, 64)[:, None]
inp = layers.Input((1,))
model = models.Model(inp, layers.Dense(1)(inp))
model.compile(loss=scaled_mse, optimizer='adam')
model.fit(x, x, epochs=1)
`;
  const model = pickModel((await analyzeFile('loss.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  const result = buildPlan(model, { seed: 0 });
  if ('refused' in result) assert.fail(result.refused);
  const text = JSON.stringify(result.plan.compile.lossExpression);
  for (const op of ['square', 'clip', 'mean']) assert.ok(text.includes(op), `${op} in ${text}`);
});
