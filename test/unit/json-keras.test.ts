import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeJsonFile } from '../../src/core/frontends/json';
import type { FileAnalysis, ModelSpec } from '../../src/core/ir';
import { fixture, originText, textAt } from './json-helpers';

async function analyze(relative: string): Promise<{ analysis: FileAnalysis; model: ModelSpec; text: string }> {
  const { path, text } = fixture(relative);
  const analysis = await analyzeJsonFile(path, text);
  assert.equal(analysis.language, 'keras-json', relative);
  assert.deepEqual(analysis.problems, []);
  assert.equal(analysis.models.length, 1);
  return { analysis, model: analysis.models[0], text };
}

const summary = (m: ModelSpec) => m.layers.map((l) => `${l.className}:${l.name}:${l.config.units ?? ''}:${l.config.activation ?? ''}`);

test('Keras 3 Sequential to_json (real Keras output): layers, input shape, compile with origins', async () => {
  for (const file of ['keras3/sequential_compiled.json', 'keras3/sequential_compact.json', 'keras3/archive_config.json']) {
    const { model, text } = await analyze(file);
    assert.equal(model.name, 'seed_sequential');
    assert.equal(model.kind, 'json');
    assert.deepEqual(summary(model), ['InputLayer:input_layer::', 'Dense:bottleneck:1:sigmoid', 'Dense:reconstruction:2:sigmoid']);
    assert.deepEqual(model.inputShape, [2]);
    assert.equal(model.compile?.optimizer.className, 'Adam');
    assert.equal(model.compile?.optimizer.learningRate.value, 0.5);
    assert.equal(originText(text, model.compile?.optimizer.learningRate.origin), '0.5');
    assert.equal(model.compile?.optimizer.epsilon?.value, 1e-10);
    assert.equal(originText(text, model.compile?.optimizer.epsilon?.origin), '1e-10');
    assert.equal(model.compile?.loss.name, 'mse');
    // Each layer's location is its JSON object; units and activation point at their values.
    const bottleneck = model.layers[1];
    const layerText = textAt(text, bottleneck.location!.range);
    assert.ok(layerText.startsWith('{') && layerText.endsWith('}'));
    assert.equal(JSON.parse(layerText).config.name, 'bottleneck');
    assert.equal(originText(text, bottleneck.origins?.units), '1');
    assert.equal(originText(text, bottleneck.origins?.activation), '"sigmoid"');
    assert.equal((model.kerasJson as { class_name: string }).class_name, 'Sequential');
  }
});

test('Keras 3 Functional (real output): dict inbound nodes give the graph; float32 noise is tidied', async () => {
  const { model } = await analyze('keras3/functional.json');
  assert.deepEqual(summary(model), [
    'InputLayer:features::',
    'Dense:dense:10:relu',
    'BatchNormalization:batch_normalization::',
    'Dense:code:5:relu',
    'Dense:dense_1:10:relu',
    'Dense:recon:10:linear',
  ]);
  assert.deepEqual(
    model.layers.map((l) => l.inbound ?? []),
    [[], ['features'], ['dense'], ['batch_normalization'], ['code'], ['dense_1']],
  );
  assert.deepEqual(model.inputShape, [10]);
  assert.equal(model.compile, undefined, 'an uncompiled model has an empty compile_config');
});

test('Keras 3 nested encoder/decoder models are flattened and rewired', async () => {
  const { model, text } = await analyze('keras3/nested.json');
  assert.equal(model.name, 'autoencoder');
  assert.deepEqual(
    model.layers.map((l) => `${l.name}@${l.submodel ?? ''}<-${(l.inbound ?? []).join(',')}`),
    ['ae_input@<-', 'dense_2@encoder<-ae_input', 'latent@encoder<-dense_2', 'dense_4@decoder<-latent', 'dense_3@decoder<-dense_4'],
  );
  assert.deepEqual(model.inputShape, [8]);
  // SGD(learning_rate=0.01) is stored as float32 and written back as 0.009999999776482582.
  assert.equal(model.compile?.optimizer.className, 'SGD');
  assert.equal(model.compile?.optimizer.learningRate.value, 0.01);
  assert.equal(originText(text, model.compile?.optimizer.learningRate.origin), '0.009999999776482582');
  assert.equal(model.compile?.optimizer.clipnorm?.value, 1);
  assert.equal(model.compile?.loss.name, 'binary_crossentropy');
});

test('Keras 2 Sequential to_json: InputLayer batch_input_shape, no compile', async () => {
  const { model, text } = await analyze('keras2/sequential.json');
  assert.deepEqual(summary(model), ['InputLayer:dense_input::', 'Dense:dense:1:sigmoid', 'Dense:dense_1:2:sigmoid']);
  assert.deepEqual(model.inputShape, [2]);
  assert.equal(model.compile, undefined);
  // One-line JSON: ranges are columns on line 0.
  assert.equal(model.layers[1].location!.range.start.line, 0);
  assert.equal(originText(text, model.layers[2].origins?.units), '2');
});

test('Keras 2 Functional: list inbound nodes', async () => {
  const { model } = await analyze('keras2/functional.json');
  assert.deepEqual(
    model.layers.map((l) => `${l.name}<-${(l.inbound ?? []).join(',')}`),
    ['input_1<-', 'dense<-input_1', 'batch_normalization<-dense', 'dense_1<-batch_normalization', 'dense_2<-dense_1', 'dense_3<-dense_2'],
  );
  assert.equal(model.layers[3].config.units, 5);
});

test('HDF5 attributes: model_config + training_config (Keras 2 optimizer_config)', async () => {
  const { model, text } = await analyze('keras2/h5_attributes.json');
  assert.equal(model.name, 'functional_1');
  assert.equal(model.compile?.optimizer.className, 'Adam');
  assert.equal(model.compile?.optimizer.learningRate.value, 0.5);
  assert.equal(originText(text, model.compile?.optimizer.learningRate.origin), '0.5');
  assert.equal(model.compile?.loss.name, 'mean_squared_error');
  assert.equal((model.kerasJson as { class_name: string }).class_name, 'Model');
});

test('Keras 2.1: Sequential config as a bare list, lr, batch_input_shape on the first layer', async () => {
  const { model, text } = await analyze('keras2/legacy_sequential.json');
  assert.deepEqual(summary(model), ['Dense:dense_1:3:tanh', 'Dense:dense_2:6:sigmoid']);
  assert.deepEqual(model.inputShape, [6]);
  assert.equal(model.compile?.optimizer.className, 'SGD');
  assert.equal(model.compile?.optimizer.learningRate.value, 0.8);
  assert.equal(originText(text, model.compile?.optimizer.learningRate.origin), '0.8');
  assert.equal(model.compile?.optimizer.momentum?.value, 0);
  assert.equal(model.compile?.loss.name, 'binary_crossentropy');
});

test('Keras 2 nested models, mixed precision policy, a schedule and Custom>Adam', async () => {
  const { model, text } = await analyze('keras2/nested_mixed_precision.json');
  assert.deepEqual(
    model.layers.map((l) => `${l.name}@${l.submodel ?? ''}<-${(l.inbound ?? []).join(',')}`),
    ['input_1@<-', 'dense_4@encoder<-input_1', 'latent@encoder<-dense_4', 'dense_5@decoder<-latent', 'dense_6@decoder<-'],
  );
  assert.equal(model.dtypePolicy?.value, 'mixed_float16');
  assert.equal(originText(text, model.dtypePolicy?.origin), '"mixed_float16"');
  assert.equal(model.compile?.optimizer.className, 'Adam');
  assert.equal(model.compile?.optimizer.learningRate.value, 0.1, 'initial_learning_rate of the schedule');
  assert.equal(model.compile?.optimizer.clipvalue?.value, 0.5);
  assert.equal(model.compile?.loss.name, 'mean_squared_error');
});

test('a TensorFlow.js model.json (modelTopology) is read too', async () => {
  const inner = JSON.parse(fixture('keras2/functional.json').text);
  const text = JSON.stringify({ format: 'layers-model', generatedBy: 'keras v2.12.0', modelTopology: inner, weightsManifest: [] }, null, 1);
  const analysis = await analyzeJsonFile('model.json', text);
  assert.equal(analysis.language, 'keras-json');
  assert.equal(analysis.models[0].layers.length, 6);
});

test('an optimizer given as a string without a learning rate gets the Keras default, marked as such', async () => {
  const text = JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: [] }, compile_config: { optimizer: 'rmsprop', loss: 'mae' } });
  const model = (await analyzeJsonFile('m.json', text)).models[0];
  assert.equal(model.compile?.optimizer.className, 'RMSprop');
  assert.equal(model.compile?.optimizer.learningRate.value, 0.001);
  assert.equal(model.compile?.optimizer.learningRate.origin.kind, 'default');
  assert.equal(model.compile?.loss.name, 'mae');
});
