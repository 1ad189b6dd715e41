import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readmeSection, ruleMarkdown } from '../../scripts/gen-rule-docs';
import { ALL_RULES } from '../../src/core/rules/index';

const ROOT = resolve(__dirname, '..', '..');

type Case = { seeds?: unknown; epochs_run?: unknown } | unknown[];

/** The numbers of seeds a rule's evidence script ran its cases over, as results.json records them. */
function seedCounts(ruleId: string): Set<number> {
  const results = JSON.parse(readFileSync(join(ROOT, 'test', 'evidence', 'results.json'), 'utf8')) as Record<string, { cases?: Record<string, unknown> }>;
  const counts = new Set<number>();
  const perSeed = new Map<string, number>(); // single runs recorded one case per seed: `raw_relu_seed0`, `raw_relu_seed1`, ...
  for (const [name, c] of Object.entries(results[ruleId]?.cases ?? {})) {
    if (Array.isArray(c)) counts.add(c.length);
    else if (c && typeof c === 'object') {
      const one = c as Exclude<Case, unknown[]>;
      if (typeof one.seeds === 'number') counts.add(one.seeds);
      else if (typeof one.epochs_run === 'number') {
        counts.add(1);
        const group = /^(.*)_seed\d+$/.exec(name)?.[1];
        if (group !== undefined) perSeed.set(group, (perSeed.get(group) ?? 0) + 1);
      }
    }
  }
  for (const n of perSeed.values()) counts.add(n);
  return counts;
}

test('every rule states its measured failure rate in one short line with "N of M" seed counts', () => {
  for (const rule of ALL_RULES) {
    const m = rule.docs.measured;
    assert.equal(typeof m, 'string', rule.id);
    assert.ok(m.trim().length > 0 && m === m.trim(), `${rule.id}: measured must be a trimmed, non-empty line`);
    assert.ok(!/[\n|]/.test(m), `${rule.id}: measured must be one line without a pipe (it is a table cell)`);
    assert.ok(m.length <= 90, `${rule.id}: measured is ${m.length} characters, keep it under about 90`);
    const counts = [...m.matchAll(/\b(\d+) of (\d+)\b/g)].map((x) => [Number(x[1]), Number(x[2])] as const);
    assert.ok(/\b\d+ of \d+ seeds?\b/.test(m), `${rule.id}: measured must count seeds as "N of M seeds"`);
    const recorded = seedCounts(rule.id);
    assert.ok(recorded.size > 0, `${rule.id}: no cases in test/evidence/results.json`);
    for (const [n, total] of counts) {
      assert.ok(n <= total, `${rule.id}: ${n} of ${total}`);
      assert.ok(recorded.has(total), `${rule.id}: "of ${total}" but results.json ran its cases over ${[...recorded].join(', ')} seeds`);
    }
  }
});

test('the README table and each rule page show the measured line', () => {
  const section = readmeSection(ALL_RULES);
  assert.match(section, /^\| Rule \| Name \| Cause \| Default severity \| What it flags \| Measured in Keras \|$/m);
  for (const rule of ALL_RULES) {
    assert.ok(section.includes(`| ${rule.docs.measured} |\n`), rule.id);
    const page = ruleMarkdown(rule);
    const at = page.indexOf(`Measured in Keras: ${rule.docs.measured}`);
    assert.ok(at > 0 && at < page.indexOf('## What it does'), `${rule.id}: the measured line comes before the first section`);
  }
});
