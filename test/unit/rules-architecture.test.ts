import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outputRangeMismatch, lossFloor } from '../../src/core/rules/nan201-output-range-mismatch';
import { sigmoidBottleneck } from '../../src/core/rules/nan202-sigmoid-bottleneck';
import { tinyBottleneck } from '../../src/core/rules/nan203-tiny-bottleneck';
import { tooDeep } from '../../src/core/rules/nan204-too-deep';
import { noNormalization } from '../../src/core/rules/nan205-no-normalization';
import { applyEdits, dense, layer, literalData, model, PATH, randomData, run, SEED1_SOURCE, seed1Model } from '../fixtures/rules/build';

test('NAN201 on the seed: error on the decoder line with the loss floors Keras stalls at', () => {
  const [hit] = run(outputRangeMismatch, seed1Model(), { [PATH]: SEED1_SOURCE });
  assert.equal(hit.severity, 'error');
  assert.equal(hit.location.range.start.line, 13);
  assert.match(hit.message, /^sigmoid output can only produce \(0, 1\) but feature 1 of the targets \(X_train\) spans 1000-3000: the MSE cannot go below 2\.33e6/);
  assert.match(hit.message, /does not go NaN/);
  // Keras stalls at 2332285 (train) and 10247646 (validation); the floors are just below.
  const val = hit.related?.find((r) => r.message.includes('validation'));
  assert.match(val?.message ?? '', /cannot go below 1\.02e7/);
});

test('NAN201 floor is the mean over features of the squared distance to (0, 1)', () => {
  const floor = lossFloor(literalData('X', [[1, 1000], [2, 2000], [3, 3000]]), { low: 0, high: 1 }, 'mse');
  // feature 0: (0 + 1 + 4) / 3; feature 1: (999^2 + 1999^2 + 2999^2) / 3
  const expected = ((0 + 1 + 4) / 3 + (999 ** 2 + 1999 ** 2 + 2999 ** 2) / 3) / 2;
  assert.ok(Math.abs((floor?.floor ?? 0) - expected) < 1e-6);
  // From statistics alone, a feature entirely above the range gives (mean - 1)^2 + std^2.
  const fromStats = randomData('Y', 'uniform', [100, 1], { low: 3, high: 5 });
  const f = lossFloor(fromStats, { low: 0, high: 1 }, 'mse');
  assert.ok(Math.abs((f?.floor ?? 0) - ((4 - 1) ** 2 + (2 / Math.sqrt(12)) ** 2)) < 1e-9);
});

test('NAN201 is a warning when a relu output misses only the negative part, quiet when the range fits', () => {
  const rows = Array.from({ length: 50 }, (_, i) => [Math.sin(i), Math.cos(i)]);
  const [hit] = run(outputRangeMismatch, model({ layers: [dense(8, 'relu'), dense(2, 'relu')], train: literalData('X', rows) }));
  assert.equal(hit.severity, 'warning');
  assert.match(hit.message, /relu output can only produce values >= 0/);
  assert.deepEqual(run(outputRangeMismatch, model({ layers: [dense(8, 'relu'), dense(10, 'sigmoid')], train: randomData('X', 'rand', [100, 10]) })), []);
  assert.deepEqual(run(outputRangeMismatch, model({ layers: [dense(8, 'relu'), dense(2, 'linear')], train: literalData('X', rows) })), []);
  // A Reshape after the output layer does not hide its activation.
  const withReshape = run(outputRangeMismatch, model({ layers: [dense(8, 'relu'), dense(2, 'sigmoid'), layer('Reshape')], train: literalData('X', [[1, 1000], [2, 2000], [3, 3000]]) }));
  assert.equal(withReshape.length, 1);
});

test('NAN201 offers a linear output as a fix', () => {
  const [hit] = run(outputRangeMismatch, seed1Model(), { [PATH]: SEED1_SOURCE });
  const fixed = applyEdits(SEED1_SOURCE, hit.fixes![0].edits);
  assert.match(fixed, /decoder = Dense\(input_dim, activation='linear'\)\(encoder\)/);
  assert.match(fixed, /encoder = Dense\(encoding_dim, activation='sigmoid'\)/);
});

test('NAN202 finds the sigmoid bottleneck: warning on unscaled data, note on scaled data, quiet for relu', () => {
  const layers = () => [dense(32, 'relu'), dense(4, 'sigmoid', 21, { name: 'bottleneck' }), dense(32, 'relu'), dense(20, 'linear')];
  const [raw] = run(sigmoidBottleneck, model({ layers: layers(), train: randomData('X', 'uniform', [1024, 20], { low: 0, high: 100 }) }));
  assert.equal(raw.severity, 'warning');
  assert.match(raw.message, /^bottleneck 'bottleneck' \(4 units of 20 inputs\) uses sigmoid while X reaches the network unscaled \(up to 100\)/);
  const [scaled] = run(sigmoidBottleneck, model({ layers: layers(), train: randomData('X', 'rand', [1024, 20]) }));
  assert.equal(scaled.severity, 'info');
  assert.deepEqual(run(sigmoidBottleneck, model({ layers: [dense(32, 'relu'), dense(4, 'relu'), dense(32, 'relu'), dense(20, 'sigmoid')] })), []);
});

test('NAN202 fix replaces the bottleneck activation with relu (preferred) or linear', () => {
  const text = "code = layers.Dense(4, activation='tanh')(h)\n";
  const neck = dense(4, 'tanh', 0, { origins: { activation: { kind: 'literal', location: { path: PATH, range: { start: { line: 0, character: 34 }, end: { line: 0, character: 40 } } } } } });
  const [hit] = run(sigmoidBottleneck, model({ layers: [dense(32, 'relu'), neck, dense(32, 'relu'), dense(20, 'linear')] }), { [PATH]: text });
  assert.equal(hit.fixes?.length, 2);
  assert.equal(applyEdits(text, hit.fixes![0].edits), "code = layers.Dense(4, activation='relu')(h)\n");
  assert.equal(hit.fixes![0].preferred, true);
  assert.equal(applyEdits(text, hit.fixes![1].edits), "code = layers.Dense(4, activation='linear')(h)\n");
});

test('NAN203 notes 2 units for 256 inputs, not 32 for 784', () => {
  const [hit] = run(tinyBottleneck, model({ layers: [dense(64, 'relu'), dense(2, 'relu'), dense(64, 'relu'), dense(256, 'linear')], inputShape: [256] }));
  assert.match(hit.message, /has 2 units of relu for 256 inputs \(128x compression\): if they all die/);
  assert.equal(hit.severity, 'warning');
  // The same 2-unit code, linear (as a code made to be plotted is): a note on the plateau, not a warning.
  const [linear] = run(tinyBottleneck, model({ layers: [dense(64, 'relu'), dense(2, 'linear'), dense(64, 'relu'), dense(256, 'linear')], inputShape: [256] }));
  assert.match(linear.message, /has 2 units for 256 inputs \(128x compression\): the loss will plateau/);
  assert.equal(linear.severity ?? tinyBottleneck.defaultSeverity, 'info');
  assert.deepEqual(run(tinyBottleneck, model({ layers: [dense(32, 'relu'), dense(784, 'sigmoid')], inputShape: [784] })), []);
  // Input size from the data's shape when the model does not say it.
  assert.equal(run(tinyBottleneck, model({ layers: [dense(4, 'relu'), dense(784, 'sigmoid')], train: randomData('x', 'rand', [100, 28, 28]) })).length, 1);
});

test('NAN204 flags 8 sigmoid layers in a row, not when BatchNormalization or relu breaks the chain', () => {
  const deep = Array.from({ length: 8 }, () => dense(32, 'sigmoid'));
  const [hit] = run(tooDeep, model({ layers: [...deep, dense(20, 'linear')] }));
  assert.match(hit.message, /^8 sigmoid layers in a row \('dense_\d+' to 'dense_\d+'\)/);
  assert.match(hit.message, /0\.25\^8 = 1\.53e-5/);
  assert.equal(hit.severity, 'warning');
  assert.equal(run(tooDeep, model({ layers: [...deep.slice(0, 5), dense(20, 'linear')] }))[0].severity, 'info');
  const broken = deep.flatMap((l) => [l, layer('BatchNormalization')]);
  assert.deepEqual(run(tooDeep, model({ layers: [...broken, dense(20, 'linear')] })), []);
  assert.deepEqual(run(tooDeep, model({ layers: [dense(32, 'sigmoid'), dense(32, 'sigmoid'), dense(32, 'relu'), dense(32, 'sigmoid'), dense(32, 'sigmoid')] })), []);
  // Dense + Activation('tanh') counts as one saturating layer.
  const split = Array.from({ length: 4 }, () => [dense(32, undefined), layer('Activation', { activation: 'tanh' })]).flat();
  assert.equal(run(tooDeep, model({ layers: split })).length, 1);
});

test('NAN205 notes unscaled inputs or depth without normalization, not a shallow scaled model', () => {
  const [hit] = run(noNormalization, seed1Model());
  assert.match(hit.message, /^no normalization layer in 'autoencoder' while X_train reaches it unscaled \(up to 3000\)/);
  const deep = Array.from({ length: 8 }, () => dense(32, 'relu'));
  assert.match(run(noNormalization, model({ layers: deep, train: randomData('X', 'rand', [10, 4]) }))[0].message, /in 8 weighted layers/);
  assert.deepEqual(run(noNormalization, model({ layers: [dense(5, 'relu'), dense(10, 'linear')], train: randomData('X', 'rand', [100, 10]) })), []);
  assert.deepEqual(run(noNormalization, model({ layers: [...deep, layer('BatchNormalization')], train: randomData('X', 'uniform', [10, 4], { high: 1000 }) })), []);
});

test('NAN201 floors from distributions: pixels 0-255 into a sigmoid, standard normal into relu', () => {
  // Uniform on [0, 256) clamped into (0, 1): integral of (y - 1)^2 over [1, 256] / 256.
  const pixels = lossFloor(randomData('x', 'randint', [100, 784], { low: 0, high: 256 }), { low: 0, high: 1 }, 'mse');
  assert.ok(Math.abs((pixels?.floor ?? 0) - 255 ** 3 / (3 * 256)) < 1e-6);
  // E[min(y, 0)^2] for a standard normal is 1/2.
  const normal = lossFloor(randomData('x', 'randn', [100, 8]), { low: 0, high: null }, 'mse');
  assert.ok(Math.abs((normal?.floor ?? 0) - 0.5) < 1e-6);
  const [hit] = run(outputRangeMismatch, model({ layers: [dense(32, 'relu'), dense(784, 'sigmoid')], train: randomData('x', 'randint', [100, 784], { low: 0, high: 256 }) }));
  assert.equal(hit.severity, 'error');
  assert.match(hit.message, /cannot go below 21600/);
  const [relu] = run(outputRangeMismatch, model({ layers: [dense(4, 'relu'), dense(8, 'relu')], train: randomData('x', 'randn', [100, 8]) }));
  assert.equal(relu.severity, 'warning');
  assert.match(relu.message, /cannot go below 0\.5,/);
});
