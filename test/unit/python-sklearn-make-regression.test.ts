/**
 * scikit-learn's `make_regression` (keras-team/keras#2576 and many Stack Overflow regressions): X
 * standard normal draws, y = X @ w + noise with w 100 x uniform(0, 1) on the informative
 * features. The analysis knows y's scale (the targets in the hundreds or thousands that reports
 * leave unscaled) and the reproduction trains on inputs and targets that keep their relation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan, materializeData } from '../../src/repro/plan';

const PROGRAM = (call: string) => `
from sklearn import datasets
from keras.models import Sequential
from keras.layers import Input, Dense
data_reg = ${call}
model = Sequential()
model.add(Input(shape=(data_reg[0].shape[1],)))
model.add(Dense(1))
model.compile(loss="mse", optimizer="rmsprop")
model.fit(data_reg[0], data_reg[1], epochs=10, batch_size=16)
`;

describe('make_regression', () => {
  it('gives X of standard normal draws and y of the scale its weights and noise give; the unscaled target is found', async () => {
    const { analysis, findings } = await checkFile('reg.py', PROGRAM('datasets.make_regression(n_samples=10000, n_features=100, n_informative=100, n_targets=1, noise=100, random_state=0)'), NO_FILES, DEFAULT_SETTINGS);
    const model = pickModel(analysis.models);
    if (typeof model === 'string') assert.fail(model);
    assert.deepEqual([model.data.train?.shape, model.data.target?.shape, model.inputShape], [[10000, 100], [10000], [100]]);
    // sqrt(100 informative x 100² / 3 + 100²): about 590.
    const std = model.data.target?.stats?.[0].std ?? 0;
    assert.ok(std > 500 && std < 700, `y's std ${std}`);
    assert.deepEqual(findings.filter((f) => f.rule === 'NAN101').map((f) => /^data_reg\[1\], the target of fit, is unscaled/.test(f.message)), [true]);

    const planned = buildPlan(model, { seed: 0 });
    if ('refused' in planned) assert.fail(planned.refused);
    assert.deepEqual([planned.plan.data.provenance.train, planned.plan.data.x.kind], ['random', 'random']);
    const { x, y } = materializeData(planned.plan);
    const weights = model.data.target!.transforms.find((t) => t.kind === 'matmul');
    assert.ok(weights?.kind === 'matmul' && weights.right?.kind === 'literal');
    const w = weights.right.values.map((row) => row[0]);
    // The targets are the inputs' weighted sum plus noise of std 100: the residuals show the noise.
    const residuals = x.map((row, i) => y[i][0] - row.reduce((sum, v, j) => sum + v * w[j], 0));
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    const spread = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / residuals.length);
    assert.ok(Math.abs(mean) < 10 && Math.abs(spread - 100) < 10, `residuals: mean ${mean}, std ${spread}`);
  });

  it('puts weight only on the informative features, adds the bias, and leaves what it cannot follow unknown', async () => {
    const { analysis } = await checkFile('reg.py', PROGRAM('datasets.make_regression(500, 20, n_informative=5, bias=50.0)'), NO_FILES, DEFAULT_SETTINGS);
    const target = analysis.models[0].data.target!;
    const weights = target.transforms.find((t) => t.kind === 'matmul');
    assert.ok(weights?.kind === 'matmul' && weights.right?.kind === 'literal');
    assert.deepEqual(weights.right.values.map((row) => row[0] > 0), [...Array(5).fill(true), ...Array(15).fill(false)]);
    assert.equal(target.stats?.[0].mean, 50);
    // A low-rank X is not standard normal draws.
    const lowRank = await checkFile('reg.py', PROGRAM('datasets.make_regression(500, 20, effective_rank=5)'), NO_FILES, DEFAULT_SETTINGS);
    assert.equal(lowRank.analysis.models[0].data.train?.source.kind, 'unknown');
  });
});

describe('make_classification', () => {
  it('gives classes X separates as class_sep sets them apart, replayed with the labels they belong to', async () => {
    const source = `
from sklearn.datasets import make_classification
from keras.models import Sequential
from keras.layers import Input, Dense
X, y = make_classification(n_samples=400, n_features=20, n_informative=10, class_sep=3.0, random_state=1)
y = y.astype('float32').reshape(-1, 1)
model = Sequential([Input(shape=(20,)), Dense(8, activation='relu'), Dense(1, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(X, y, epochs=5, batch_size=32)
`;
    const { analysis } = await checkFile('cls.py', source, NO_FILES, DEFAULT_SETTINGS);
    const model = pickModel(analysis.models);
    if (typeof model === 'string') assert.fail(model);
    assert.deepEqual([model.data.train?.shape, model.data.target?.shape], [[400, 20], [400, 1]]);
    const planned = buildPlan(model, { seed: 0 });
    if ('refused' in planned) assert.fail(planned.refused);
    const { x, y } = materializeData(planned.plan);
    // The classes' centres differ in the informative features: the mean of each class's rows tells them apart.
    const mean = (label: number) => x.filter((_, i) => y[i][0] === label).reduce((acc, row) => acc.map((v, j) => v + row[j]), new Array(20).fill(0)).map((v) => v / x.filter((_, i) => y[i][0] === label).length);
    const [m0, m1] = [mean(0), mean(1)];
    const direction = m1.map((v, j) => v - m0[j]);
    const correct = x.filter((row, i) => (row.reduce((s, v, j) => s + (v - (m0[j] + m1[j]) / 2) * direction[j], 0) > 0 ? 1 : 0) === y[i][0]).length;
    assert.ok(correct / x.length > 0.95, `${correct} of ${x.length}`);
  });
});
