/**
 * The data, numerics and validation rules (NAN104-NAN106, NAN207, NAN208, NAN401-NAN404,
 * NAN501-NAN503) on real files: each fixture goes through the Python front-end, the data-file
 * enrichment (CSV and .npy files beside the fixture, read through the CLI's host) and the rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS, type Finding } from '../../src/core/index';

const ROOT = resolve(__dirname, '..', '..');
const DIR = join(ROOT, 'test', 'fixtures', 'data-rules');
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });

async function lint(name: string): Promise<{ findings: Finding[]; text: string; path: string }> {
  const path = relative(ROOT, join(DIR, name));
  const text = readFileSync(join(ROOT, path), 'utf8');
  const { findings } = await checkFile(path, text, host, DEFAULT_SETTINGS);
  return { findings, text, path };
}

function only(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

/** Applies a fix's edits (single file, non-overlapping) to the text. */
function apply(text: string, finding: Finding, index = 0): string {
  const fix = finding.fixes[index];
  assert.ok(fix, `${finding.rule} offers a fix`);
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  const edits = [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

interface Expectation {
  fire: string;
  quiet: string[];
  rule: string;
  severity: Finding['severity'];
  message: RegExp;
  line?: number;
  fixed?: RegExp;
}

const CASES: Expectation[] = [
  { rule: 'NAN104', fire: 'NAN104_fire.py', quiet: ['NAN104_quiet.py'], severity: 'error', line: 6, message: /^column `pressure` has 14 empty cells out of 2,000 rows of test\/fixtures\/data-rules\/sensors\.csv/, fixed: /df = pd\.read_csv\("sensors\.csv"\)\ndf = df\.dropna\(\)\n/ },
  { rule: 'NAN104', fire: 'NAN104_fire_pct_change.py', quiet: [], severity: 'error', line: 5, message: /^pct_change\(\) leaves the first row of every column NaN/ },
  { rule: 'NAN104', fire: 'NAN104_fire_literal.py', quiet: [], severity: 'error', message: /^feature 1 has 1 NaN value out of 4 of X/, fixed: /\nX = np\.nan_to_num\(X\)\n/ },
  { rule: 'NAN105', fire: 'NAN105_fire.py', quiet: ['NAN105_quiet.py', 'NAN104_quiet.py'], severity: 'error', line: 7, message: /^column `status` of test\/fixtures\/data-rules\/sensors\.csv is constant \(7 in all 2,000 rows\)/, fixed: /X = \(X - X\.mean\(axis=0\)\) \/ \(X\.std\(axis=0\) \+ 1e-8\)/ },
  { rule: 'NAN105', fire: 'NAN105_fire_unknown.py', quiet: [], severity: 'info', message: /divided by \(X\.max\(axis=0\) - X\.min\(axis=0\)\) with no epsilon/, fixed: /\(X\.max\(axis=0\) - X\.min\(axis=0\) \+ 1e-8\)/ },
  { rule: 'NAN106', fire: 'NAN106_fire.py', quiet: ['NAN106_quiet.py', 'NAN106_quiet_positive.py'], severity: 'error', line: 6, message: /^column `visits` of test\/fixtures\/data-rules\/counts\.csv goes down to 0: log\(0\) is -inf/, fixed: /X = np\.log1p\(counts\)/ },
  { rule: 'NAN207', fire: 'NAN207_fire.py', quiet: ['NAN207_quiet.py'], severity: 'warning', line: 8, message: /^RandomNormal\(stddev=1\) on a sigmoid layer with 256 inputs starts its pre-activations at about 16 times/ },
  { rule: 'NAN208', fire: 'NAN208_fire.py', quiet: ['NAN208_quiet.py'], severity: 'warning', line: 4, message: /^x_train holds 8-bit pixels up to 255/, fixed: /x_train = x_train\.astype\('float32'\) \/ 255\./ },
  { rule: 'NAN401', fire: 'NAN401_fire.py', quiet: ['NAN401_quiet.py'], severity: 'info', line: 17, message: /^exp\(0\.5 \* z_log_var\) on an unbounded log-variance/, fixed: /K\.exp\(0\.5 \* K\.clip\(z_log_var, -10\.0, 10\.0\)\)/ },
  { rule: 'NAN402', fire: 'NAN402_fire.py', quiet: ['NAN402_quiet.py'], severity: 'warning', message: /^binary cross-entropy on a linear output/, fixed: /layers\.Dense\(64, activation="sigmoid"\),\n\]\)/ },
  { rule: 'NAN402', fire: 'NAN402_fire_targets.py', quiet: [], severity: 'warning', message: /needs targets in \[0, 1\], but feature 0 of X spans -1\.73-1\.73/ },
  { rule: 'NAN403', fire: 'NAN403_fire.py', quiet: ['NAN403_quiet.py'], severity: 'info', line: 11, message: /^the mixed_float16 policy .* output layer dense_3 compute in float16, whose largest value is 65504/, fixed: /layers\.Dense\(16, dtype="float32"\),/ },
  { rule: 'NAN404', fire: 'NAN404_fire.py', quiet: ['NAN404_quiet.py'], severity: 'error', line: 9, message: /^custom loss `bce_loss` takes log\(y_pred\) with no epsilon or clip: the sigmoid output reaches exactly 0\.0/, fixed: /K\.log\(y_pred \+ 1e-7\)/ },
  { rule: 'NAN501', fire: 'NAN501_fire.py', quiet: ['NAN501_quiet.py'], severity: 'warning', message: /^the validation data X_val has 0 samples/ },
  { rule: 'NAN501', fire: 'NAN501_fire_sequence.py', quiet: [], severity: 'warning', line: 11, message: /^__len__ returns len \/\/ batch_size \+ 1/ },
  { rule: 'NAN502', fire: 'NAN502_fire.py', quiet: ['NAN502_quiet.py'], severity: 'info', message: /^validation_split=0\.05 of 40 samples leaves 2 validation samples, fewer than one batch of 32/ },
  { rule: 'NAN503', fire: 'NAN503_fire.py', quiet: ['NAN503_quiet.py'], severity: 'warning', message: /^validation feature 0 spans 4-5, entirely above the training range 1-3/ },
  { rule: 'NAN503', fire: 'NAN503_fire_sorted.py', quiet: [], severity: 'warning', message: /validation_split=0\.2 takes the last 20% of the rows before any shuffling, and the data is sorted \(line 6\)/ },
];

for (const c of CASES) {
  test(`${c.rule} fires on ${c.fire} (${c.severity}) and stays quiet on ${c.quiet.join(', ') || 'nothing else'}`, async () => {
    const { findings, text } = await lint(c.fire);
    const hits = only(findings, c.rule);
    assert.ok(hits.length >= 1, `${c.rule} did not fire on ${c.fire}: ${findings.map((f) => f.rule).join(', ')}`);
    const hit = hits.find((h) => c.message.test(h.message));
    assert.ok(hit, `no ${c.rule} message matched ${c.message}: ${hits.map((h) => h.message).join(' | ')}`);
    assert.equal(hit.severity, c.severity);
    assert.equal(hit.cause, c.rule === 'NAN208' ? 'bce-target-out-of-range' : hit.cause);
    if (c.line !== undefined) assert.equal(hit.range.start.line, c.line, 'anchored on the right line');
    if (c.fixed) {
      const fixedText = apply(text, hit);
      assert.match(fixedText, c.fixed);
      // The fixed file no longer gets this finding.
      const path = relative(ROOT, join(DIR, c.fire));
      const again = await checkFile(path, fixedText, host, DEFAULT_SETTINGS);
      assert.ok(!again.findings.some((f) => f.rule === c.rule && f.range.start.line === hit.range.start.line && f.message === hit.message), `${c.rule} still fires after its fix`);
    }
    for (const q of c.quiet) {
      const quiet = only((await lint(q)).findings, c.rule);
      assert.deepEqual(quiet.map((f) => f.message), [], `${c.rule} on ${q}`);
    }
  });
}

test('quiet fixtures get no error from any rule', async () => {
  for (const q of new Set(CASES.flatMap((c) => c.quiet))) {
    const errors = (await lint(q)).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => `${f.rule}: ${f.message}`), [], q);
  }
});
