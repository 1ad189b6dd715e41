import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Origin } from '../../src/core/ir';
import { highLearningRate } from '../../src/core/rules/nan301-high-learning-rate';
import { lowLearningRate } from '../../src/core/rules/nan302-low-learning-rate';
import { smallAdamEpsilon } from '../../src/core/rules/nan303-small-adam-epsilon';
import { noGradClipping } from '../../src/core/rules/nan304-no-grad-clipping';
import { noEarlyStopping } from '../../src/core/rules/nan601-no-early-stopping';
import { applyEdits, at, dense, literal, model, optimizer, PATH, randomData, run, SEED1_SOURCE, seed1Model } from '../fixtures/rules/build';

const layers = () => [dense(16, 'relu'), dense(4, 'relu'), dense(16, 'relu'), dense(8, 'linear')];
const CONFIG = 'config.json';
const CONFIG_TEXT = '{\n  "optimizer": "adam",\n  "learning_rate": 0.5,\n  "epochs": 50\n}\n';
const fromConfig: Origin = { kind: 'config', key: 'learning_rate', location: at(2, 19, 22, CONFIG), via: at(10, 40, 63) };

test('NAN301 quotes the value, its config file and line, and the factor', () => {
  const m = model({ layers: layers(), optimizer: optimizer('Adam', 0.5, {}, fromConfig) });
  const [hit] = run(highLearningRate, m, { [CONFIG]: CONFIG_TEXT });
  assert.match(hit.message, /^learning rate 0\.5 from config\.json:3 \(key 'learning_rate'\) is 500x Adam's default \(0\.001\)/);
  assert.match(hit.message, /predicting the mean \(a stall at the data's variance, not NaN\)/);
  assert.equal(hit.severity, 'warning');
  assert.equal(hit.location.path, CONFIG);
  assert.equal(hit.related?.[0].location.path, PATH);
  const fixed = applyEdits(CONFIG_TEXT, hit.fixes![0].edits);
  assert.equal(fixed, '{\n  "optimizer": "adam",\n  "learning_rate": 0.001,\n  "epochs": 50\n}\n');
});

test('NAN301 fixes a literal in code, and stays quiet at 10x or below', () => {
  const text = "model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss='mse')\n";
  const origin: Origin = { kind: 'literal', location: at(0, 59, 62) };
  const [hit] = run(highLearningRate, model({ layers: layers(), optimizer: optimizer('SGD', 1.0, { location: at(0, 24, 63) }, origin) }), { [PATH]: text });
  assert.match(hit.message, /learning rate 1 set at model\.py:1 is 100x SGD's default \(0\.01\)/);
  // Keras trained SGD at 1.0 on standardised data: only a note unless the data is unscaled.
  assert.equal(hit.severity, 'info');
  const unscaled = run(highLearningRate, model({ layers: layers(), train: randomData('X', 'uniform', [64, 8], { low: 0, high: 1000 }), optimizer: optimizer('SGD', 1.0) }));
  assert.equal(unscaled[0].severity, 'warning');
  assert.match(unscaled[0].message, /overflows to inf and NaN/);
  assert.equal(applyEdits(text, hit.fixes![0].edits), "model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='mse')\n");
  assert.deepEqual(run(highLearningRate, model({ layers: layers(), optimizer: optimizer('Adam', 0.01) })), []);
  assert.deepEqual(run(highLearningRate, model({ layers: layers(), optimizer: optimizer('SGD', 0.1) })), []);
});

test('NAN302 flags Adam at 1e-7 and not Adam at 1e-5', () => {
  const [hit] = run(lowLearningRate, model({ layers: layers(), optimizer: optimizer('Adam', 1e-7, {}, literal(40, 50, 54)) }));
  assert.match(hit.message, /^learning rate 1e-7 set at model\.py:41 is 1\/10000 of Adam's default \(0\.001\): training will barely move/);
  assert.deepEqual(run(lowLearningRate, model({ layers: layers(), optimizer: optimizer('Adam', 1e-5) })), []);
});

test('NAN303: epsilon 0 is an error (0/0), 1e-12 a note, the default nothing', () => {
  const zero = run(smallAdamEpsilon, model({ layers: layers(), optimizer: optimizer('Adam', 0.001, { epsilon: { value: 0, origin: literal(40, 60, 63) } }) }));
  assert.equal(zero.length, 1);
  assert.equal(zero[0].severity, 'error');
  assert.match(zero[0].message, /0\/0 = NaN/);
  const tiny = run(smallAdamEpsilon, model({ layers: layers(), optimizer: optimizer('RMSprop', 0.001, { epsilon: { value: 1e-12, origin: literal(40, 60, 65) } }) }));
  assert.equal(tiny[0].severity, 'info');
  assert.match(tiny[0].message, /RMSprop epsilon 1e-12 .* 100000 times below/);
  assert.deepEqual(run(smallAdamEpsilon, model({ layers: layers(), optimizer: optimizer('Adam', 0.001, { epsilon: { value: 1e-7, origin: literal(40) } }) })), []);
  assert.deepEqual(run(smallAdamEpsilon, model({ layers: layers(), optimizer: optimizer('SGD', 0.01) })), []);
});

test('NAN303 notes Adam on unscaled data, saying it does not go NaN', () => {
  const hits = run(smallAdamEpsilon, seed1Model());
  assert.equal(hits.length, 1);
  assert.equal(hits[0].severity, 'info');
  assert.match(hits[0].message, /^Adam on unscaled inputs \(X_train up to 3000\): Adam does not go NaN here/);
});

test('NAN304: SGD on unscaled data with a linear output and no clipping; the fix adds clipnorm', () => {
  const text = "model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='mse')\n";
  const opt = optimizer('SGD', 0.01, { location: at(0, 24, 64) });
  const m = model({ layers: layers(), train: randomData('X', 'uniform', [256, 8], { low: 0, high: 1000 }), optimizer: opt });
  const [hit] = run(noGradClipping, m, { [PATH]: text });
  assert.match(hit.message, /^SGD has no gradient clipping while X reaches the network unscaled \(up to 1000\) with a linear output/);
  assert.equal(applyEdits(text, hit.fixes![0].edits), "model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, clipnorm=1.0), loss='mse')\n");
  const clipped = optimizer('SGD', 0.01, { clipnorm: { value: 1, origin: literal(0) } });
  assert.deepEqual(run(noGradClipping, model({ layers: layers(), train: randomData('X', 'uniform', [256, 8], { low: 0, high: 1000 }), optimizer: clipped })), []);
  // Adam on the same data does not diverge; a sigmoid output stalls instead.
  assert.deepEqual(run(noGradClipping, model({ layers: layers(), train: randomData('X', 'uniform', [256, 8], { low: 0, high: 1000 }) })), []);
  assert.deepEqual(run(noGradClipping, seed1Model()), []);
});

test('NAN304 fix turns an optimizer string into an object with clipnorm, in the file\'s Keras spelling', () => {
  // Plain SGD at 3.0 diverges even on unit-scale data (test/evidence/NAN304.py): a diverging setup by its rate alone.
  const source = SEED1_SOURCE.replace("optimizer='adam'", "optimizer='sgd'");
  const m = seed1Model();
  m.compile!.optimizer.className = 'SGD';
  m.compile!.optimizer.learningRate = { value: 3.0, origin: literal(16) };
  const line = source.split('\n').findIndex((l) => l.includes("'sgd'"));
  const column = source.split('\n')[line].indexOf("'sgd'");
  m.compile!.optimizer.location = at(line, column, column + "'sgd'".length);
  const [hit] = run(noGradClipping, m, { [PATH]: source });
  assert.match(applyEdits(source, hit.fixes![0].edits), /autoencoder\.compile\(optimizer=keras\.optimizers\.SGD\(clipnorm=1\.0\), loss='mse'\)/);
});

test('NAN304 leaves a high rate alone where it does not diverge: Adam at 0.5 (it stalls: NAN301), SGD at 1.0 on data not known unscaled', () => {
  const adam = seed1Model();
  adam.data.train = undefined;
  adam.compile!.optimizer.learningRate = { value: 0.5, origin: literal(16) };
  assert.deepEqual(run(noGradClipping, adam, { [PATH]: SEED1_SOURCE }), []);
  assert.deepEqual(run(noGradClipping, model({ layers: layers(), optimizer: optimizer('SGD', 1.0) })), []);
});

test('NAN601 notes 500 epochs without stoppers and adds them to fit; quiet with EarlyStopping or few epochs', () => {
  const text = 'autoencoder.fit(X_train, X_train, epochs=500,\n                validation_data=(X_val, X_val))\n';
  const m = model({ layers: layers(), epochs: 500, validation: randomData('X_val', 'rand', [20, 8]) });
  m.fit!.location = { path: PATH, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 47 } } };
  const [hit] = run(noEarlyStopping, m, { [PATH]: text });
  assert.match(hit.message, /^fit runs 500 epochs with no EarlyStopping or TerminateOnNaN/);
  const fixed = applyEdits(text, hit.fixes![0].edits);
  assert.match(fixed, /validation_data=\(X_val, X_val\), callbacks=\[keras\.callbacks\.EarlyStopping\(monitor='val_loss', patience=10, restore_best_weights=True\), keras\.callbacks\.TerminateOnNaN\(\)\]\)/);
  assert.match(fixed, /^import keras\n/);
  const stopped = model({ layers: layers(), epochs: 500, callbacks: [{ className: 'EarlyStopping', config: {} }] });
  assert.deepEqual(run(noEarlyStopping, stopped), []);
  assert.deepEqual(run(noEarlyStopping, model({ layers: layers(), epochs: 100 })), []);
});

test('NAN303: Adam under float16 everywhere keeps Keras 3 default epsilon, which goes NaN; the fix passes epsilon=1e-4', () => {
  const text = "K.set_floatx('float16')\nmodel.compile(optimizer=Adam(learning_rate=1e-4), loss='mae')\n";
  const m = model({ layers: layers(), optimizer: optimizer('Adam', 1e-4, { location: at(1, 24, 48) }) });
  m.dtypePolicy = { value: 'float16', origin: literal(0, 0, 23) };
  const [hit] = run(smallAdamEpsilon, m, { [PATH]: text });
  assert.equal(hit.severity, 'error');
  assert.match(hit.message, /^Adam with epsilon 1e-7 \(Keras's default\) under float16 .*: expect NaN in the first epoch/);
  assert.equal(applyEdits(text, hit.fixes![0].edits), "K.set_floatx('float16')\nmodel.compile(optimizer=Adam(learning_rate=1e-4, epsilon=0.0001), loss='mae')\n");
  // mixed_float16 keeps the optimizer's state in float32; an epsilon of 1e-4 is what trained; SGD has none.
  m.dtypePolicy = { value: 'mixed_float16', origin: literal(0) };
  assert.deepEqual(run(smallAdamEpsilon, m), []);
  m.dtypePolicy = { value: 'float16', origin: literal(0) };
  m.compile!.optimizer = optimizer('Adam', 1e-3, { epsilon: { value: 1e-4, origin: literal(1, 60, 64) } });
  assert.deepEqual(run(smallAdamEpsilon, m), []);
  m.compile!.optimizer = optimizer('SGD', 0.01);
  assert.deepEqual(run(smallAdamEpsilon, m), []);
});

test('NAN302: plain SGD on a wide MSE output crawls (the mean over 784 outputs divides each step); the fix switches to Adam', () => {
  const wide = () => [dense(100, undefined), dense(784, undefined)];
  const text = 'autoencoder.compile(optimizer=SGD(learning_rate=0.001, momentum=0.1), loss="mse")\n';
  const sgd = optimizer('SGD', 0.001, { momentum: { value: 0.1, origin: literal(0, 56, 59) }, location: at(0, 30, 68) });
  const [hit] = run(lowLearningRate, model({ layers: wide(), optimizer: sgd }), { [PATH]: text });
  assert.equal(hit.severity ?? lowLearningRate.defaultSeverity, 'warning');
  assert.match(hit.message, /^SGD at learning rate 0\.001 with momentum 0\.1 \(an effective 0\.00111\) with MSE averaged over 784 outputs: each output's step is about 0\.00111 × 2 \/ 784 = 2\.83e-6/);
  assert.equal(applyEdits(text, hit.fixes![0].edits), 'import keras\nautoencoder.compile(optimizer=keras.optimizers.Adam(), loss="mse")\n');
  // A high enough rate, a narrow output, Adam, or a cross-entropy loss: nothing.
  assert.deepEqual(run(lowLearningRate, model({ layers: wide(), optimizer: optimizer('SGD', 1.0) })), []);
  assert.deepEqual(run(lowLearningRate, model({ layers: [dense(4, undefined), dense(16, undefined)], optimizer: optimizer('SGD', 0.001) })), []);
  assert.deepEqual(run(lowLearningRate, model({ layers: wide() })), []);
  assert.deepEqual(run(lowLearningRate, model({ layers: wide(), optimizer: optimizer('SGD', 0.001), loss: 'binary_crossentropy' })), []);
});
