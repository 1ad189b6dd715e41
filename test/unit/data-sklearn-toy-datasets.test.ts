// scikit-learn's bundled toy datasets (load_iris, load_breast_cancer, ...): their shapes, ranges and
// classes from scikit-learn's documentation size the model and the stand-in data (fresh11's book
// autoencoder on `datasets.load_iris().data` was refused for an unknown input shape).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, NO_FILES } from '../../src/core/index';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { fittedModelOf, planned } from './repro-plans';

test("load_iris().data: 150 samples of 4 features within iris's ranges, the model's input width taken from it", async () => {
  const model = await fittedModelOf(`
import numpy as np
import tensorflow as tf
from sklearn import datasets
x_train = datasets.load_iris().data
input_dim = len(x_train[0])
ae = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='tanh', input_shape=(input_dim,)), tf.keras.layers.Dense(input_dim)])
ae.compile(optimizer='rmsprop', loss='mse')
ae.fit(x_train, x_train, epochs=5, batch_size=10)
`);
  const plan = planned(model);
  assert.deepEqual(plan.inputShape, [4]);
  const x = plan.data.x;
  assert.equal(x.kind, 'synthetic');
  if (x.kind === 'synthetic') {
    assert.deepEqual(x.shape, [150, 4]);
    assert.deepEqual(x.low, [4.3, 2.0, 1.0, 0.1]);
    assert.deepEqual(x.high, [7.9, 4.4, 6.9, 2.5]);
  }
});

test('load_breast_cancer(return_X_y=True): 30 features up to 4254 reach fit unscaled, and the rule says so', async () => {
  const { analysis, findings } = await checkFile(
    'cancer.py',
    `
from sklearn.datasets import load_breast_cancer
from tensorflow import keras
X, y = load_breast_cancer(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(16, activation='relu', input_shape=(X.shape[1],)), keras.layers.Dense(1, activation='sigmoid')])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss='binary_crossentropy')
model.fit(X, y, epochs=5)
`,
    NO_FILES,
    DEFAULT_SETTINGS,
  );
  assert.deepEqual(analysis.models[0]?.inputShape, [30]);
  assert.ok(findings.some((f) => f.cause === 'unscaled-input'), findings.map((f) => `${f.rule} ${f.message}`).join('\n'));
});
