import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, formatSummary, formatText, countFindings } from '../../src/core/output/index';
import { finding, range } from './output-fixtures';

describe('text output', () => {
  const report = buildReport([
    {
      path: 'examples/seed1.py',
      problems: [],
      findings: [
        finding({ rule: 'NAN301', path: 'examples/seed1.py', severity: 'warning', range: range(17, 4), message: 'learning rate high' }),
        finding({
          rule: 'NAN101',
          path: 'examples/seed1.py',
          range: range(5, 0),
          message: 'feature 1 spans 1000-3000',
          related: [{ location: { path: 'config.json', range: range(2, 17) }, message: 'value from here' }],
        }),
      ],
    },
    { path: 'bin.py', problems: [{ severity: 'info', message: 'binary content, not analysed' }], findings: [] },
    { path: 'nb.ipynb', problems: [], findings: [finding({ rule: 'NAN102', path: 'nb.ipynb', cell: 1, range: range(2, 3), severity: 'warning', message: 'scales differ' })] },
  ]);

  it('prints Ruff-like lines with 1-based positions, notes, cells and a summary', () => {
    const text = formatText(report, { color: false, filesChecked: 3 });
    assert.equal(
      text,
      [
        'bin.py: note: binary content, not analysed',
        'examples/seed1.py:6:1: NAN101 [error] feature 1 spans 1000-3000',
        '    note: config.json:3:18: value from here',
        'examples/seed1.py:18:5: NAN301 [warning] learning rate high',
        'nb.ipynb:cell 2:3:4: NAN102 [warning] scales differ',
        '',
        'Found 3 findings (1 error, 2 warnings) in 2 files.',
        '',
      ].join('\n'),
    );
  });

  it('uses colour codes only when asked', () => {
    assert.ok(!formatText(report, { color: false, filesChecked: 3 }).includes('\u001b['));
    const colored = formatText(report, { color: true, filesChecked: 3 });
    assert.ok(colored.includes('\u001b[1;31mNAN101\u001b[0m'));
    assert.equal(colored.split('\u001b[').map((part, i) => (i === 0 ? part : part.replace(/^[0-9;]*m/, ''))).join(''), formatText(report, { color: false, filesChecked: 3 }));
  });

  it('summarises counts with singulars and plurals, and says when nothing was found', () => {
    assert.equal(formatSummary(countFindings(buildReport([])), 1), 'No findings (1 file checked).');
    assert.equal(formatSummary({ error: 1, warning: 0, info: 2, total: 3, filesWithFindings: 1 }, 4), 'Found 3 findings (1 error, 2 info) in 1 file.');
    assert.equal(formatText(buildReport([{ path: 'a.py', problems: [], findings: [] }]), { color: false, filesChecked: 1 }), 'No findings (1 file checked).\n');
  });
});
