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
  // 40,000 values a sample (through an 8-unit code, 640,000 parameters): even the 1,000 rows of a
  // shortened epoch and as many for validation need 1.3 GB.
  // Its data of that width too (MNIST's 784 would not fit the model, which Keras and the plan refuse first).
  const huge = BLOG.replace(/784/g, '40000')
    .replace('Dense(32', 'Dense(8')
    .replace(/\(x_train, _\), \(x_test, _\) = mnist\.load_data\(\)\n[^]*?(?=autoencoder\.fit)/, 'x_train = np.random.rand(60000, 40000)\nx_test = np.random.rand(10000, 40000)\n');
  const analysis = await analyzeFile('huge.py', huge, NO_FILES);
  const model = pickModel(analysis.models);
  assert.ok(typeof model !== 'string');
  const planned = buildPlan(model, { seed: 0 });
  assert.ok('refused' in planned);
  assert.match(planned.refused, /the run needs about \d+ MB for its data, over half the worker memory limit/);
});

test('an MNIST-sized epoch is shortened to its first rows, and the plan says so', async () => {
  const analysis = await analyzeFile('blog.py', BLOG, NO_FILES);
  const model = pickModel(analysis.models);
  assert.ok(typeof model !== 'string');
  const planned = buildPlan(model, { seed: 0 });
  assert.ok(!('refused' in planned));
  // 50,992 parameters: 5e8 / 50,992 = 9,805 rows an epoch, of 60,000, cut to whole batches of 256: 38 of them, 9,728 rows.
  const note = planned.plan.notes.find((n) => n.kind === 'shortened');
  assert.match(note?.text ?? '', /^Each epoch trains on the first 9,728 of the 60,000 training samples/);
  assert.deepEqual(planned.plan.data.x.kind === 'synthetic' ? planned.plan.data.x.shape : [], [9728, 784]);
});

// A convolutional autoencoder of the TensorFlow tutorial's shape, at MNIST's size and at that of radar images.
const CONV = (side: number, batch: number) => `import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

x_train = np.random.rand(64, ${side}, ${side}, 1)
inputs = layers.Input(shape=(${side}, ${side}, 1))
x = layers.Conv2D(32, 3, activation='relu', padding='same')(inputs)
x = layers.MaxPooling2D(2, padding='same')(x)
x = layers.Conv2D(32, 3, activation='relu', padding='same')(x)
x = layers.UpSampling2D(2)(x)
outputs = layers.Conv2D(1, 3, activation='sigmoid', padding='same')(x)
autoencoder = tf.keras.Model(inputs, outputs)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(x_train, x_train, epochs=2, batch_size=${batch})
`;

test("layers' outputs count toward the memory a batch needs: MNIST-sized images in batches of 256 fit, 1024x1024 ones in batches of 32 do not", async () => {
  const plan = async (side: number, batch: number) => {
    const model = pickModel((await analyzeFile('conv.py', CONV(side, batch), NO_FILES)).models);
    assert.ok(typeof model !== 'string', String(model));
    return buildPlan(model, { seed: 0 });
  };
  const mnist = await plan(28, 256);
  assert.ok(!('refused' in mnist), 'refused' in mnist ? mnist.refused : '');
  const radar = await plan(1024, 32);
  assert.ok('refused' in radar, 'a batch of 32 images of 1024x1024 is refused');
  // Per sample: 1024x1024x32 + 512x512x32 + 512x512x32 + 1024x1024x32 + 1024x1024x1 values, kept three times in float32.
  assert.match(radar.refused, /^a batch of 32 needs about [\d,]+ MB for its layers' outputs and their gradients \(the largest, layer conv2d(_\d)? \(Conv2D, line \d+\), gives 1024x1024x32 values a sample\), over half the worker memory limit of 2048 MB/);
  // Not one image fits, so no micro-batch would either.
  assert.match(radar.refused, /; even one sample at a time would not fit; smaller inputs would$/);
});
