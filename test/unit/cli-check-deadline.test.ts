// `nanguard check` analyses each file in a worker thread it can stop: a file past the deadline
// (--timeout) is reported with the limit, and the other files are analysed as usual. The worker
// is the real bundle, as dist/cli.js finds it beside itself.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { runCheck } from '../../src/cli/check';
import type { CliIO } from '../../src/cli/io';
import { buildAnalysisWorker, type AnalysisWorkerBundle } from './support/analysisWorkerBundle';

const ROOT = resolve(__dirname, '..', '..');
let bundle: AnalysisWorkerBundle | undefined;

before(async () => {
  bundle = await buildAnalysisWorker('nanguard-cli-deadline-');
});
after(() => bundle?.remove());

async function check(args: string[], withWorker = true): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd: ROOT, stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, env: {}, ...(withWorker ? { analysisWorkerPath: bundle!.path } : {}) };
  const code = await runCheck(args, io);
  return { code, out, err };
}

const FILES = ['examples/seed1_unscaled.py', 'examples/nan_sgd_linear.py'];

test('through the worker, check finds what the in-process analysis finds', async () => {
  const worker = await check([...FILES, '--format', 'json']);
  const inProcess = await check([...FILES, '--format', 'json'], false);
  assert.equal(worker.err, '');
  assert.equal(worker.code, inProcess.code);
  assert.deepEqual(JSON.parse(worker.out), JSON.parse(inProcess.out));
});

test('a file past the deadline is reported with the limit, and the next file is still analysed', async () => {
  // A deadline far shorter than any real analysis (parsing alone takes longer) stops every file.
  const stopped = await check([...FILES, '--format', 'json', '--timeout', '0.0001']);
  const report = JSON.parse(stopped.out) as { files: { path: string; findings: unknown[]; problems?: { message: string }[] }[] };
  assert.equal(report.files.length, 2, 'both files are in the report');
  for (const file of report.files) {
    assert.deepEqual(file.findings, []);
    assert.match(file.problems?.[0]?.message ?? '', /took longer than .* and was stopped/);
    assert.match(file.problems?.[1]?.message ?? '', /--timeout SECONDS/);
  }
  assert.equal(stopped.code, 0, 'a stopped file is no finding');
  // With time enough, the same run finds the error of Example 1.
  const normal = await check([...FILES, '--timeout', '30']);
  assert.equal(normal.code, 1);
});

test('--timeout takes a positive number of seconds', async () => {
  await assert.rejects(check([FILES[0], '--timeout', '0']), /--timeout takes a number of seconds above 0, got '0'/);
  await assert.rejects(check([FILES[0], '--timeout', 'soon']), /--timeout takes a number of seconds above 0/);
});
