/**
 * Layers people put in autoencoders (pooling, padding, cropping, activation layers, Masking in
 * front of recurrent layers, Bidirectional, Permute, merges), built in TensorFlow.js from the
 * JSON Keras 3 wrote for them, with Keras's weights: the outputs are Keras's own
 * (test/fixtures/keras-oracle/layers.json, written by make_layers.py with real Keras).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { selectBackend } from '../../src/repro/engine/backend';
import { buildModel } from '../../src/repro/engine/model';
import { tf } from '../../src/repro/engine/tf';
import type { KerasModelJson } from '../../src/repro/kerasJson';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';

interface Array_ {
  shape: number[];
  values: number[];
}
interface Case {
  topology: KerasModelJson;
  weights: Array_[];
  x: Array_;
  y: Array_;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras-oracle', 'layers.json'), 'utf8')) as { cases: Record<string, Case> };

async function kerasOutputGap(c: Case): Promise<number> {
  // The engine's own build (masks kept where Keras keeps them), from the parts of a plan it reads.
  const { model } = await buildModel({ kerasJson: c.topology, seed: 0, compile: { loss: 'mse' } } as unknown as ReproPlan);
  const weights = model.getWeights();
  assert.deepEqual(weights.map((w) => w.shape), c.weights.map((w) => w.shape), 'the weights line up with Keras\'s');
  model.setWeights(c.weights.map((w) => tf.tensor(w.values, w.shape)));
  const y = model.predict(tf.tensor(c.x.values, c.x.shape)) as tf.Tensor;
  assert.deepEqual(y.shape, c.y.shape);
  const values = y.dataSync();
  let gap = 0;
  c.y.values.forEach((v, i) => (gap = Math.max(gap, Math.abs(values[i] - v) / Math.max(1, Math.abs(v)))));
  model.dispose();
  return gap;
}

describe('Keras layers in TensorFlow.js give Keras\'s outputs', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(name, async () => {
      await selectBackend('cpu', 0);
      const gap = await kerasOutputGap(c);
      assert.ok(gap < 1e-5, `${name}: outputs differ from Keras's by ${gap}`);
    });
  }
});

async function planOf(source: string): Promise<ReturnType<typeof buildPlan>> {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  assert.ok(analysis.models[0], 'a model is found');
  return buildPlan(analysis.models[0]);
}

describe('programs with these layers are planned and trained', () => {
  it('reads Keras\'s other names for layers as the layers they stand for', async () => {
    const r = await planOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(64, 12, 12, 1).astype('float32')
inp = keras.Input(shape=(12, 12, 1))
h = layers.ZeroPadding2D(2)(inp)
h = layers.Convolution2D(4, 3, activation='relu')(h)
h = layers.AvgPool2D(2)(h)
h = layers.MaxPool2D(1)(h)
h = layers.Deconvolution2D(4, 3, strides=2, padding='same')(h)
h = layers.ELU(alpha=0.5)(h)
h = layers.Cropping2D(((1, 1), (1, 1)))(h)
out = layers.Conv2D(1, 3, padding='same', activation='sigmoid')(h)
m = keras.Model(inp, out)
m.compile(optimizer='adam', loss='binary_crossentropy')
m.fit(x, x, epochs=2, batch_size=16)
`);
    if ('refused' in r) assert.fail(r.refused);
    assert.deepEqual(
      r.plan.kerasJson.config.layers.map((l) => l.class_name),
      ['InputLayer', 'ZeroPadding2D', 'Conv2D', 'AveragePooling2D', 'MaxPooling2D', 'Conv2DTranspose', 'ELU', 'Cropping2D', 'Conv2D'],
    );
    const summary = await runReproduction(r.plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
    assert.equal(summary.history.loss.length, 2);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite));
  });

  const MASKED = (decoder: string) => `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(128, 10, 3).astype('float32')
x[:, 7:] = 0.0
model = keras.Sequential([
    keras.Input(shape=(10, 3)),
    layers.Masking(mask_value=0.0),
${decoder}
])
model.compile(optimizer='adam', loss='mse')
model.fit(x, x, epochs=4, batch_size=32)
`;

  it('trains a padded LSTM autoencoder whose encoder reads the mask', async () => {
    const r = await planOf(MASKED(`    layers.Bidirectional(layers.LSTM(8)),
    layers.RepeatVector(10),
    layers.LSTM(8, return_sequences=True),
    layers.TimeDistributed(layers.Dense(3)),`));
    if ('refused' in r) assert.fail(r.refused);
    const summary = await runReproduction(r.plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
    const losses = summary.history.loss.map(fromWire);
    assert.ok(losses.every(Number.isFinite) && losses.at(-1)! < losses[0], `the loss falls: ${losses.join(', ')}`);
  });

  it('refuses a mask that reaches the loss, naming the layer', async () => {
    const r = await planOf(MASKED(`    layers.LSTM(8, return_sequences=True),
    layers.TimeDistributed(layers.Dense(3)),`));
    assert.ok('refused' in r);
    assert.match(r.refused, /mask of the Masking layer reaches the model's output \(time_distributed\).*masked loss/);
  });

  it('refuses global pooling that keeps its axes, which tfjs drops', async () => {
    const r = await planOf(`
import numpy as np
import keras
from keras import layers
x = np.random.rand(64, 8, 8, 3).astype('float32')
m = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3), layers.GlobalAvgPool2D(keepdims=True), layers.Flatten(), layers.Dense(3)])
m.compile(optimizer='adam', loss='mse')
m.fit(x, np.random.rand(64, 3), epochs=1)
`);
    assert.ok('refused' in r);
    assert.equal(r.refused, "layer global_average_pooling2d (GlobalAveragePooling2D, line 6): keepdims=True is not reproduced (TensorFlow.js's global pooling drops the pooled axes)");
  });

  it('refuses a layer tfjs cannot build faithfully, by name and line', async () => {
    const r = await planOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(64, 8, 8, 8, 1).astype('float32')
model = keras.Sequential([keras.Input(shape=(8, 8, 8, 1)), layers.Conv3D(2, 3, padding='same'), layers.Conv3D(1, 3, padding='same')])
model.compile(optimizer='adam', loss='mse')
model.fit(x, x, epochs=1)
`);
    assert.ok('refused' in r);
    assert.match(r.refused, /^layer conv3d \(Conv3D, line 6\) cannot be reproduced: TensorFlow\.js has no faithful Conv3D/);
  });
});

describe('Bidirectional', () => {
  it('starts its backward layer from weights of its own, as Keras draws them', async () => {
    const { model } = await buildModel({ kerasJson: fixture.cases.bidirectional_lstm.topology, seed: 3, compile: { loss: 'mse' } } as unknown as ReproPlan);
    const bidirectional = model.layers.find((l) => l.getClassName() === 'Bidirectional')!;
    const kernels = bidirectional.weights.filter((w) => /\/kernel/.test(w.originalName)).map((w) => Array.from(w.read().dataSync()));
    assert.equal(kernels.length, 2, 'a forward and a backward kernel');
    assert.equal(kernels[0].length, kernels[1].length);
    assert.notDeepEqual(kernels[0], kernels[1]);
    // The same plan draws the same weights.
    const again = await buildModel({ kerasJson: fixture.cases.bidirectional_lstm.topology, seed: 3, compile: { loss: 'mse' } } as unknown as ReproPlan);
    const backwardAgain = again.model.layers.find((l) => l.getClassName() === 'Bidirectional')!.weights.filter((w) => /\/kernel/.test(w.originalName))[1];
    assert.deepEqual(Array.from(backwardAgain.read().dataSync()), kernels[1]);
    model.dispose();
    again.model.dispose();
  });
});
