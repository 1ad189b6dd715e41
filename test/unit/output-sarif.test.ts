import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, toSarif, sarifUri } from '../../src/core/output/index';
import { FIXTURE_RULES, finding, range } from './output-fixtures';
import { sarifValidator } from './output-sarif-schema';

const validate = sarifValidator();

const options = {
  rules: FIXTURE_RULES,
  toolVersion: '0.1.0',
  informationUri: 'https://github.com/nanguard/nanguard',
  helpUriBase: 'https://github.com/nanguard/nanguard/blob/main/docs/rules',
  srcRootUri: 'file:///home/user/project/',
};

const report = buildReport([
  {
    path: 'examples/my seed1.py',
    problems: [{ severity: 'warning', message: 'syntax error', location: { path: 'examples/my seed1.py', range: range(9, 0) } }],
    findings: [
      finding({
        rule: 'NAN101',
        path: 'examples/my seed1.py',
        range: range(5, 0, 5, 40),
        message: 'feature 1 spans 1000-3000',
        model: 'autoencoder',
        related: [{ location: { path: 'config.json', range: range(2, 17) }, message: 'value from here' }],
      }),
      finding({ rule: 'NAN301', path: 'examples/my seed1.py', severity: 'info', range: range(7, 2, 9, 1) }),
    ],
  },
  { path: 'nb.ipynb', problems: [{ severity: 'info', message: 'no code cells' }], findings: [finding({ rule: 'NAN102', path: 'nb.ipynb', cell: 0, severity: 'warning' })] },
]);

describe('SARIF output', () => {
  it('is valid against the SARIF 2.1.0 schema', () => {
    const log = toSarif(report, options);
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });

  it('the validator rejects a broken log (so the test above can fail)', () => {
    const log = toSarif(report, options) as { runs: { results: Record<string, unknown>[] }[] };
    log.runs[0].results[0].level = 'fatal';
    assert.equal(validate(log), false);
    const log2 = toSarif(report, options) as { runs: { results: { locations: { physicalLocation: { region: Record<string, number> } }[] }[] }[] };
    log2.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(log2), false);
  });

  it('describes the tool and every rule with docs, help URI and default level', () => {
    const log = toSarif(report, options) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'nanguard');
    assert.equal(driver.version, '0.1.0');
    assert.equal(driver.informationUri, options.informationUri);
    assert.deepEqual(
      driver.rules.map((r: any) => [r.id, r.name, r.defaultConfiguration.level, r.helpUri]), // eslint-disable-line @typescript-eslint/no-explicit-any
      [
        ['NAN101', 'unscaled-input', 'error', `${options.helpUriBase}/NAN101.md`],
        ['NAN102', 'feature-scale-disparity', 'warning', `${options.helpUriBase}/NAN102.md`],
        ['NAN301', 'high-learning-rate', 'note', `${options.helpUriBase}/NAN301.md`],
      ],
    );
    assert.equal(driver.rules[0].shortDescription.text, 'unscaled-input title');
    assert.equal(driver.rules[0].fullDescription.text, 'Checks unscaled-input.');
    assert.match(driver.rules[0].help.markdown, /## Why it leads to NaN/);
  });

  it('maps results to 1-based regions, levels, rule indexes and related locations', () => {
    const log = toSarif(report, options) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const [first, second, third] = log.runs[0].results;
    assert.equal(first.ruleId, 'NAN101');
    assert.equal(first.ruleIndex, 0);
    assert.equal(first.level, 'error');
    assert.equal(first.message.text, 'feature 1 spans 1000-3000');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'examples/my%20seed1.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 6, startColumn: 1, endLine: 6, endColumn: 41 },
    });
    assert.deepEqual(first.relatedLocations[0].physicalLocation.region, { startLine: 3, startColumn: 18, endLine: 3, endColumn: 28 });
    assert.equal(first.relatedLocations[0].message.text, 'value from here');
    assert.deepEqual(first.properties, { cause: 'unscaled-input', model: 'autoencoder' });
    assert.equal(second.level, 'note');
    assert.deepEqual(second.locations[0].physicalLocation.region, { startLine: 8, startColumn: 3, endLine: 10, endColumn: 2 });
    assert.equal(third.ruleIndex, 1);
    assert.equal(third.properties.cell, 0);
    assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///home/user/project/' } });
    const notes = log.runs[0].invocations[0].toolExecutionNotifications;
    assert.deepEqual(notes.map((n: any) => [n.level, n.message.text]), [ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['warning', 'syntax error'],
      ['note', 'no code cells'],
    ]);
  });

  it('encodes paths as URI references', () => {
    assert.equal(sarifUri('a b/c#d.py'), 'a%20b/c%23d.py');
    assert.equal(sarifUri('../x.py'), '../x.py');
  });
});
