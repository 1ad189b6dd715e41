import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unscaledInput } from '../../src/core/rules/nan101-unscaled-input';
import { featureScaleDisparity } from '../../src/core/rules/nan102-feature-scale-disparity';
import { outliers } from '../../src/core/rules/nan103-outliers';
import { ALL_RULES } from '../../src/core/rules/index';
import { applyEdits, dense, layer, literalData, model, optimizer, PATH, randomData, run, SEED1_SOURCE, seed1Model } from '../fixtures/rules/build';

const relu = () => [dense(16, 'relu'), dense(4, 'relu'), dense(16, 'relu'), dense(8, 'linear')];

test('NAN101 fires on the seed example, anchored on X_train, pointing at fit, as a warning (sigmoid output stalls)', () => {
  const hits = run(unscaledInput, seed1Model(), { [PATH]: SEED1_SOURCE });
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.match(hit.message, /^X_train reaches the network unscaled: feature 1 spans 1000-3000/);
  assert.match(hit.message, /sigmoid output/);
  assert.equal(hit.severity, 'warning');
  assert.equal(hit.location.range.start.line, 5);
  assert.equal(hit.related?.[0].location.range.start.line, 17);
});

test('NAN101 is an error for SGD with a linear output on data up to 1000, and says NaN', () => {
  const m = model({ layers: relu(), train: randomData('X_train', 'uniform', [256, 8], { low: 0, high: 1000 }), optimizer: optimizer('SGD', 0.01) });
  const [hit] = run(unscaledInput, m);
  assert.equal(hit.severity, 'error');
  assert.match(hit.message, /feature 0 spans 0-1000 \(by its distribution\)/);
  assert.match(hit.message, /SGD at learning rate 0\.01/);
  assert.match(hit.message, /NaN in the first epoch/);
});

test('NAN101 is a warning below the explosive step scale (SGD 0.01 on data up to 50) and for Adam on data up to 1000', () => {
  const small = model({ layers: relu(), train: randomData('X', 'uniform', [256, 8], { low: 0, high: 50 }), optimizer: optimizer('SGD', 0.01) });
  const [mid] = run(unscaledInput, small);
  assert.equal(mid.severity, 'warning');
  assert.match(mid.message, /steps are of order 25: it may diverge/);
  const adam = model({ layers: relu(), train: randomData('X', 'uniform', [256, 8], { low: 0, high: 1000 }) });
  const [hit] = run(unscaledInput, adam);
  assert.equal(hit.severity, 'warning');
  assert.match(hit.message, /does not go NaN/);
});

test('NAN101 stays quiet on data in [0, 1], on scaled data, and with a Normalization layer first', () => {
  assert.deepEqual(run(unscaledInput, model({ layers: relu(), train: randomData('X', 'rand', [100, 10]) })), []);
  const scaled = randomData('X', 'uniform', [100, 8], { low: 0, high: 1000 });
  scaled.transforms.push({ kind: 'scaler', scaler: 'StandardScaler', location: scaled.location! });
  assert.deepEqual(run(unscaledInput, model({ layers: relu(), train: scaled })), []);
  const raw = randomData('X', 'uniform', [100, 8], { low: 0, high: 1000 });
  assert.deepEqual(run(unscaledInput, model({ layers: [{ className: 'Normalization', name: 'norm', config: {} }, ...relu()], train: raw })), []);
  // Statistics computed after the transforms are trusted as they are.
  const standardised = randomData('X', 'uniform', [100, 8], { low: 0, high: 1000 });
  standardised.transforms.push({ kind: 'divide', by: 'std', epsilon: false, location: standardised.location! });
  standardised.stats = [{ count: 100, min: -1.7, max: 1.7, mean: 0, std: 1, nanCount: 0, infCount: 0 }];
  assert.deepEqual(run(unscaledInput, model({ layers: relu(), train: standardised })), []);
});

test('NAN101 fix scales X_train and X_val with MinMaxScaler for a sigmoid output, after both definitions', () => {
  const [hit] = run(unscaledInput, seed1Model(), { [PATH]: SEED1_SOURCE });
  const fix = hit.fixes?.[0];
  assert.ok(fix);
  const fixed = applyEdits(SEED1_SOURCE, fix.edits);
  assert.match(fixed, /from tensorflow\.keras\.layers import Input, Dense\nfrom sklearn\.preprocessing import MinMaxScaler\n/);
  assert.match(fixed, /X_val = np\.array\(\[\[4, 4000\], \[5, 5000\]\]\)\nscaler = MinMaxScaler\(\)\nX_train = scaler\.fit_transform\(X_train\)\nX_val = scaler\.transform\(X_val\)\n/);
  assert.equal(fixed.match(/import MinMaxScaler/g)?.length, 1);
});

test('NAN101 fix uses StandardScaler for a linear output and / 255. for image-like data', () => {
  const text = 'import numpy as np\nimport keras\n\nX = np.random.uniform(0, 1000, (256, 8))\n';
  const data = randomData('X', 'uniform', [256, 8], { low: 0, high: 1000 }, 3);
  const [hit] = run(unscaledInput, model({ layers: relu(), train: data, optimizer: optimizer('SGD', 0.01) }), { [PATH]: text });
  assert.match(applyEdits(text, hit.fixes![0].edits), /import keras\nfrom sklearn.preprocessing import StandardScaler\n\nX = np.random.uniform\(0, 1000, \(256, 8\)\)\nscaler = StandardScaler\(\)\nX = scaler.fit_transform\(X\)\n/);
  const pixels = randomData('x_train', 'randint', [60000, 28, 28], { low: 0, high: 256 }, 3);
  const img = 'import numpy as np\nimport keras\n\nx_train = np.random.randint(0, 256, (60000, 28, 28))\n';
  const [pix] = run(unscaledInput, model({ layers: [layer('Flatten'), dense(32, 'relu'), dense(784, 'sigmoid')], train: pixels }), { [PATH]: img });
  assert.match(pix.message, /spans 0-255/);
  assert.equal(pix.fixes![0].title, 'Divide x_train by 255');
  assert.match(applyEdits(img, pix.fixes![0].edits), /x_train = x_train.astype\('float32'\) \/ 255.\n$/);
});

test('NAN101 checks a regression target that is not the input: Adam stalls (warning), SGD goes NaN (error); the fix scales the target', () => {
  const regressor = [dense(32, 'relu'), dense(1, 'linear')];
  const x = randomData('X', 'randn', [512, 8]);
  const y = literalData('Y', [[1001], [2001], [5001], [10001]], 7);
  const text = 'X = np.random.randn(512, 8)\n\n\n\n\n\n\nY = np.array([[1001], [2001], [5001], [10001]])\n';
  const adam = model({ layers: regressor, train: x, target: y });
  const [hit] = run(unscaledInput, adam, { [PATH]: text });
  assert.equal(hit.severity, 'warning');
  assert.match(hit.message, /^Y, the target of fit, is unscaled: feature 0 spans 1001-10001; Adam moves each weight by about its learning rate/);
  assert.match(hit.message, /no NaN/);
  assert.equal(hit.location.range.start.line, 7);
  const fixed = applyEdits(text, hit.fixes![0].edits);
  assert.match(fixed, /^from sklearn\.preprocessing import StandardScaler\n/);
  assert.match(fixed, /\nY = target_scaler\.fit_transform\(Y\.reshape\(len\(Y\), -1\)\)\n$/);
  const [sgd] = run(unscaledInput, model({ layers: regressor, train: x, target: y, optimizer: optimizer('SGD', 0.01) }));
  assert.equal(sgd.severity, 'error');
  assert.match(sgd.message, /NaN in the first epoch/);
  // A bounded output is NAN201's; a cross-entropy target NAN402's; a scaled target nothing.
  assert.deepEqual(run(unscaledInput, model({ layers: [dense(32, 'relu'), dense(1, 'sigmoid')], train: x, target: y })), []);
  assert.deepEqual(run(unscaledInput, model({ layers: regressor, train: x, target: y, loss: 'binary_crossentropy' })), []);
  assert.deepEqual(run(unscaledInput, model({ layers: regressor, train: x, target: literalData('Y', [[0.1], [0.5], [0.9]], 7) })), []);
});

test('NAN102 reports the seed disparity with both ranges and the ratio', () => {
  const [hit] = run(featureScaleDisparity, seed1Model(), { [PATH]: SEED1_SOURCE });
  assert.match(hit.message, /^feature 1 of X_train spans 1000-3000 while feature 0 spans 1-3 \(1000x\)/);
  assert.equal(hit.location.range.start.line, 5);
  assert.ok(hit.fixes?.length);
});

test('NAN102 fires inside [-10, 10] too, and stays quiet on features of one scale', () => {
  const values = Array.from({ length: 20 }, (_, i) => [0.001 * (i % 10), 5 * ((i * 7) % 10) / 10]);
  const [hit] = run(featureScaleDisparity, model({ layers: relu(), train: literalData('X', values) }));
  assert.match(hit.message, /feature 1 of X spans 0-4.5 while feature 0 spans 0-0.009 \(500x\)/);
  assert.deepEqual(run(featureScaleDisparity, model({ layers: relu(), train: randomData('X', 'uniform', [100, 8], { low: 0, high: 1000 }) })), []);
  assert.deepEqual(run(featureScaleDisparity, model({ layers: relu(), train: literalData('X', [[1, 2], [2, 40], [3, 60]]) })), []);
});

test('NAN103 finds a glitch value and ignores smooth data and distribution bounds', () => {
  const rows = Array.from({ length: 100 }, (_, i) => [Math.sin(i), Math.cos(i)]);
  rows[17][1] = 500;
  const [hit] = run(outliers, model({ layers: relu(), train: literalData('X_train', rows) }));
  assert.match(hit.message, /^feature 1 of X_train reaches \|x\| = 500 while its median \|x\| is 0\.\d+ \(\d+x\)/);
  const smooth = Array.from({ length: 100 }, (_, i) => [Math.sin(i), Math.cos(i)]);
  assert.deepEqual(run(outliers, model({ layers: relu(), train: literalData('X_train', smooth) })), []);
  assert.deepEqual(run(outliers, model({ layers: relu(), train: randomData('X', 'randn', [1000, 8]) })), []);
});


test('rules cope with large literal arrays and odd input without throwing', () => {
  const big = Array.from({ length: 200_000 }, (_, i) => [i % 7, (i * 13) % 1000]);
  const odd = literalData('X', [[1, Number.NaN], [Infinity, 2], [], [3]] as number[][]);
  for (const train of [literalData('X', big), odd, randomData('X', 'uniform', [10, 1000, 1000], { high: 5 })]) {
    const m = model({ layers: [dense(0, 'relu'), layer('Lambda'), dense(3, 'softmax')], train, optimizer: optimizer('SGD', Number.NaN) });
    for (const rule of ALL_RULES) assert.doesNotThrow(() => run(rule, m), rule.id);
  }
  const [hit] = run(unscaledInput, model({ layers: relu(), train: literalData('X', big), optimizer: optimizer('SGD', 0.01) }));
  assert.match(hit.message, /feature 1 spans 0-999/);
});
