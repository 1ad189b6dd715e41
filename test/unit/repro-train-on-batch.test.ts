// Models trained by `model.train_on_batch` in a loop of the program's own (older Keras code, GAN
// tutorials): the loop is the fit it amounts to (the compiled loss, the batches the loop cuts or
// the dataset it iterates, the epochs of the range loop around it) and trains for real; several
// models trained in one step (a GAN) are refused, naming the lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import { fromWire } from '../../src/repro/protocol';
import { planned, refusalOf, trainOnCpu as train } from './repro-plans';

async function modelOf(source: string, name?: string): Promise<ModelSpec> {
  const analysis = await analyzeFile('loop.py', source, NO_FILES);
  const model = name ? analysis.models.find((m) => m.name === name) : (analysis.models.find((m) => m.fit) ?? analysis.models[0]);
  assert.ok(model, `no model found among ${analysis.models.map((m) => m.name).join(', ')}`);
  return model;
}

const losses = (history: { loss: unknown[] }): number[] => history.loss.map((l) => fromWire(l as never));

const AUTOENCODER = (batch: string) => `
import numpy as np
from tensorflow import keras

x_train = np.random.rand(300, 16).astype("float32")
inp = keras.Input(shape=(16,))
h = keras.layers.Dense(6, activation="relu")(inp)
out = keras.layers.Dense(16, activation="sigmoid")(h)
ae = keras.Model(inp, out)
ae.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy")

batch_size = 50
n_batches = len(x_train) // batch_size
for epoch in range(4):
    for i in range(n_batches):
${batch}
        loss = ae.train_on_batch(batch, batch)
    print(epoch, loss)
`;

describe('train_on_batch in a loop of the program own, translated as fit', () => {
  it('slices of an array by the batch loop\'s index: that array in batches of the slice, its own targets, the epochs of the range loop around', async () => {
    const model = await modelOf(AUTOENCODER('        batch = x_train[i * batch_size:(i + 1) * batch_size]'));
    assert.equal(model.fit?.epochs.value, 4);
    assert.equal(model.fit?.batchSize.value, 50);
    assert.equal(model.fit?.shuffle.value, false);
    assert.deepEqual(model.data.train?.shape, [300, 16]);
    assert.deepEqual(model.data.target?.shape, [300, 16]);
    assert.equal(model.compile?.loss.name, 'binary_crossentropy');
    const run = losses((await train(planned(model))).history);
    assert.ok(run.length === 4 && run.every(Number.isFinite) && run[3] < run[0], run.join(', '));
    // Binary cross-entropy of sigmoid outputs near 0.5 on uniform targets: near ln 2 at first.
    assert.ok(run[0] > 0.6 && run[0] < 0.8, run.join(', '));
  });

  it('a random draw of rows (x[np.random.randint(0, n, bs)]) is a shuffled batch of that size', async () => {
    const model = await modelOf(AUTOENCODER('        idx = np.random.randint(0, x_train.shape[0], batch_size)\n        batch = x_train[idx]'));
    assert.equal(model.fit?.batchSize.value, 50);
    assert.equal(model.fit?.epochs.value, 4);
    assert.deepEqual(model.data.train?.shape, [300, 16]);
  });

  it('targets of their own, sliced alike from another array, are that array', async () => {
    const source = `
import numpy as np
from tensorflow import keras

x = np.random.rand(256, 8)
y = np.random.randint(0, 2, size=(256,)).astype("float32")
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
bs = 32
for epoch in range(3):
    for start in range(0, len(x), bs):
        model.train_on_batch(x[start:start + bs], y[start:start + bs])
`;
    const model = await modelOf(source);
    assert.equal(model.fit?.epochs.value, 3);
    assert.equal(model.fit?.batchSize.value, 32);
    assert.deepEqual(model.data.train?.shape, [256, 8]);
    assert.deepEqual(model.data.target?.shape, [256]);
    const run = losses((await train(planned(model))).history);
    assert.ok(run.length === 3 && run.every(Number.isFinite), run.join(', '));
  });

  it("a tf.data dataset of (x, y) pairs: its batches and its targets", async () => {
    const source = `
import numpy as np
import tensorflow as tf
from tensorflow import keras

x = np.random.rand(200, 10).astype("float32")
ds = tf.data.Dataset.from_tensor_slices((x, x)).shuffle(200).batch(25)
model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(10)])
model.compile(optimizer="rmsprop", loss="mse")
for epoch in range(5):
    for xb, yb in ds:
        model.train_on_batch(xb, yb)
`;
    const model = await modelOf(source);
    assert.equal(model.fit?.epochs.value, 5);
    assert.equal(model.fit?.batchSize.value, 25);
    assert.equal(model.fit?.shuffle.value, true);
    assert.deepEqual(model.data.target?.shape, [200, 10]);
  });

  it('a GAN trained by train_on_batch (the discriminator, then the combined model) is refused, naming both lines', async () => {
    const source = `
import numpy as np
from tensorflow import keras

x_train = np.random.rand(128, 8).astype("float32")
generator = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(8, activation="sigmoid")])
discriminator = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1, activation="sigmoid")])
discriminator.compile(optimizer="adam", loss="binary_crossentropy")
z = keras.Input(shape=(2,))
combined = keras.Model(z, discriminator(generator(z)))
combined.compile(optimizer="adam", loss="binary_crossentropy")
for epoch in range(3):
    for i in range(0, 128, 16):
        real = x_train[i:i + 16]
        noise = np.random.normal(0, 1, (16, 2))
        fake = generator.predict(noise)
        discriminator.train_on_batch(real, np.ones((16, 1)))
        combined.train_on_batch(noise, np.ones((16, 1)))
`;
    assert.match(refusalOf(await modelOf(source, 'discriminator')), /^discriminator is trained by train_on_batch in a loop of the program's own \(line 13\), and its step trains several models \(lines 17, 18\), as a GAN's loop does/);
  });
});
