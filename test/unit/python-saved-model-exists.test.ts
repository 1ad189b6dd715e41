// `if os.path.exists(path): model = load_model(path) else: model.fit(...)`: a program that trains
// once and loads its saved model on later runs. The file is not there before the first run, the
// one that trains, so the analysis takes the branch that fits; other paths stay unknown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';

const PROGRAM = (path: string) => `
import os
import numpy as np
import tensorflow as tf
from keras.models import Sequential
from keras.layers import Dense
X = np.random.rand(100, 8)
model = Sequential()
model.add(Dense(4, activation='relu', input_shape=(8,)))
model.add(Dense(8))
model.compile(optimizer='adam', loss='mse')
path = ${path}
if os.path.exists(path):
    model = tf.keras.models.load_model(path)
else:
    model.fit(X, X, epochs=7)
    model.save(path)
`;

test('a saved model is not there before the run that trains it: the branch that fits is taken', async () => {
  for (const path of ['"practica1/" + "autoencoder" + ".keras"', '"weights.h5"', 'os.path.join("models", "ae.hdf5")']) {
    const models = (await analyzeFile('train.py', PROGRAM(path), NO_FILES)).models;
    const fitted = models.find((m) => m.fit);
    assert.ok(fitted, `a fitted model for ${path}`);
    assert.equal(fitted.fit?.epochs.value, 7);
  }
});

test('whether another file exists is not known: the first branch is followed as before', async () => {
  const models = (await analyzeFile('train.py', PROGRAM('"data.csv"'), NO_FILES)).models;
  assert.equal(models.find((m) => m.fit), undefined);
});
