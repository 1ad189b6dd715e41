/**
 * Data made by writing into a blank array (`images = np.zeros(...)`, then `images[:, 16:48,
 * 16:48, :] = np.random.rand(...)`), as in the Keras issue 6644 report: the blank borders are
 * what make a square-root loss go NaN (a prediction equal to its target there gives sqrt(0), whose
 * gradient is infinite). The reproduction makes the array and replays the write, in its place,
 * with the targets made from the same array drawing the same values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTransforms, type TransformStep } from '../../src/repro/data';
import { materializeData } from '../../src/repro/plan';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';


// Keras issue 6644's data and loss, at a size a unit test trains in a second. In Keras 3.15
// (test/realworld/run_keras.py, 2 epochs): with this loss the loss is NaN from epoch 0, batch 1
// (batch 0's update writes the infinite gradient into the weights); with 'mse' it trains, 0.053
// to 0.012.
const BLANK_BORDERS = `
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, LeakyReLU

def root_mean_squared_error(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))

images = np.zeros((600, 24, 24, 1), dtype='float32')
images[:, 8:16, 8:16, :] = np.random.rand(600, 8, 8, 1)
targets = np.clip(images * 1.2, 0, 1)

m = Sequential()
m.add(Conv2D(8, 3, input_shape=(24, 24, 1), padding='same'))
m.add(LeakyReLU())
m.add(Conv2D(1, 3, padding='same'))
m.compile(optimizer='adam', loss=LOSS)
m.fit(images, targets, epochs=2, batch_size=8)
`;

describe('writes into a blank array, replayed', () => {
  it('the front-end records the block written and the blank array it is written into', async () => {
    const model = await fittedModelOf(BLANK_BORDERS.replace('LOSS', 'root_mean_squared_error'));
    const train = model.data.train;
    assert.deepEqual(train?.filled, { value: 0, shape: [600, 24, 24, 1] });
    const block = train?.assignments?.[0]?.block;
    assert.ok(block, 'the block');
    assert.deepEqual(block.axes.map((a) => [a[0], a.length]), [[0, 600], [8, 8], [8, 8], [0, 1]]);
    assert.equal(block.fill.kind, 'random');
  });

  it('a block replayed into rows: its cells written, the others kept; a shortened run writes the same values into the rows it keeps', () => {
    const step: TransformStep = { kind: 'setBlock', shape: [3, 4, 4], axes: [[0, 1, 2], [1, 2], [1, 2]], fill: { kind: 'random', distribution: 'rand', low: 0, high: 1 }, stream: 7 };
    const zeros = () => Array.from({ length: 3 }, () => new Array<number>(16).fill(0));
    const full = applyTransforms(zeros(), [step], 5).x;
    const inside = new Set([5, 6, 9, 10]);
    for (const row of full) {
      row.forEach((v, j) => (inside.has(j) ? assert.ok(v > 0 && v < 1) : assert.equal(v, 0)));
    }
    const shortened = applyTransforms(zeros().slice(0, 2), [step], 5).x;
    assert.deepEqual(shortened, full.slice(0, 2));
    const constant = applyTransforms(zeros(), [{ ...step, fill: { kind: 'constant', value: 2 } }], 5).x;
    assert.deepEqual(constant[1].filter((v) => v === 2).length, 4);
  });

  it('the targets made from the same array draw the same block', async () => {
    const plan = planned(await fittedModelOf(BLANK_BORDERS.replace('LOSS', 'root_mean_squared_error')));
    assert.equal(plan.data.provenance.train, 'literal');
    assert.ok(!plan.notes.some((n) => n.text.includes('not replayed')), plan.notes.map((n) => n.text).join('\n'));
    const { x, y } = materializeData(plan);
    assert.equal(x.length, 600);
    const expected = x.map((row) => row.map((v) => Math.min(1, Math.max(0, v * 1.2))));
    for (let i = 0; i < x.length; i += 97) y[i].forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) < 1e-6));
    assert.equal(x[0][0], 0);
    assert.ok(x[0][8 * 24 + 8] > 0);
  });

  it('trained: the square-root loss goes NaN in the first epoch, as in Keras; the mean squared error trains', async () => {
    const rmse = await trainOnCpu(planned(await fittedModelOf(BLANK_BORDERS.replace('LOSS', 'root_mean_squared_error'))));
    assert.equal(rmse.verdict, 'nan');
    assert.equal(rmse.firstNonFinite?.epoch, 0);
    const mse = await trainOnCpu(planned(await fittedModelOf(BLANK_BORDERS.replace('LOSS', "'mse'"))));
    assert.notEqual(mse.verdict, 'nan');
    assert.ok(mse.history.loss.every((l) => typeof l === 'number' && Number.isFinite(l)));
  });

  it("a blank buffer filled row by row in a loop not replayed (a siamese report's batches) stands in, rather than training on its zeros", async () => {
    const plan = planned(await fittedModelOf(`
import numpy as np
from tensorflow import keras
pairs = np.random.rand(500, 2, 16)
x = np.zeros((64, 16))
y = np.zeros((64, 16))
shuf = np.random.permutation(500)
for s in range(64):
    x[s] = pairs[shuf[s], 0]
    y[s] = pairs[shuf[s], 1]
model = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(16)])
model.compile(optimizer='adam', loss='mse')
model.fit(x, y, epochs=1)
`));
    assert.equal(plan.data.provenance.train, 'synthetic');
    assert.ok(plan.notes.some((n) => n.text.includes('the program writes its values (`x[s] = pairs[shuf[s], 0]`, line 9)')), plan.notes.map((n) => n.text).join('\n'));
    const { x } = materializeData(plan);
    assert.ok(x.some((row) => row.some((v) => v !== 0)), 'not the zeros of the buffer');
  });
});

