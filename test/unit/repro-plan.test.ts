import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ModelSpec } from '../../src/core/ir';
import { toFidelityCase } from '../../src/repro/fidelity';
import { buildPlan, materializeData, type ReproPlan } from '../../src/repro/plan';
import { lossBounds, judge } from '../../src/repro/verdict';
import { nanSgdLinear, seedExample1, seedExample3 } from '../fixtures/repro/specs';

function plan(model: ModelSpec, options: Parameters<typeof buildPlan>[1] = {}): ReproPlan {
  const r = buildPlan(model, options);
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

function refusal(model: ModelSpec, options: Parameters<typeof buildPlan>[1] = {}): string {
  const r = buildPlan(model, options);
  assert.ok('refused' in r, 'expected a refusal');
  return r.refused;
}

const here = { path: 'train.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };

test('a functional chain becomes a Keras 3 Sequential with an InputLayer carrying batch_shape', () => {
  const p = plan(seedExample1());
  assert.equal(p.kerasJson.class_name, 'Sequential');
  const [input, encoder, decoder] = p.kerasJson.config.layers;
  assert.deepEqual(input.config.batch_shape, [null, 2]);
  assert.equal(input.class_name, 'InputLayer');
  assert.deepEqual([encoder.config.units, encoder.config.activation, decoder.config.units, decoder.config.activation], [1, 'sigmoid', 2, 'sigmoid']);
  assert.equal(p.estimatedParameters, 7);
});

test('a branching functional model keeps its graph as Keras 3 inbound nodes', () => {
  const model = seedExample1();
  model.layers.push({ className: 'Dense', name: 'side', config: { units: 2 }, inbound: ['input_layer'] }, { className: 'Add', name: 'sum', config: {}, inbound: ['dense_1', 'side'] });
  const p = plan(model);
  assert.equal(p.kerasJson.class_name, 'Functional');
  const sum = p.kerasJson.config.layers.find((l) => l.name === 'sum')!;
  const node = sum.inbound_nodes![0] as { args: { config: { keras_history: unknown[] } }[][] };
  assert.deepEqual(node.args[0].map((t) => t.config.keras_history[0]), ['dense_1', 'side']);
  assert.deepEqual(p.kerasJson.config.output_layers, ['sum', 0, 0]);
});

test('compile settings carry Keras defaults: Adam 0.001 with epsilon 1e-7, SGD 0.01', () => {
  assert.deepEqual(plan(seedExample1()).compile.optimizer.config.epsilon, 1e-7);
  assert.equal(plan(seedExample1()).compile.optimizer.config.learning_rate, 0.001);
  const sgd = nanSgdLinear();
  sgd.compile!.optimizer = { className: 'sgd', learningRate: { value: 0.01, origin: { kind: 'default', note: '' } } };
  assert.deepEqual(plan(sgd).compile.optimizer, { className: 'SGD', config: { learning_rate: 0.01, momentum: 0, nesterov: false, clipnorm: null, clipvalue: null, global_clipnorm: null } });
  assert.equal(plan(seedExample1()).fit.batchSize, 32);
});

test('a custom loss or an unknown optimizer is refused with the reason', () => {
  const custom = seedExample1();
  custom.compile!.loss = { name: 'custom', functionName: 'vae_loss' };
  assert.match(refusal(custom), /custom loss vae_loss/);
  const odd = seedExample1();
  // Ftrl, which this used, is now reproduced; Yogi (TensorFlow Addons) is not one of Keras's.
  odd.compile!.optimizer.className = 'Yogi';
  assert.match(refusal(odd), /optimizer Yogi is not reproduced/);
});

test('literal data is reproduced exactly and validation data is kept apart', () => {
  const data = materializeData(plan(seedExample1()));
  assert.deepEqual(data.x, [[1, 1000], [2, 2000], [3, 3000]]);
  assert.deepEqual(data.y, data.x);
  assert.deepEqual(data.valX, [[4, 4000], [5, 5000]]);
});

test('validation_split takes the last fraction of the samples, as Keras does', () => {
  const model = seedExample1();
  model.data.train!.source = { kind: 'literal', values: [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]], location: here };
  model.data.target = model.data.train;
  model.fit!.validation = { kind: 'split', fraction: { value: 0.3, origin: { kind: 'literal', location: here } } };
  const data = materializeData(plan(model));
  // int(5 * (1 - 0.3)) = 3 samples stay for training.
  assert.deepEqual(data.x, [[1, 1], [2, 2], [3, 3]]);
  assert.deepEqual(data.valX, [[4, 4], [5, 5]]);
});

test('np.random data has the stated shape and range, the same for the same seed and different for another', () => {
  const a = materializeData(plan(nanSgdLinear(), { seed: 3 }));
  const b = materializeData(plan(nanSgdLinear(), { seed: 3 }));
  const c = materializeData(plan(nanSgdLinear(), { seed: 4 }));
  assert.equal(a.x.length + a.valX!.length, 1000);
  assert.equal(a.valX!.length, 200);
  assert.ok(a.x.every((r) => r.length === 8 && r.every((v) => v >= 0 && v < 1000)));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.x[0], c.x[0]);
});

test('transforms are replayed in order: StandardScaler, then a division', () => {
  const model = seedExample1();
  model.data.train!.transforms = [{ kind: 'scaler', scaler: 'StandardScaler', location: here }, { kind: 'divide', by: 2, epsilon: false, location: here }];
  const x = materializeData(plan(model)).x;
  const s = Math.sqrt(2 / 3);
  assert.deepEqual(x.map((r) => r[0].toFixed(6)), [-1 / s / 2, 0, 1 / s / 2].map((v) => v.toFixed(6)));
});

test('workspace files are read; files outside the workspace never are, and a stand-in says so', () => {
  const root = mkdtempSync(join(tmpdir(), 'nanguard-ws-'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'train.csv'), 'id,a,b\nx1,1,10\nx2,2,\nx3,3,30\n');
  const outside = mkdtempSync(join(tmpdir(), 'nanguard-outside-'));
  writeFileSync(join(outside, 'secret.csv'), 'a,b\n1,2\n');
  const model = seedExample1();
  model.path = 'train.py';
  model.data.train = { name: 'X', source: { kind: 'file', loader: 'pd.read_csv', path: 'data/train.csv', location: here }, transforms: [{ kind: 'fillna', location: here }], shape: [null, 2] };
  model.data.target = model.data.train;
  const data = materializeData(plan(model, { workspaceRoot: root }));
  assert.deepEqual(data.x, [[1, 10], [2, 0], [3, 30]]);
  assert.equal(plan(model, { workspaceRoot: root }).data.provenance.train, 'file');

  model.data.train = { ...model.data.train, source: { kind: 'file', loader: 'pd.read_csv', path: join(outside, 'secret.csv'), location: here }, transforms: [] };
  model.data.target = model.data.train;
  const p = plan(model, { workspaceRoot: root });
  assert.equal(p.data.provenance.train, 'synthetic');
  assert.match(p.notes.map((n) => n.text).join(' '), /not a file inside the workspace.*stand-in/);
  assert.ok(!('values' in p.data.x));
});

test('.npy files are parsed (float64, C order)', () => {
  const root = mkdtempSync(join(tmpdir(), 'nanguard-npy-'));
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }";
  const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, padded.length & 0xff, padded.length >> 8]), Buffer.from(padded, 'latin1')]);
  const body = Buffer.alloc(48);
  [1, 1000, 2, 2000, 3, 3000].forEach((v, i) => body.writeDoubleLE(v, i * 8));
  writeFileSync(join(root, 'x.npy'), Buffer.concat([head, body]));
  const model = seedExample1();
  model.path = 'train.py';
  model.data.train = { name: 'X', source: { kind: 'file', loader: 'np.load', path: 'x.npy', location: here }, transforms: [], shape: [3, 2] };
  model.data.target = model.data.train;
  assert.deepEqual(materializeData(plan(model, { workspaceRoot: root })).x, [[1, 1000], [2, 2000], [3, 3000]]);
});

test('unknown data gets a stand-in of the known shape and scale, in plain words', () => {
  const model = nanSgdLinear();
  model.data.train = { name: 'X', source: { kind: 'unknown', note: 'load_sensors() return value' }, transforms: [], shape: [null, 8], stats: Array.from({ length: 8 }, () => ({ count: 0, min: 0, max: 500, mean: 250, std: 1, nanCount: 0, infCount: 0 })) };
  model.data.target = model.data.train;
  const p = plan(model);
  assert.equal(p.data.provenance.train, 'synthetic');
  assert.match(p.notes[0].text, /X.*load_sensors\(\) return value.*stand-in of 256 samples x 8 features.*0 to 500/);
  const x = materializeData(p).x;
  assert.ok(x.flat().every((v) => v >= 0 && v <= 500));
});

test('caps: over the limits a plan is refused naming the limit, or shortened on request', () => {
  assert.match(refusal(seedExample3(), { caps: { maxEpochs: 100 } }), /500 epochs is over the limit of 100 \(maxEpochs\)/);
  assert.match(refusal(nanSgdLinear(), { caps: { maxSamples: 500 } }), /1000 samples is over the limit of 500 \(maxSamples\)/);
  assert.match(refusal(nanSgdLinear(), { caps: { maxParameters: 100 } }), /about 428 parameters, over the limit of 100 \(maxParameters\)/);
  assert.match(refusal(nanSgdLinear(), { caps: { maxWorkerMemoryMb: 0.1 } }), /maxWorkerMemoryMb/);
  const short = plan(seedExample3(), { caps: { maxEpochs: 100 }, shorten: true });
  assert.equal(short.fit.epochs, 100);
  assert.match(short.notes.map((n) => n.text).join(' '), /Shortened to 100 epochs/);
  const fewer = plan(nanSgdLinear(), { caps: { maxSamples: 500 }, shorten: true });
  assert.equal(materializeData(fewer).x.length + materializeData(fewer).valX!.length, 500);
});

test('the fidelity case is plain JSON with the unsplit data and the optimizer written out', () => {
  const c = toFidelityCase(plan(nanSgdLinear()));
  assert.equal(c.x.length, 1000);
  assert.equal(c.validationSplit, 0.2);
  assert.deepEqual(c.optimizer, { class_name: 'SGD', config: { learning_rate: 0.01, momentum: 0, nesterov: false } });
  assert.equal(c.loss, 'mse');
  assert.equal(c.batchSize, 32);
  assert.deepEqual(JSON.parse(JSON.stringify(c)), c);
  const e = toFidelityCase(plan(seedExample3()));
  assert.deepEqual(e.earlyStopping, { monitor: 'val_loss', patience: 10, min_delta: 0, restore_best_weights: true, start_from_epoch: 0 });
  assert.equal(e.valX!.length, 20);
});

test('loss bounds: the seed Example 1 targets cannot be reached by a sigmoid output', () => {
  const b = lossBounds('mse', [[1, 1000], [2, 2000], [3, 3000]], 'sigmoid');
  assert.ok(Math.abs(b.outputFloor! - 2331334.67) < 1);
  assert.ok(Math.abs(b.meanPredictor! - 333333.67) < 1);
  assert.equal(judge([2332454, 2332355], [], false, b).verdict, 'stalled');
  assert.equal(judge([1, 0.2], [0.3], false, { meanPredictor: 0.5, outputFloor: 0, outputRange: null, lossFloor: null }).verdict, 'healthy');
  assert.equal(judge([1, 0.2], [NaN], false, { meanPredictor: 0.5, outputFloor: 0, outputRange: null, lossFloor: null }).verdict, 'nan');
  assert.equal(judge([1, 5, 50], [], false, { meanPredictor: null, outputFloor: null, outputRange: null, lossFloor: null }).verdict, 'diverging');
  // Data all of one value: the mean predictor's loss is about 0, and a fresh network's 0.68 is not an explosion.
  assert.equal(judge([0.69, 0.68], [], false, { meanPredictor: 1e-7, outputFloor: null, outputRange: null, lossFloor: null }).verdict, 'stalled');
  assert.equal(judge([50, 49], [], false, { meanPredictor: 1e-7, outputFloor: null, outputRange: null, lossFloor: null }).verdict, 'exploded');
  // A train_step that logs no loss shows 0 every epoch (a held-out VAE report): that did not grow, whatever else it is.
  assert.notEqual(judge([0, 0, 0], [], false, { meanPredictor: 1400, outputFloor: null, outputRange: null, lossFloor: null }).verdict, 'diverging');
  // A rise smaller than the rounding is "0.0% lower", not "-0.0% lower".
  const flat = judge([6.4123e-8, 6.4124e-8, 6.41231e-8], [], false, { meanPredictor: 0.69, outputFloor: null, outputRange: null, lossFloor: null });
  assert.match(flat.explanation, /\(0\.0% lower\)/);
  // A rise is said as one, and a spike on the way is named (Keras's issue 10847 under TensorFlow.js: 0.679, 5.06e14, 0.6811, 0.6809).
  const spiked = judge([0.679339, 5.0607e14, 0.6811, 0.680922], [], false, { meanPredictor: null, outputFloor: null, outputRange: null, lossFloor: null });
  assert.equal(spiked.verdict, 'stalled');
  assert.match(spiked.explanation, /^The loss went from 0\.6793 to 0\.6809 \(0\.2% higher\), [a-z ]+\. On the way it spiked to 5\.061e\+14 \(epoch 1\)\./);
  assert.match(slowRise().explanation, /\(4\.0% higher\), no longer falling\.$/);
});

function slowRise() {
  return judge([0.5, 0.51, 0.52], [], false, { meanPredictor: null, outputFloor: null, outputRange: null, lossFloor: null });
}

test('one epoch has no progress between epochs: a loss well below the mean predictor is learning, one near it stays a stall', () => {
  const bounds = { meanPredictor: 13330, outputFloor: 0, outputRange: null, lossFloor: null };
  // keras-team/keras#3040 with the learning rate lowered: one epoch of y = 2x ends at 296, where the mean gives 13,330.
  const learned = judge([296.4], [], false, bounds);
  assert.equal(learned.verdict, 'healthy');
  assert.match(learned.explanation, /^One epoch ran; its loss, 296\.4, is 0\.02224 times what predicting each feature's mean gives \(13330\)/);
  const near = judge([13000], [], false, bounds);
  assert.equal(near.verdict, 'stalled');
  // One epoch shows no trend: the explanation does not say the loss stopped falling.
  assert.match(near.explanation, /^One epoch ran, too few to see the loss fall or level off; it ended at 13000, 0\.9752 times what predicting each feature's mean gives \(13330\)/);
  assert.doesNotMatch(near.explanation, /no longer falling/);
  // A little lower at every epoch is a stall by the 10% rule, but it is still falling, and says so.
  const slow = judge([0.527, 0.519, 0.5106], [], false, { meanPredictor: 0.2817, outputFloor: 0, outputRange: null, lossFloor: null });
  assert.equal(slow.verdict, 'stalled');
  assert.match(slow.explanation, /\(3\.1% lower\), still falling slowly\./);
  assert.match(judge([0.527, 0.519, 0.52], [], false, { meanPredictor: 0.2817, outputFloor: 0, outputRange: null, lossFloor: null }).explanation, /no longer falling/);
  assert.equal(judge([0.2], [], false, { meanPredictor: null, outputFloor: null, outputRange: null, lossFloor: null }).verdict, 'stalled');
});

test('loss bounds: binary cross-entropy on targets between 0 and 1 cannot go below their mean entropy, and a run there is at its optimum', () => {
  // Targets 0.3 and 0.7 cost -(0.3 ln 0.3 + 0.7 ln 0.7) = 0.6109 each even when predicted exactly; 0 and 1 cost nothing.
  const b = lossBounds('binary_crossentropy', [[0.3, 0], [0.7, 1]], 'sigmoid');
  assert.ok(Math.abs(b.lossFloor! - 0.6109 / 2) < 1e-4, `floor ${b.lossFloor}`);
  assert.ok(Math.abs(b.meanPredictor! - (0.6931 + 0.6931) / 2) < 1e-3, `mean predictor ${b.meanPredictor}`);
  assert.equal(b.outputFloor, null);
  // The loss fell 3%, but it sits at the floor: healthy, and the explanation says why it cannot fall further.
  const atFloor = judge([0.316, 0.31, 0.307], [], false, b);
  assert.equal(atFloor.verdict, 'healthy');
  assert.match(atFloor.explanation, /from 0\.316 to 0\.307, 99% of the way from predicting each feature's mean \(0\.6931\) to the lowest loss possible\. Binary cross-entropy on these targets cannot go below 0\.3054, their mean entropy .* not stalled/);
  // Falling, but still well above the floor: healthy, with the floor named so that nobody chases 0.
  const falling = judge([0.6, 0.45, 0.4], [], false, b);
  assert.equal(falling.verdict, 'healthy');
  assert.match(falling.explanation, /^The loss fell from 0\.6 to 0\.4\. Binary cross-entropy on these targets cannot go below 0\.3054/);
  // Far above the floor and flat: a stall, with the floor named.
  const stalled = judge([0.6939, 0.6937, 0.6935], [], false, b);
  assert.equal(stalled.verdict, 'stalled');
  assert.match(stalled.explanation, /cannot go below 0\.3054/);
  // Targets outside [0, 1] give binary cross-entropy no floor at all (NAN402's case).
  assert.equal(lossBounds('binary_crossentropy', [[2], [0.5]], 'sigmoid').lossFloor, null);
  // Targets of exactly 0 and 1 leave only Keras's epsilon clipping as a floor: nothing worth a sentence.
  const binary = lossBounds('binary_crossentropy', [[0, 1], [1, 0]], 'sigmoid');
  assert.ok((binary.lossFloor ?? 0) < 1e-4, `floor ${binary.lossFloor}`);
  assert.doesNotMatch(judge([0.69, 0.6, 0.55], [], false, binary).explanation, /cannot go below/);
  assert.equal(lossBounds('mse', [[2], [0.5]], undefined).lossFloor, 0);
});

test('transforms that cannot be replayed are named in the notes', () => {
  const model = seedExample1();
  model.data.train!.transforms = [{ kind: 'divide', by: 'unknown', epsilon: false, location: here }, { kind: 'noise', location: here }];
  const p = plan(model);
  assert.match(p.notes.map((n) => n.text).join(' '), /X_train.*division by an unknown value is not replayed/);
  assert.match(p.notes.map((n) => n.text).join(' '), /added noise is not replayed/);
});

test('the host-side API never loads TensorFlow.js', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../src/repro/index');
  const loaded = Object.keys(require.cache);
  assert.ok(loaded.some((p) => p.endsWith('runner.ts')), 'the API was not loaded through require');
  assert.ok(!loaded.some((p) => p.includes('@tensorflow')), 'tfjs was loaded');
});

test('binary cross-entropy on raw pixels gone negative is diverging, not healthy: its targets leave [0, 1], where the loss has no floor', () => {
  const b = lossBounds('binary_crossentropy', [[0, 255], [12, 140]], 'sigmoid');
  assert.deepEqual(b.bceTargetRange, [0, 255]);
  assert.equal(b.lossFloor, null);
  const judged = judge([-176.7, -520, -895], [], false, b);
  assert.equal(judged.verdict, 'diverging');
  assert.match(judged.explanation, /went negative, from -176\.7 to -895: its targets span 0 to 255, outside \[0, 1\]/);
});

test('validation inputs and targets of different row counts (a stand-in beside a dataset of known size) pair up to the shorter', () => {
  const base = plan(seedExample1());
  const synthetic = (rows: number, stream: number) => ({ kind: 'synthetic' as const, shape: [rows, base.inputShape.reduce((a, b) => a * b, 1)], low: [0], high: [1], stream, reason: 'stand-in', transforms: [] });
  const data = materializeData({ ...base, fit: { ...base.fit, validationSplit: null }, data: { ...base.data, valX: synthetic(64, 5), valY: synthetic(100, 6) } });
  assert.equal(data.valX?.length, 64);
  assert.equal(data.valY?.length, 64);
});
