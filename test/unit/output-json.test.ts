import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, formatJson, toJsonReport } from '../../src/core/output/index';
import { finding, range } from './output-fixtures';

describe('JSON output', () => {
  it('has exactly the shape of the command-line contract, keys in order, 0-based ranges', () => {
    const report = buildReport([
      {
        path: 'examples/seed1.py',
        problems: [],
        findings: [
          finding({
            rule: 'NAN101',
            path: 'examples/seed1.py',
            range: range(5, 0, 5, 40),
            message: 'feature 1 spans 1000-3000',
            related: [{ location: { path: 'config.json', range: range(2, 4, 2, 9) }, message: 'set here' }],
            explanation: 'long text that the JSON form leaves out',
            fixes: [{ title: 'scale', edits: [] }],
          }),
        ],
      },
    ]);
    const text = formatJson(report);
    assert.ok(text.endsWith('\n'));
    assert.deepEqual(JSON.parse(text), {
      version: 1,
      files: [
        {
          path: 'examples/seed1.py',
          findings: [
            {
              rule: 'NAN101',
              cause: 'unscaled-input',
              severity: 'error',
              range: { start: { line: 5, character: 0 }, end: { line: 5, character: 40 } },
              message: 'feature 1 spans 1000-3000',
              related: [{ path: 'config.json', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } } }],
            },
          ],
        },
      ],
    });
    const f = JSON.parse(text).files[0].findings[0];
    assert.deepEqual(Object.keys(f), ['rule', 'cause', 'severity', 'range', 'message', 'related']);
  });

  it('adds model and cell only when present, and problems only when there are some', () => {
    const report = buildReport([
      {
        path: 'nb.ipynb',
        problems: [{ severity: 'info', message: 'no code cells' }],
        findings: [finding({ rule: 'NAN102', path: 'nb.ipynb', model: 'autoencoder', cell: 2 })],
      },
      { path: 'quiet.py', problems: [], findings: [] },
    ]);
    const json = toJsonReport(report);
    assert.equal(json.files[0].findings[0].model, 'autoencoder');
    assert.equal(json.files[0].findings[0].cell, 2);
    assert.deepEqual(json.files[0].problems, [{ severity: 'info', message: 'no code cells' }]);
    assert.deepEqual(json.files[1], { path: 'quiet.py', findings: [] });
  });

  it('gives a related place in a notebook its cell', () => {
    const report = buildReport([
      {
        path: 'nb.ipynb',
        problems: [],
        findings: [finding({ rule: 'NAN101', path: 'nb.ipynb', cell: 3, related: [{ location: { path: 'nb.ipynb', range: range(1, 0), cell: 1 }, message: 'data here' }] })],
      },
    ]);
    assert.deepEqual(toJsonReport(report).files[0].findings[0].related, [
      { path: 'nb.ipynb', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } }, cell: 1 },
    ]);
  });

  it('files a finding under the file it points into and keeps a cross-file duplicate once', () => {
    const inConfig = finding({ rule: 'NAN301', path: 'config.json', range: range(2, 2), message: 'learning rate 0.5 is 500x' });
    const report = buildReport([
      { path: 'train.py', problems: [], findings: [inConfig, finding({ rule: 'NAN101', path: 'train.py' })] },
      { path: 'config.json', problems: [], findings: [{ ...inConfig }] },
    ]);
    const json = toJsonReport(report);
    assert.deepEqual(
      json.files.map((f) => [f.path, f.findings.map((x) => x.rule)]),
      [
        ['config.json', ['NAN301']],
        ['train.py', ['NAN101']],
      ],
    );
  });

  it('of two copies keeps the one with more related places', () => {
    const bare = finding({ rule: 'NAN301', path: 'config.json', model: 'config.json' });
    const rich = { ...bare, model: 'autoencoder', related: [{ location: { path: 'train.py', range: range(11, 4) }, message: 'used here' }] };
    for (const order of [[bare, rich], [rich, bare]]) {
      const report = buildReport(order.map((f, i) => ({ path: i === 0 ? 'config.json' : 'train.py', problems: [], findings: [f] })));
      const entry = toJsonReport(report).files.find((f) => f.path === 'config.json');
      assert.equal(entry?.findings.length, 1);
      assert.equal(entry?.findings[0].model, 'autoencoder');
    }
  });

  it('keeps findings that differ only in range or message', () => {
    const report = buildReport([
      {
        path: 'a.py',
        problems: [],
        findings: [
          finding({ rule: 'NAN101', path: 'a.py', range: range(1, 0) }),
          finding({ rule: 'NAN101', path: 'a.py', range: range(2, 0) }),
          finding({ rule: 'NAN101', path: 'a.py', range: range(2, 0), message: 'other' }),
        ],
      },
    ]);
    assert.equal(toJsonReport(report).files[0].findings.length, 3);
  });

  it('gives a problem located in another file its path', () => {
    const report = buildReport([
      { path: 'train.py', findings: [], problems: [{ severity: 'warning', message: 'invalid JSON', location: { path: 'config.json', range: range(0, 1) } }] },
    ]);
    assert.deepEqual(toJsonReport(report).files[0].problems, [
      { severity: 'warning', message: 'invalid JSON', path: 'config.json', range: { start: { line: 0, character: 1 }, end: { line: 0, character: 11 } } },
    ]);
  });
});
