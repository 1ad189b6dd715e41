// JSON nested far deeper than any real Keras file or config: the front-ends copy at most 64
// levels of a value into the IR, so the analysis stays copyable (JSON.stringify, structuredClone
// into and out of the analysis worker) and the CLI's output formatters print it; nothing
// recursive on the input's depth overflows the stack.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';
import { MAX_IR_VALUE_DEPTH } from '../../src/core/frontends/jsonTree';
import { boundedValue, valueDepth } from '../../src/analysis-worker/boundedValue';
import { makeWorkspace, runCli } from './cli-workspace';

const ROOT = join(__dirname, '..', '..');
/** The IR's own nesting around a copied value (model, layers, layer, config, ...) is well under this. */
const IR_OWN_NESTING = 16;

function nested(depth: number, leaf = '1'): string {
  return `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
}

/** A real Keras 3 topology with `value` written into its first Dense layer's config. */
function kerasWith(key: string, value: string): string {
  const text = readFileSync(join(ROOT, 'test/fixtures/json/keras3/functional.json'), 'utf8');
  const at = text.indexOf('"units": 10');
  assert.ok(at > 0);
  return `${text.slice(0, at)}"${key}": ${value}, ${text.slice(at)}`;
}

function assertCopyable(value: unknown, what: string): void {
  assert.doesNotThrow(() => JSON.stringify(value), `${what}: JSON.stringify`);
  assert.doesNotThrow(() => structuredClone(value), `${what}: structuredClone`);
}

describe('JSON values nested thousands of levels deep', () => {
  it('a Keras topology with a layer config value 400 levels deep: the model is read, its IR keeps at most 64 levels of the value', async () => {
    const text = kerasWith('giant', nested(400));
    const analysis = await analyzeFile('model.json', text, NO_FILES);
    assert.equal(analysis.language, 'keras-json');
    assert.equal(analysis.models.length, 1);
    assert.ok(analysis.models[0].layers.some((l) => l.className === 'Dense'), 'the layers are read');
    const depth = valueDepth(analysis);
    assert.ok(depth <= MAX_IR_VALUE_DEPTH + IR_OWN_NESTING, `the IR is ${depth} levels deep`);
    assertCopyable(analysis, 'the analysis');
  });

  it('a Keras topology that nests within the parse limit keeps its real values (13 levels of a nested model)', async () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/json/keras3/nested.json'), 'utf8');
    const analysis = await analyzeFile('nested.json', text, NO_FILES);
    assert.deepEqual(analysis.models[0].kerasJson, JSON.parse(text), 'nothing omitted from a real topology');
  });

  it('a config JSON 10,000 levels deep is refused with a warning, not parsed', async () => {
    const text = `{"learning_rate": 0.1, "epochs": 10, "giant": ${nested(10_000)}}`;
    const { analysis, findings } = await checkFile('config.json', text, NO_FILES, DEFAULT_SETTINGS);
    assert.deepEqual(findings, []);
    assert.deepEqual(analysis.problems.map((p) => p.message), ['JSON nested 10001 levels deep (more than 512); not analysed']);
    assertCopyable(analysis, 'the analysis');
  });

  it('a config JSON with values 500 levels deep under its settings is analysed and stays copyable', async () => {
    const text = `{"learning_rate": 0.5, "epochs": 10, "optimizer": {"name": "adam", "extra": ${nested(500)}}, "layers": [{"units": 4, "activation": "relu", "deep": ${nested(500)}}], "giant": ${nested(500)}}`;
    const { analysis, findings } = await checkFile('config.json', text, NO_FILES, DEFAULT_SETTINGS);
    assert.equal(analysis.language, 'config-json');
    assert.ok(findings.some((f) => f.rule === 'NAN301'), 'the high learning rate is still found');
    const depth = valueDepth(analysis);
    assert.ok(depth <= MAX_IR_VALUE_DEPTH + IR_OWN_NESTING, `the IR is ${depth} levels deep`);
    assertCopyable(analysis, 'the analysis');
  });

  it('a notebook whose metadata nests 100,000 levels deep is analysed and stays copyable', async () => {
    const cells = [{ cell_type: 'code', metadata: {}, source: ['import numpy as np\n', 'from tensorflow import keras\n', 'X = np.array([[1, 1000], [2, 2000]])\n', 'm = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2)])\n', 'm.compile(optimizer="adam", loss="mse")\n', 'm.fit(X, X, epochs=10)\n'], outputs: [], execution_count: null }];
    const text = `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"giant": ${nested(100_000)}}, "cells": ${JSON.stringify(cells)}}`;
    const { analysis, findings } = await checkFile('deep.ipynb', text, NO_FILES, DEFAULT_SETTINGS);
    assert.equal(analysis.models.length, 1);
    assert.ok(findings.some((f) => f.rule === 'NAN101'), 'the unscaled input is found');
    assertCopyable(analysis, 'the analysis');
  });

  it('the CLI prints text, JSON and SARIF for a workspace of deeply nested JSON files', async () => {
    const ws = makeWorkspace({
      'model.json': kerasWith('giant', nested(400)),
      'config.json': `{"optimizer": "adam", "learning_rate": 0.5, "epochs": 10, "giant": ${nested(500)}}`,
      'deep_config.json': `{"learning_rate": 0.5, "giant": ${nested(10_000)}}`,
    });
    try {
      for (const format of ['text', 'json', 'sarif']) {
        const run = await runCli(['check', '.', '--format', format], ws.root);
        assert.equal(run.stderr, '', format);
        assert.ok(run.code === 0 || run.code === 1, `${format}: exit ${run.code}`);
        if (format !== 'text') assert.doesNotThrow(() => JSON.parse(run.stdout), format);
        assert.match(run.stdout, /NAN301/, `${format}: the learning rate of config.json is reported`);
        assert.match(run.stdout, /nested 10001 levels deep/, `${format}: the refused file is named`);
      }
    } finally {
      ws.cleanup();
    }
  });
});

describe('boundedValue (the analysis worker sends a value whose copy failed again, cut at a depth)', () => {
  it('copies a value nested 1,000,000 levels deep without recursion, keeping the first levels', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    const message = { type: 'result', id: 7, result: { analysis: { models: [{ config: { giant: deep, units: 4 } }] } } };
    assert.throws(() => structuredClone(message), RangeError);
    const bounded = boundedValue(message, 96) as typeof message;
    assert.equal(valueDepth(bounded), 96);
    assert.equal(bounded.id, 7);
    assert.equal(bounded.result.analysis.models[0].config.units, 4);
    assertCopyable(bounded, 'the bounded message');
  });

  it('leaves a value within the depth equal to the original', () => {
    const value = { a: [1, 'two', null, { b: [true, { c: 3 }] }], d: new Float64Array([1, 2]), e: undefined };
    assert.deepEqual(boundedValue(value, 10), value);
    assert.deepEqual(boundedValue(value, 2), { a: [1, 'two', null, null], d: new Float64Array([1, 2]), e: undefined });
  });
});
