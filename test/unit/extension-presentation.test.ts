import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/findings';
import type { FileAnalysis, ModelSpec } from '../../src/core/ir';
import type { Rule } from '../../src/core/rules/rule';
import { parsePythonSuppressions } from '../../src/core/suppressions';
import {
  findingHoverMarkdown,
  lensTargets,
  lensTitle,
  ruleDocMarkdown,
  ruleIdFromDocPath,
  ruleDocPath,
  statusText,
  suppressionHoverMarkdown,
} from '../../src/extension/logic/presentation';

const RULE: Rule = {
  id: 'NAN101',
  name: 'unscaled-input',
  cause: 'unscaled-input',
  title: 'Inputs reach the network unscaled',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes: 'Flags inputs far outside [-10, 10].',
    whyItFails: 'Large inputs give large pre-activations.',
    example: 'X = np.array([[1, 1000]])',
    fix: 'Scale the data first.\n\n```python\nX = StandardScaler().fit_transform(X)\n```',
    measured: 'never NaN; stalls at 2.3e6 in 1 of 1 seed',
    evidence: 'Stalls at loss 2.3e6.',
  },
  check: () => [],
};
const rules = (id: string) => (id === RULE.id ? RULE : undefined);

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

function finding(over: Partial<Finding> = {}): Finding {
  return {
    rule: 'NAN101',
    cause: 'unscaled-input',
    severity: 'error',
    path: '/w/seed1.py',
    range: range(4, 0, 40),
    message: 'feature 1 spans 1000-5000',
    related: [],
    fixes: [],
    explanation: 'With inputs of 5000 the sigmoid saturates at **0.9999**.',
    model: 'autoencoder',
    ...over,
  };
}

function commandArgs(markdown: string, command: string): unknown[] {
  const m = new RegExp(`\\(command:${command.replace('.', '\\.')}\\?([^)]+)\\)`).exec(markdown);
  assert.ok(m, `${command} link present`);
  return JSON.parse(decodeURIComponent(m[1]));
}

test('the rule page has the ruff-style sections and fences a bare example', () => {
  const md = ruleDocMarkdown(RULE);
  for (const heading of ['# NAN101: unscaled-input', '## What it does', '## Why it leads to NaN', '## Example', '## Fix', '## Evidence']) assert.ok(md.includes(heading), heading);
  assert.ok(md.includes('```python\nX = np.array([[1, 1000]])\n```'));
  assert.equal(ruleIdFromDocPath('/' + ruleDocPath('nan101')), 'NAN101');
});

test('a hover carries the message, the numbers, the fix and working command links', () => {
  const md = findingHoverMarkdown([finding()], 'file:///w/seed1.py', rules);
  assert.ok(md.startsWith('**NAN101** unscaled-input · error'));
  assert.ok(!md.includes('feature 1 spans 1000-5000'), 'the message is not repeated under the diagnostic hover');
  assert.ok(findingHoverMarkdown([finding({ explanation: undefined })], 'u', rules).includes('feature 1 spans 1000-5000'), 'without an explanation the message is the text');
  assert.ok(md.includes('**0.9999**'));
  assert.ok(md.includes('**Fix:** Scale the data first.'));
  assert.deepEqual(commandArgs(md, 'nanguard.showRuleDocumentation'), ['NAN101']);
  assert.deepEqual(commandArgs(md, 'nanguard.reproduceTraining'), [{ uri: 'file:///w/seed1.py', model: 'autoencoder' }]);
});

test('a hover names the quick fixes when the finding has them, and separates several findings', () => {
  const withFix = finding({ fixes: [{ title: 'Insert StandardScaler', edits: [] }] });
  const other = finding({ rule: 'NAN999', explanation: 'second' });
  const md = findingHoverMarkdown([withFix, other], 'file:///w/seed1.py', rules);
  assert.ok(md.includes('Insert StandardScaler (quick fix available)'));
  assert.equal(md.split('\n---\n').length, 2);
  assert.ok(md.includes('second'));
});

test('a suppression hover lists the rules it silences and flags unknown ids', () => {
  const [s] = parsePythonSuppressions('x = 1  # nanguard: ignore[NAN101, NAN999]');
  const md = suppressionHoverMarkdown(s, rules);
  assert.ok(md.includes('**NAN101**') && md.includes('Inputs reach the network unscaled'));
  assert.ok(md.includes('**NAN999**: no such nanguard rule'));
  const [all] = parsePythonSuppressions('x = 1  # nanguard: ignore');
  assert.ok(suppressionHoverMarkdown(all, rules).includes('every'));
});

test('lenses sit over fit(), else over the definition, and count the model\'s findings', () => {
  const model = (name: string, fitLine?: number): ModelSpec => ({
    name,
    path: '/w/seed1.py',
    kind: 'functional',
    layers: [],
    data: {},
    numerics: [],
    location: { path: '/w/seed1.py', range: range(2, 0, 10) },
    fit: fitLine === undefined ? undefined : ({ location: { path: '/w/seed1.py', range: range(fitLine, 0, 10) } } as ModelSpec['fit']),
  });
  const analysis: FileAnalysis = { path: '/w/seed1.py', language: 'python', models: [model('autoencoder', 9), model('encoder')], problems: [], suppressions: [] };
  const targets = lensTargets(analysis, [finding(), finding({ severity: 'warning' }), finding({ model: 'other' })]);
  assert.deepEqual(
    targets.map((t) => [t.model, t.location.range.start.line, t.findings, t.errors]),
    [
      ['autoencoder', 9, 2, 1],
      ['encoder', 2, 0, 0],
    ],
  );
  assert.equal(lensTitle(targets[0]), 'nanguard: 2 findings (1 error)');
  assert.equal(lensTitle(targets[1]), 'nanguard: no NaN risks found');
});

test('the status bar counts by severity', () => {
  assert.equal(statusText([]).text, '$(check) nanguard');
  const s = statusText([finding(), finding({ severity: 'warning' }), finding({ severity: 'info' })]);
  assert.equal(s.text, '$(error) nanguard 3');
  assert.ok(s.tooltip.includes('1 error, 1 warning, 1 info'));
  assert.equal(statusText([finding({ severity: 'warning' })]).text, '$(warning) nanguard 1');
});

test('in a notebook, a lens goes on the cell that calls fit(), at the cell-relative line', () => {
  const model: ModelSpec = {
    name: 'autoencoder',
    path: '/w/nb.ipynb',
    kind: 'functional',
    layers: [],
    data: {},
    numerics: [],
    location: { path: '/w/nb.ipynb', range: range(1, 0, 10) },
    fit: { location: { path: '/w/nb.ipynb', range: range(5, 0, 20) } } as ModelSpec['fit'],
  };
  const analysis: FileAnalysis = {
    path: '/w/nb.ipynb',
    language: 'notebook',
    models: [model],
    problems: [],
    suppressions: [],
    notebook: { path: '/w/nb.ipynb', source: 'a\nb\nc\nd\ne\nf\n', lineCount: 7, cells: [{ cell: 1, startLine: 0, lineCount: 4 }, { cell: 3, startLine: 4, lineCount: 3 }] },
  };
  const [target] = lensTargets(analysis, [finding({ path: '/w/nb.ipynb', cell: 1 })]);
  assert.equal(target.location.cell, 3);
  assert.equal(target.location.range.start.line, 1);
  assert.equal(target.findings, 1);
});
