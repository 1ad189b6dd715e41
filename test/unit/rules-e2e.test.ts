/**
 * End to end: Python source through the real front-end and the rules. Pins the seed examples,
 * every rule's firing and quiet fixture, and the healthy autoencoder corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkFile, DEFAULT_SETTINGS, type AnalysisHost, type Finding } from '../../src/core/index';
import { findRule } from '../../src/core/rules/index';
import { CORE_RULE_IDS } from '../fixtures/rules/ids';
import { applyEdits } from '../fixtures/rules/build';

const ROOT = resolve(__dirname, '..', '..');

const host: AnalysisHost = {
  readText: async (rel, from) => {
    const path = resolve(ROOT, dirname(from), rel);
    return existsSync(path) ? { path: path.slice(ROOT.length + 1), text: readFileSync(path, 'utf8') } : undefined;
  },
};

async function findings(rel: string): Promise<Finding[]> {
  const r = await checkFile(rel, readFileSync(join(ROOT, rel), 'utf8'), host, DEFAULT_SETTINGS);
  assert.ok(r.analysis.models.length > 0, `${rel}: the front-end found no model`);
  return r.findings;
}

const lineOf = (rel: string, needle: string) => readFileSync(join(ROOT, rel), 'utf8').split('\n').findIndex((l) => l.includes(needle));
const show = (fs: Finding[]) => fs.map((f) => `${f.range.start.line + 1}: ${f.rule} ${f.severity} ${f.message}`).join('\n');

test('seed Example 1: unscaled-input and feature-scale-disparity on X_train, output-range-mismatch (error) on the decoder', async () => {
  const rel = 'examples/seed1_unscaled.py';
  const fs = await findings(rel);
  const xTrain = lineOf(rel, 'X_train = np.array');
  const decoder = lineOf(rel, "decoder = Dense(input_dim, activation='sigmoid')");
  const by = (rule: string) => fs.find((f) => f.rule === rule);
  assert.equal(by('NAN101')?.range.start.line, xTrain, show(fs));
  assert.equal(by('NAN101')?.cause, 'unscaled-input');
  assert.match(by('NAN101')!.message, /X_train reaches the network unscaled: feature 1 spans 1000-3000/);
  assert.equal(by('NAN102')?.range.start.line, xTrain);
  assert.match(by('NAN102')!.message, /spans 1000-3000 while feature 0 spans 1-3 \(1000x\)/);
  const mismatch = by('NAN201');
  assert.equal(mismatch?.range.start.line, decoder, show(fs));
  assert.equal(mismatch?.severity, 'error');
  assert.match(mismatch!.message, /cannot go below 2\.33e6/);
  // The fix of NAN101 scales with MinMaxScaler, which matches the sigmoid output.
  assert.match(by('NAN101')!.fixes[0].title, /MinMaxScaler/);
});

for (const rel of ['examples/seed2_batchnorm.py', 'examples/seed3_early_stopping.py']) {
  test(`${rel} (random data in [0, 1], relu, linear output) gets no error and no warning`, async () => {
    const fs = await findings(rel);
    assert.deepEqual(fs.filter((f) => f.severity !== 'info').map((f) => f.message), []);
  });
}

for (const id of CORE_RULE_IDS) {
  const rule = findRule(id)!;
  test(`${id} fires on its fixture and stays quiet on the quiet one`, async () => {
    const fire = await findings(`test/fixtures/rules/${rule.id}_fire.py`);
    assert.ok(fire.some((f) => f.rule === rule.id), `${rule.id} did not fire:\n${show(fire)}`);
    const quiet = await findings(`test/fixtures/rules/${rule.id}_quiet.py`);
    assert.ok(!quiet.some((f) => f.rule === rule.id), `${rule.id} fired on the quiet fixture:\n${show(quiet)}`);
  });
}

const healthy = readdirSync(join(ROOT, 'test', 'fixtures', 'healthy')).filter((f) => f.endsWith('.py')).sort();

test('the healthy corpus has at least ten autoencoders', () => {
  assert.ok(healthy.length >= 10, String(healthy.length));
});

for (const name of healthy) {
  test(`healthy ${name}: no error and no warning`, async () => {
    const fs = await findings(`test/fixtures/healthy/${name}`);
    assert.deepEqual(fs.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.message}`), []);
  });
}

async function findingsOfText(rel: string, text: string): Promise<Finding[]> {
  return (await checkFile(rel, text, host, DEFAULT_SETTINGS)).findings;
}

const FIXABLE: [string, string][] = [
  ['NAN101', 'examples/seed1_unscaled.py'],
  ['NAN102', 'examples/seed1_unscaled.py'],
  ['NAN201', 'examples/seed1_unscaled.py'],
  ['NAN202', 'examples/seed1_unscaled.py'],
  ['NAN101', 'test/fixtures/rules/NAN101_fire.py'],
  ['NAN301', 'test/fixtures/rules/NAN301_fire.py'],
  ['NAN302', 'test/fixtures/rules/NAN302_fire.py'],
  ['NAN303', 'test/fixtures/rules/NAN303_fire.py'],
  ['NAN304', 'test/fixtures/rules/NAN304_fire.py'],
  ['NAN601', 'test/fixtures/rules/NAN601_fire.py'],
];

for (const [rule, rel] of FIXABLE) {
  test(`${rule}'s first fix on ${rel} makes the finding go away`, async () => {
    const text = readFileSync(join(ROOT, rel), 'utf8');
    const before = (await findingsOfText(rel, text)).find((f) => f.rule === rule);
    assert.ok(before?.fixes[0], `${rule} offers no fix on ${rel}`);
    const fixed = applyEdits(text, before.fixes[0].edits);
    assert.notEqual(fixed, text);
    const after = await checkFile(rel, fixed, host, DEFAULT_SETTINGS);
    assert.ok(after.analysis.models.length > 0, 'the fixed file still parses into a model');
    assert.deepEqual(after.findings.filter((f) => f.rule === rule).map((f) => f.message), [], `${rule} still fires after its fix:\n${fixed}`);
  });
}
