// An MNIST-sized autoencoder (60,000 x 784 training values, 10,000 x 784 for validation) fits the
// worker's memory budget: a data value costs about 16 bytes there (a JavaScript number in its row
// and a float32 copy), not 32, which refused every such program ("the run needs about 1676 MB").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';

const BLOG = `from keras.layers import Input, Dense
from keras.models import Model
from keras.datasets import mnist
import numpy as np

input_img = Input(shape=(784,))
encoded = Dense(32, activation='relu')(input_img)
decoded = Dense(784, activation='sigmoid')(encoded)
autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')

(x_train, _), (x_test, _) = mnist.load_data()
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
x_train = x_train.reshape((len(x_train), np.prod(x_train.shape[1:])))
x_test = x_test.reshape((len(x_test), np.prod(x_test.shape[1:])))
autoencoder.fit(x_train, x_train, epochs=50, batch_size=256, shuffle=True, validation_data=(x_test, x_test))
`;

test('the Keras blog autoencoder on MNIST-sized data is planned, not refused for memory', async () => {
  const analysis = await analyzeFile('blog.py', BLOG, NO_FILES);
  const model = pickModel(analysis.models);
  assert.ok(typeof model !== 'string', String(model));
  const planned = buildPlan(model, { seed: 0 });
  assert.ok(!('refused' in planned), 'refused' in planned ? planned.refused : '');
});

test('a run far beyond the memory budget is still refused, with the size it needs', async () => {
  const huge = BLOG.replace(/784/g, '20000').replace("Input(shape=(20000,))", 'Input(shape=(20000,))');
  const analysis = await analyzeFile('huge.py', huge, NO_FILES);
  const model = pickModel(analysis.models);
  assert.ok(typeof model !== 'string');
  const planned = buildPlan(model, { seed: 0 });
  assert.ok('refused' in planned);
  assert.match(planned.refused, /over (half the worker memory limit|the limit)/);
});
