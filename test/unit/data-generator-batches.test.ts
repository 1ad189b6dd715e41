// `fit(batch_generator(x_train, 32), steps_per_epoch=...)`: a generator of the program's own that
// yields batches cut from an array (`data[idx]` with random row numbers, `x[i:i + batch_size]`)
// was "not followed", and the run trained on uniform noise. The batches now stand for the array
// they are cut from, with the per-value arithmetic done on them (`/ 255.`), in batches of the
// yielded size; anything else a generator does stays unfollowed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';

async function modelFor(data: string, generator: string, call = 'ae.fit(batches(x_train, 32), steps_per_epoch=50, epochs=2)') {
  const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
${data}
${generator}
inp = keras.Input(shape=(64,))
out = layers.Dense(64, activation="sigmoid")(layers.Dense(16, activation="relu")(inp))
ae = keras.Model(inp, out)
ae.compile(optimizer="adam", loss="mse")
${call}
`;
  const model = pickModel((await analyzeFile('generator.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  return model;
}

const RANDOM_ROWS = `def batches(data, batch_size=32):
    while True:
        idx = np.random.randint(0, len(data), batch_size)
        batch = data[idx]
        yield batch, batch
`;

test('batches drawn at random from an array are that array, in batches of the yielded size', async () => {
  const model = await modelFor('x_train = np.random.rand(2000, 64).astype("float32")', RANDOM_ROWS);
  assert.equal(model.data.train?.source.kind, 'random');
  assert.deepEqual(model.data.train?.shape, [2000, 64]);
  assert.equal(model.data.target?.source.kind, 'random');
  assert.equal(model.fit?.batchSize.value, 32);
  const planned = buildPlan(model, { seed: 0 });
  if ('refused' in planned) assert.fail(planned.refused);
  assert.equal(planned.plan.data.x.kind, 'random');
  assert.equal(planned.plan.data.provenance.train, 'random');
});

test('slices in a loop, scaled per batch (`yield x / 255., x / 255.`), keep the scaling', async () => {
  const model = await modelFor(
    'x_train = np.random.randint(0, 256, size=(1000, 64)).astype("float32")',
    `def batches(data, batch_size):
    for i in range(0, len(data), batch_size):
        x = data[i:i + batch_size]
        yield x / 255.0, x / 255.0
`,
  );
  assert.deepEqual(model.data.train?.shape, [1000, 64]);
  assert.deepEqual(model.data.train?.transforms.map((t) => t.kind), ['astype', 'divide']);
  assert.ok((model.data.train?.stats?.[0]?.max ?? Infinity) <= 1, JSON.stringify(model.data.train?.stats?.[0]));
});

test('a generator doing something else with its batches (a statistic of each batch) is not followed', async () => {
  const model = await modelFor(
    'x_train = np.random.rand(2000, 64).astype("float32")',
    `def batches(data, batch_size=32):
    while True:
        idx = np.random.randint(0, len(data), batch_size)
        batch = data[idx]
        batch = (batch - batch.mean(axis=0)) / batch.std(axis=0)
        yield batch, batch
`,
  );
  assert.equal(model.data.train?.source.kind, 'unknown');
});

test('a keras.utils.Sequence of the program (its __getitem__ slicing self.x), for training and validation', async () => {
  const model = await modelFor(
    'x_train = np.random.rand(2000, 64).astype("float32")\nx_val = np.random.rand(300, 64).astype("float32")',
    `class DataGen(keras.utils.Sequence):
    def __init__(self, x, batch_size=16):
        super().__init__()
        self.x = x
        self.batch_size = batch_size
    def __len__(self):
        return len(self.x) // self.batch_size
    def __getitem__(self, i):
        b = self.x[i * self.batch_size:(i + 1) * self.batch_size]
        return b, b
`,
    'ae.fit(DataGen(x_train), validation_data=DataGen(x_val), epochs=2)',
  );
  assert.deepEqual(model.data.train?.shape, [2000, 64]);
  assert.equal(model.fit?.batchSize.value, 16);
  const validation = model.fit?.validation;
  assert.equal(validation?.kind, 'data');
  assert.deepEqual(validation?.kind === 'data' ? validation.x?.shape : undefined, [300, 64]);
});
