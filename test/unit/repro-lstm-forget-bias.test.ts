// Keras starts an LSTM's forget gate at a bias of 1 (`unit_forget_bias=True`, the default in
// Keras 2 and 3: bias = [0]*units + [1]*units + [0]*2*units, gates i, f, c, o); tfjs-layers starts
// it at 0 unless told. The plan's topology, built from the code's arguments, did not say it, so
// every LSTM autoencoder forgot twice as fast in its first epochs as in Keras.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildModel } from '../../src/repro/engine/model';
import { buildPlan } from '../../src/repro/plan';

async function lstmBiases(layersCode: string): Promise<Float32Array[]> {
  const source = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(64, 10, 3).astype("float32")
model = keras.Sequential([layers.Input(shape=(10, 3)), ${layersCode}])
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=1)
`;
  const model = pickModel((await analyzeFile('lstm.py', source, NO_FILES)).models);
  if (typeof model === 'string') assert.fail(model);
  const planned = buildPlan(model, { seed: 0 });
  if ('refused' in planned) assert.fail(planned.refused);
  const built = await buildModel(planned.plan);
  return built.model.weights.filter((w) => /lstm.*bias/i.test(w.originalName)).map((w) => w.read().dataSync() as Float32Array);
}

const gates = (bias: Float32Array, units: number) => ({ input: [...bias.slice(0, units)], forget: [...bias.slice(units, 2 * units)], rest: [...bias.slice(2 * units)] });

test("an LSTM's forget gate starts at a bias of 1, the others at 0, as in Keras", async () => {
  const [bias] = await lstmBiases('layers.LSTM(4, return_sequences=True), layers.TimeDistributed(layers.Dense(3))');
  assert.ok(bias, 'the LSTM has a bias');
  const g = gates(bias, 4);
  assert.deepEqual(g.forget, [1, 1, 1, 1]);
  assert.ok([...g.input, ...g.rest].every((v) => v === 0));
});

test('unit_forget_bias=False is kept, and a Bidirectional LSTM starts its forget gates at 1 both ways', async () => {
  const [off] = await lstmBiases('layers.LSTM(4, unit_forget_bias=False, return_sequences=True), layers.TimeDistributed(layers.Dense(3))');
  assert.ok(gates(off, 4).forget.every((v) => v === 0));
  const both = await lstmBiases('layers.Bidirectional(layers.LSTM(4, return_sequences=True)), layers.TimeDistributed(layers.Dense(3))');
  assert.equal(both.length, 2, 'forward and backward');
  for (const bias of both) assert.deepEqual(gates(bias, 4).forget, [1, 1, 1, 1]);
});
