import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expectedFiles, ruleMarkdown, staleFiles, withRulesSection } from '../../scripts/gen-rule-docs';
import { ALL_RULES, findRule } from '../../src/core/rules/index';

const ROOT = resolve(__dirname, '..', '..');

test('generated rule docs and the README rules section are up to date (gen-rule-docs --check)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'gen-rule-docs.ts'), '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('check mode notices a stale page, a missing page and an orphan page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rule-docs-'));
  try {
    writeFileSync(join(dir, 'README.md'), '# nanguard\n\nIntro.\n');
    for (const [path, text] of expectedFiles(dir)) {
      mkdirSync(resolve(path, '..'), { recursive: true });
      writeFileSync(path, text);
    }
    assert.deepEqual(staleFiles(dir), []);
    writeFileSync(join(dir, 'docs', 'rules', 'NAN101.md'), 'old');
    writeFileSync(join(dir, 'docs', 'rules', 'NAN999.md'), 'removed rule');
    rmSync(join(dir, 'docs', 'rules', 'NAN202.md'));
    const stale = staleFiles(dir).map((p) => p.slice(dir.length + 1)).sort();
    assert.deepEqual(stale, ['docs/rules/NAN101.md', 'docs/rules/NAN202.md', 'docs/rules/NAN999.md']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the README section keeps the rest of the README and appends markers when missing', () => {
  const section = '<!-- rules:start -->\nX\n<!-- rules:end -->';
  assert.equal(withRulesSection('# A\n\n<!-- rules:start -->\nold\n<!-- rules:end -->\n\n## After\n', section), `# A\n\n${section}\n\n## After\n`);
  assert.equal(withRulesSection('# A\n\ntext\n', section), `# A\n\ntext\n\n${section}\n`);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const rule of ALL_RULES) assert.ok(readme.includes(`[${rule.id}](docs/rules/${rule.id}.md)`), rule.id);
});

test('each rule page has the Ruff-style sections in order', () => {
  for (const rule of ALL_RULES) {
    const md = ruleMarkdown(rule);
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, ['What it does', 'Why it leads to NaN', 'Example', 'Fix', 'Evidence'], rule.id);
    assert.ok(md.startsWith(`# ${rule.id} ${rule.name}\n`));
  }
  assert.equal(findRule('nan201')?.name, 'output-range-mismatch');
  assert.equal(findRule('unscaled-input')?.id, 'NAN101');
});
