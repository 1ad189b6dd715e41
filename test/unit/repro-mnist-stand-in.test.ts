// keras.datasets.mnist, which nanguard does not read, had a stand-in of pixels uniform in [0, 1]:
// noise no autoencoder can compress, so the Packt MNIST autoencoder "stalled" where Keras trains
// (test/realworld tune). The stand-in is now MNIST-like images, a ring, a line or both on zeros,
// and a denoising autoencoder's inputs are its targets' images with the noise drawn again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, materializeData, type ReproPlan } from '../../src/repro/plan';

const DENOISING = `import numpy as np
from keras.datasets import mnist
from keras.layers import Input, Dense
from keras.models import Model

(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.reshape(60000, 784).astype('float32') / 255.
x_train_noisy = np.clip(x_train + 0.3 * np.random.normal(size=x_train.shape), 0., 1.)
inputs = Input(shape=(784,))
code = Dense(32, activation='relu')(inputs)
outputs = Dense(784, activation='sigmoid')(code)
autoencoder = Model(inputs, outputs)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(x_train_noisy, x_train, epochs=4, batch_size=256)
`;

async function planOf(source: string): Promise<ReproPlan> {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const model = pickModel(analysis.models);
  assert.ok(typeof model !== 'string', String(model));
  const planned = buildPlan(model, { seed: 0 });
  assert.ok(!('refused' in planned), 'refused' in planned ? planned.refused : '');
  return planned.plan;
}

test('the MNIST stand-in is digit-like images, mostly zeros, within the known range', async () => {
  const plan = await planOf(DENOISING);
  const data = materializeData(plan);
  const values = data.y.slice(0, 200).flat();
  const zeros = values.filter((v) => v === 0).length / values.length;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(zeros > 0.7 && zeros < 0.9, `zeros: ${zeros}`);
  assert.ok(mean > 0.08 && mean < 0.18, `mean: ${mean}`);
  assert.ok(values.every((v) => v >= 0 && v <= 1) && values.includes(1));
  // The noisy inputs are the clean targets' images plus noise of 0.3, clipped to [0, 1] as the code clips them.
  const noisy = data.x.slice(0, 200).flat();
  assert.ok(noisy.every((v) => v >= 0 && v <= 1));
  const moved = noisy.map((v, i) => v - values[i]).filter((d) => d !== 0);
  assert.ok(moved.length > 0.4 * values.length, `moved: ${moved.length / values.length}`);
  const spread = Math.sqrt(moved.reduce((a, d) => a + d * d, 0) / moved.length);
  assert.ok(spread > 0.15 && spread < 0.35, `spread: ${spread}`);
  assert.match(plan.notes.map((n) => n.text).join('\n'), /is the targets \(x_train\) with the noise the code adds drawn again/);
  assert.match(plan.notes.map((n) => n.text).join('\n'), /made up like MNIST's, a ring, a line or both on zeros/);
});

test('a dense autoencoder learns the MNIST stand-in, as it learns MNIST', async () => {
  const summary = await runReproduction(await planOf(DENOISING), 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
  assert.equal(summary.verdict, 'healthy', summary.explanation);
});
