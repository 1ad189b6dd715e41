import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeJsonFile } from '../../src/core/frontends/json';
import type { FileAnalysis } from '../../src/core/ir';
import { fixture, originText, textAt } from './json-helpers';

async function analyze(relative: string): Promise<{ analysis: FileAnalysis; text: string }> {
  const { path, text } = fixture(relative);
  return { analysis: await analyzeJsonFile(path, text), text };
}

test('a flat config: entries with value ranges, and a ModelSpec whose origins point into the JSON', async () => {
  const { analysis, text } = await analyze('configs/flat.json');
  assert.equal(analysis.language, 'config-json');
  assert.deepEqual(analysis.problems, []);
  const lr = analysis.config!.find((e) => e.key === 'learning_rate')!;
  assert.equal(lr.value, 0.5);
  assert.deepEqual(lr.location.range, { start: { line: 2, character: 19 }, end: { line: 2, character: 22 } });
  assert.equal(analysis.config!.length, 12);

  const model = analysis.models[0];
  assert.equal(model.kind, 'json');
  assert.equal(model.name, 'flat.json');
  const opt = model.compile!.optimizer;
  assert.equal(opt.className, 'Adam');
  assert.equal(opt.learningRate.value, 0.5);
  assert.deepEqual(opt.learningRate.origin, {
    kind: 'config',
    key: 'learning_rate',
    location: { path: 'test/fixtures/json/configs/flat.json', range: { start: { line: 2, character: 19 }, end: { line: 2, character: 22 } } },
  });
  assert.equal(originText(text, opt.epsilon?.origin), '1e-10');
  assert.equal(model.compile!.loss.name, 'mse');
  assert.equal(model.fit!.epochs.value, 100);
  assert.equal(model.fit!.batchSize.value, 32);
  assert.equal(model.fit!.validation.kind, 'split');
  assert.deepEqual(model.inputShape, [2]);
  // The bottleneck and output the config names become layers, so layer rules can fire.
  assert.deepEqual(
    model.layers.map((l) => [l.name, l.config.units, l.config.activation]),
    [
      ['bottleneck', 1, 'sigmoid'],
      ['output', 2, 'sigmoid'],
    ],
  );
  assert.equal(originText(text, model.layers[0].origins?.activation), '"sigmoid"');
  assert.equal(originText(text, model.layers[0].origins?.units), '1');
  // "scaling": "none" -> training data with no transform.
  assert.deepEqual(model.data.train?.transforms, []);
});

test('settings nested in model / optimizer / training / preprocessing sections, with aliases', async () => {
  const { analysis, text } = await analyze('configs/sections.json');
  assert.equal(analysis.language, 'config-json');
  assert.deepEqual(analysis.problems, []);
  const keys = analysis.config!.map((e) => e.key);
  assert.ok(keys.includes('optimizer.lr') && keys.includes('training.num_epochs') && keys.includes('model.latent_dim'), keys.join());
  const model = analysis.models[0];
  assert.equal(model.compile!.optimizer.className, 'SGD');
  assert.equal(model.compile!.optimizer.learningRate.value, 0.8);
  const origin = model.compile!.optimizer.learningRate.origin;
  assert.equal(origin.kind === 'config' && origin.key, 'optimizer.lr');
  assert.equal(originText(text, origin), '0.8');
  assert.equal(model.compile!.optimizer.momentum?.value, 0.9);
  assert.equal(model.compile!.optimizer.clipnorm?.value, 1);
  assert.equal(model.compile!.loss.name, 'mean_squared_error');
  assert.equal(model.fit!.epochs.value, 300);
  assert.equal(model.fit!.batchSize.value, 16);
  assert.equal(model.fit!.validation.kind, 'none');
  // "layers": [64, 16, 4, 16, 64] with "activation": "tanh".
  assert.deepEqual(
    model.layers.map((l) => [l.config.units, l.config.activation]),
    [
      [64, 'tanh'],
      [16, 'tanh'],
      [4, 'tanh'],
      [16, 'tanh'],
      [64, 'tanh'],
    ],
  );
  assert.equal(originText(text, model.layers[2].origins?.units), '4');
  const transforms = model.data.train?.transforms ?? [];
  assert.equal(transforms.length, 1);
  assert.equal(transforms[0].kind === 'scaler' && transforms[0].scaler, 'MinMaxScaler');
  assert.equal(model.dtypePolicy?.value, 'mixed_float16');
});

test('a Keras-style optimizer object inside a config', async () => {
  const { analysis, text } = await analyze('configs/keras_style_optimizer.json');
  const opt = analysis.models[0].compile!.optimizer;
  assert.equal(opt.className, 'RMSprop');
  assert.equal(opt.learningRate.value, 0.00001);
  assert.equal(originText(text, opt.learningRate.origin), '0.00001');
  assert.equal(opt.epsilon?.value, 1e-12);
  assert.equal(analysis.models[0].compile!.loss.name, 'binary_crossentropy');
});

test("Python's NaN / Infinity tokens are read as numbers and reported, not put in the IR; 1e308 is a number", async () => {
  const { analysis, text } = await analyze('configs/python_nan.json');
  assert.equal(analysis.language, 'config-json');
  const lr = analysis.config!.find((e) => e.key === 'learning_rate')!;
  assert.ok(Number.isNaN(lr.value));
  assert.equal(textAt(text, lr.location.range), 'NaN');
  assert.equal(analysis.config!.find((e) => e.key === 'clipvalue')!.value, -Infinity);
  assert.equal(analysis.config!.find((e) => e.key === 'note'), undefined);
  const messages = analysis.problems.map((p) => p.message);
  assert.ok(messages.some((m) => m.includes("'learning_rate' is NaN")), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes("'epsilon' is Infinity")), messages.join('\n'));
  // 1e308 epochs is finite and whole: it is the user's number, and a rule may quote it.
  const model = analysis.models[0];
  assert.equal(model.fit!.epochs.value, 1e308);
  assert.equal(model.compile, undefined, 'no usable learning rate and no optimizer named');
  assert.equal(model.fit!.batchSize.value, 64);
});

test('wrong types give warnings at the value, never an exception or a wrong IR value', async () => {
  const { analysis, text } = await analyze('configs/wrong_types.json');
  assert.equal(analysis.language, 'config-json');
  const byKey = new Map(analysis.problems.map((p) => [textAt(text, p.location!.range), p.message]));
  assert.match(byKey.get('"1e-3"')!, /string "1e-3"/);
  assert.match(byKey.get('"many"')!, /should be a number/);
  assert.match(byKey.get('0')!, /greater than 0/);
  assert.match(byKey.get('1.5')!, /\[0, 1\)/);
  assert.match(byKey.get('42')!, /should be a string/);
  assert.match(byKey.get('2.5')!, /whole number/);
  const model = analysis.models[0];
  // The numeric string is still understood (with the warning above).
  assert.equal(model.compile?.optimizer.learningRate.value, 0.001);
  assert.equal(model.compile?.optimizer.className, 'unknown');
  assert.equal(model.fit, undefined);
  assert.deepEqual(model.layers, []);
});

test('a half-typed config: an error with its position, and what parsed is still analysed', async () => {
  const { analysis } = await analyze('configs/half_typed.json');
  const error = analysis.problems.find((p) => p.severity === 'error')!;
  assert.match(error.message, /invalid JSON: value expected at line 5, column 1/);
  assert.equal(error.location!.range.start.line, 4);
  assert.equal(analysis.models[0].compile?.optimizer.learningRate.value, 0.5);
});

test('JSON that is not ours gives nothing, valid or not', async () => {
  for (const file of ['configs/not_ours.json', 'configs/not_ours_invalid.json']) {
    const { analysis } = await analyze(file);
    assert.deepEqual([analysis.language, analysis.models, analysis.problems], ['unknown', [], []], file);
  }
  const pkg = fixture('../../../package.json');
  assert.deepEqual((await analyzeJsonFile('package.json', pkg.text)).models, []);
  const tsconfig = fixture('../../../tsconfig.json');
  const t = await analyzeJsonFile('tsconfig.json', tsconfig.text);
  assert.deepEqual([t.models, t.problems], [[], []]);
});

test('one weak key alone is not a config; two are', async () => {
  assert.equal((await analyzeJsonFile('a.json', '{"loss": "mse"}')).language, 'unknown');
  assert.equal((await analyzeJsonFile('b.json', '{"loss": "mse", "activation": "relu"}')).language, 'config-json');
  assert.equal((await analyzeJsonFile('c.json', '{"epochs": 5}')).language, 'config-json');
});

test('the first occurrence of a setting wins, top level before sections', async () => {
  const text = '{"training": {"learning_rate": 0.1}, "learning_rate": 0.002, "optimizer": "adam"}';
  const model = (await analyzeJsonFile('c.json', text)).models[0];
  assert.equal(model.compile!.optimizer.learningRate.value, 0.002);
});

test('examples/config.json: Adam at 0.5, quoted from line 3', async () => {
  const { analysis, text } = await analyze('../../../examples/config.json');
  const opt = analysis.models[0].compile!.optimizer;
  assert.equal(opt.className, 'Adam');
  assert.equal(opt.learningRate.value, 0.5);
  assert.equal(opt.learningRate.origin.kind === 'config' && opt.learningRate.origin.location.range.start.line + 1, 3);
  assert.equal(originText(text, opt.learningRate.origin), '0.5');
});

test('examples/keras_topology_sigmoid.json: the sigmoid autoencoder as Keras wrote it', async () => {
  const { analysis } = await analyze('../../../examples/keras_topology_sigmoid.json');
  assert.equal(analysis.language, 'keras-json');
  const model = analysis.models[0];
  assert.deepEqual(
    model.layers.map((l) => [l.className, l.config.units, l.config.activation]),
    [
      ['InputLayer', undefined, undefined],
      ['Dense', 1, 'sigmoid'],
      ['Dense', 2, 'sigmoid'],
    ],
  );
  assert.equal(model.compile?.optimizer.className, 'Adam');
  assert.equal(model.compile?.optimizer.learningRate.value, 0.001);
});
