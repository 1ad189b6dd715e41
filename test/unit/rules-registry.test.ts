import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isCause } from '../../src/core/causes';
import { ALL_RULES, findRule } from '../../src/core/rules/index';
import { CORE_RULE_IDS } from '../fixtures/rules/ids';

const CORE_RULES = CORE_RULE_IDS.map((id) => findRule(id)!);

const ROOT = resolve(__dirname, '..', '..');

interface Outcome {
  first_nan_epoch?: number | null;
  nan_runs?: number;
  final_loss?: number | string | null;
  /** Cases run over several seeds: each seed's final loss. */
  final_losses?: (number | string | null)[];
}
interface Evidence {
  rule: string;
  keras: string;
  cases: Record<string, Outcome>;
  [k: string]: unknown;
}

const results = JSON.parse(readFileSync(join(ROOT, 'test', 'evidence', 'results.json'), 'utf8')) as Record<string, Evidence>;

test('rules have unique ids in order, kebab-case names and known causes', () => {
  const ids = ALL_RULES.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of ALL_RULES) {
    assert.match(rule.id, /^NAN\d{3}$/);
    assert.match(rule.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(isCause(rule.cause), rule.cause);
  }
  assert.ok(CORE_RULES.every(Boolean), 'every core rule is registered');
});

test('core rules have complete docs with what a real Keras run did', () => {
  for (const rule of CORE_RULES) {
    for (const [key, text] of Object.entries(rule.docs)) assert.ok(text.trim().length > 40, `${rule.id} docs.${key}`);
    assert.match(rule.docs.example, /```python/);
    assert.match(rule.docs.evidence, /Keras 3\.15/, `${rule.id} evidence must say what the real run did`);
  }
});

test('every core rule has an evidence script and a recorded Keras outcome', () => {
  for (const rule of CORE_RULES) {
    assert.ok(existsSync(join(ROOT, 'test', 'evidence', `${rule.id}.py`)), `${rule.id}.py`);
    const ev = results[rule.id];
    assert.ok(ev, `results.json lacks ${rule.id}`);
    assert.equal(ev.rule, rule.id);
    assert.match(ev.keras, /^3\./);
    assert.ok(Object.keys(ev.cases).length >= 2, `${rule.id}: an example and a comparison`);
  }
});

function wentNaN(o: Outcome): boolean {
  return (o.nan_runs ?? 0) > 0 || (o.first_nan_epoch ?? null) !== null;
}

test('severity is earned: an error-level rule\'s own example really failed in Keras, its fix did not', () => {
  for (const rule of CORE_RULES.filter((r) => r.defaultSeverity === 'error')) {
    const cases = Object.entries(results[rule.id].cases);
    const example = cases.find(([name]) => name.startsWith('example'));
    const fixed = cases.find(([name]) => name.startsWith('fixed'));
    assert.ok(example && fixed, `${rule.id}: needs example_* and fixed_* cases`);
    // NAN201's example stalls rather than going NaN: above the targets' variance in every seed it ran.
    const finals = example[1].final_losses ?? [example[1].final_loss];
    const stalled = rule.id === 'NAN201' && finals.every((l) => typeof l === 'number' && l >= (results[rule.id].target_variance_train as number));
    assert.ok(wentNaN(example[1]) || stalled, `${rule.id}: its example neither went NaN nor stalled above the variance`);
    assert.ok(!wentNaN(fixed[1]), `${rule.id}: its fix still went NaN`);
  }
});
