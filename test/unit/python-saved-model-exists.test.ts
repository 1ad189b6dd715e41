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

// A training switch that is off: `TRAINING_MODE = False` at the top, `if TRAINING_MODE: vae.fit(...)
// else: load the weights` (a VAE of fresh10, read after its measurement). The training the file does
// when it trains is followed; a false condition that is not a switch around a fit still skips its branch.
const SWITCHED = (flag: string, body: string) => `
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
TRAINING_MODE = ${flag}
X = np.random.rand(100, 8)
model = Sequential([Dense(4, activation='relu', input_shape=(8,)), Dense(8)])
model.compile(optimizer='adam', loss='mse')
if TRAINING_MODE:
    ${body}
else:
    model.load_weights("weights.h5")
`;

test('a training switch that is off: the branch that fits is followed', async () => {
  for (const flag of ['False', 'True']) {
    const fitted = (await analyzeFile('train.py', SWITCHED(flag, 'model.fit(X, X, nb_epoch=9)'), NO_FILES)).models.find((m) => m.fit);
    assert.equal(fitted?.fit?.epochs.value, 9, flag);
  }
  // A false condition around anything else is still not taken.
  const analysis = await analyzeFile('train.py', `${SWITCHED('False', 'model = None')}\nmodel.fit(X, X, epochs=3)\n`, NO_FILES);
  assert.equal(analysis.models.find((m) => m.fit)?.fit?.epochs.value, 3);
});
