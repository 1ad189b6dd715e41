import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzeJsonFile } from '../../src/core/frontends/json';
import type { FileAnalysis } from '../../src/core/ir';
import { fixture } from './json-helpers';

async function analyze(text: string, path = 'config.json'): Promise<FileAnalysis> {
  return analyzeJsonFile(path, text);
}

test('empty and blank files: nothing', async () => {
  for (const text of ['', '   \n\t', '\ufeff']) {
    const a = await analyze(text);
    assert.deepEqual([a.models, a.problems], [[], []]);
  }
});

test('invalid JSON that looks like a config: one clear error with its position', async () => {
  const a = await analyze('{\n  "learning_rate": 0.5,\n  "epochs": 10,,\n}');
  assert.equal(a.problems.length, 1);
  assert.equal(a.problems[0].severity, 'error');
  assert.match(a.problems[0].message, /^invalid JSON: property name expected at line 3, column 16 \(and \d+ more\)$/);
  assert.deepEqual(a.problems[0].location!.range.start, { line: 2, character: 15 });
});

test('invalid JSON of a Keras topology is reported too', async () => {
  const a = await analyze('{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": }}]}}', 'model.json');
  assert.ok(a.problems.some((p) => p.severity === 'error' && /invalid JSON/.test(p.message)));
});

test('10,000 levels of nesting: no stack overflow; a warning when the file is ours, nothing otherwise', async () => {
  const deep = '['.repeat(10_000) + ']'.repeat(10_000);
  const ours = await analyze(`{"learning_rate": 0.5, "x": ${deep}}`);
  assert.equal(ours.models.length, 0);
  assert.match(ours.problems[0].message, /nested 10001 levels deep/);
  const theirs = await analyze(`{"x": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);
  assert.deepEqual([theirs.models, theirs.problems], [[], []]);
  // Unbalanced, deep, and invalid at once.
  const broken = await analyze(`{"epochs": ${'['.repeat(20_000)}`);
  assert.equal(broken.models.length, 0);
});

test('a config beside a 1,000,000-number array is analysed in reasonable time', async () => {
  const numbers = Array.from({ length: 1_000_000 }, (_, i) => (i % 1000) / 7).join(',');
  const text = `{"learning_rate": 0.5, "optimizer": "adam", "samples": [${numbers}]}`;
  const started = performance.now();
  const a = await analyze(text);
  const ms = performance.now() - started;
  assert.equal(a.models[0].compile?.optimizer.learningRate.value, 0.5);
  // Hang guards only: the speed itself is measured by the bench, not asserted on a shared machine.
  assert.ok(ms < 60_000, `took ${ms} ms`);
  // A data file with no training keys is skipped without parsing.
  const dataStarted = performance.now();
  assert.deepEqual((await analyze(`[${numbers}]`, 'data.json')).models, []);
  assert.ok(performance.now() - dataStarted < 10_000);
});

test('extreme numbers: 1e308 and 1e400 are numbers, never exceptions', async () => {
  const a = await analyze('{"learning_rate": 1e308, "optimizer": "sgd", "epochs": 1e400}');
  assert.equal(a.models[0].compile?.optimizer.learningRate.value, 1e308);
  assert.equal(a.models[0].fit, undefined, '1e400 overflows to Infinity and is refused');
  assert.ok(a.problems.some((p) => /'epochs' is Infinity/.test(p.message)));
});

test('wrong shapes in a Keras topology are skipped, not thrown on', async () => {
  const weird = [
    '{"class_name": "Sequential", "config": {"layers": [1, "x", null, {"class_name": 5}, {"config": []}]}}',
    '{"class_name": "Functional", "config": {"layers": [{"class_name": "Dense", "config": {"units": "ten"}, "inbound_nodes": [5, [[7]], {"args": "x"}]}], "input_layers": 3, "output_layers": [[null]]}}',
    '{"class_name": "Model", "config": {"layers": []}, "compile_config": {"optimizer": {"class_name": null}, "loss": 5}}',
    '{"model_config": {"class_name": "Sequential", "config": {"layers": []}}, "training_config": {"optimizer_config": "adam", "loss": ["mse"]}}',
    '{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_shape": "big"}}]}}',
  ];
  for (const text of weird) {
    const a = await analyze(text, 'model.json');
    assert.equal(a.language, 'keras-json', text);
  }
  const last = await analyze(weird[3], 'model.json');
  assert.equal(last.models[0].compile?.optimizer.className, 'Adam');
  assert.equal(last.models[0].compile?.loss.name, 'mse');
});

test('never throws on arbitrary text or on mutilated fixtures', async () => {
  const sources = [fixture('keras3/nested.json').text, fixture('keras2/nested_mixed_precision.json').text, fixture('configs/sections.json').text];
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: sources.length - 1 }), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), async (which, a, b, insert) => {
      const src = sources[which];
      const start = a % src.length;
      const end = Math.min(src.length, start + (b % 40));
      const result = await analyze(src.slice(0, start) + insert + src.slice(end), 'm.json');
      assert.ok(Array.isArray(result.models) && Array.isArray(result.problems));
    }),
    { numRuns: 300 },
  );
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (text) => {
      const result = await analyze(text);
      assert.ok(Array.isArray(result.models));
    }),
    { numRuns: 500 },
  );
});
