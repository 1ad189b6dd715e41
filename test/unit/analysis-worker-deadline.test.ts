// The analysis worker never wedges the linter: a request past its deadline resolves with a
// problem saying so, the worker is restarted and the next request works; a cancelled request
// is dropped at once, and a worker still busy with it is restarted. The worker is the real
// bundle in a real worker thread; a hang is its thread blocked (`stallForTest`), as a runaway
// analysis would block it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS, type CheckResult } from '../../src/core/index';
import { createAnalysisClient } from '../../src/analysis-worker/client';
import { buildAnalysisWorker, type AnalysisWorkerBundle } from './support/analysisWorkerBundle';

const ROOT = resolve(__dirname, '..', '..');
let workerPath = '';
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });
let bundle: AnalysisWorkerBundle | undefined;
const SEED_FILE = 'examples/seed1_unscaled.py';
const seedText = readFileSync(join(ROOT, SEED_FILE), 'utf8');
/** Longer than any test here waits: a worker that is not restarted would hold every test up this long. */
const HANG_MS = 60_000;

before(async () => {
  bundle = await buildAnalysisWorker('nanguard-analysis-deadline-');
  workerPath = bundle.path;
});
after(() => bundle?.remove());

function rules(result: CheckResult): string[] {
  return result.findings.map((f) => `${f.rule}@${f.range.start.line}:${f.range.start.character}`);
}

async function expectedRules(): Promise<string[]> {
  const found = rules(await checkFile(SEED_FILE, seedText, host, DEFAULT_SETTINGS));
  assert.ok(found.length > 0, 'the seed example has findings');
  return found;
}

describe('analysis worker deadline and cancellation', { timeout: 120_000 }, () => {
  it('a request past its deadline resolves with a clear problem, the worker is restarted, the next request works', async () => {
    const client = createAnalysisClient(workerPath, host, { timeoutMs: 30_000 });
    try {
      await client.ready();
      client.stallForTest(HANG_MS);
      const started = performance.now();
      const stopped = await client.check('hangs.py', 'x = 1\n', DEFAULT_SETTINGS, undefined, { timeoutMs: 1500 });
      const waited = performance.now() - started;
      assert.deepEqual(stopped.findings, []);
      assert.deepEqual(
        stopped.analysis.problems.map((p) => [p.severity, p.message]),
        [['warning', 'analysis of hangs.py took longer than 1.5 s and was stopped']],
      );
      assert.ok(waited >= 1400 && waited < 20_000, `resolved after ${waited.toFixed(0)} ms`);

      const nextStarted = performance.now();
      const next = await client.check(SEED_FILE, seedText, DEFAULT_SETTINGS);
      const nextMs = performance.now() - nextStarted;
      assert.deepEqual(rules(next), await expectedRules());
      assert.equal(client.workersStarted(), 2, 'the stalled worker was replaced');
      assert.ok(nextMs < HANG_MS / 2, `the next request took ${nextMs.toFixed(0)} ms: it did not wait for the stalled worker`);
    } finally {
      client.dispose();
    }
  });

  it("the client's deadline applies when the request sets none", async () => {
    const client = createAnalysisClient(workerPath, host, { timeoutMs: 1000 });
    try {
      await client.ready();
      client.stallForTest(HANG_MS);
      const stopped = await client.check('deep/model.ipynb', '{}', DEFAULT_SETTINGS);
      assert.equal(stopped.analysis.language, 'notebook');
      assert.match(stopped.analysis.problems[0]?.message ?? '', /^analysis of deep\/model\.ipynb took longer than 1 s and was stopped$/);
    } finally {
      client.dispose();
    }
  });

  it('other requests held by a worker that is restarted are analysed by the new one', async () => {
    const client = createAnalysisClient(workerPath, host, { timeoutMs: 60_000 });
    try {
      await client.ready();
      client.stallForTest(HANG_MS);
      const patient = client.check(SEED_FILE, seedText, DEFAULT_SETTINGS);
      const hasty = client.check('hasty.py', 'x = 1\n', DEFAULT_SETTINGS, undefined, { timeoutMs: 1000 });
      assert.match((await hasty).analysis.problems[0]?.message ?? '', /took longer than 1 s and was stopped/);
      assert.deepEqual(rules(await patient), await expectedRules());
    } finally {
      client.dispose();
    }
  });

  it('a cancelled request is dropped at once; a worker still busy with it is restarted and the next request works', async () => {
    const client = createAnalysisClient(workerPath, host, { timeoutMs: 60_000, cancelGraceMs: 300 });
    try {
      await client.ready();
      client.stallForTest(HANG_MS);
      const controller = new AbortController();
      const stale = client.check(SEED_FILE, `${seedText}\n# version 1\n`, DEFAULT_SETTINGS, undefined, { signal: controller.signal });
      const cancelledAt = performance.now();
      controller.abort();
      await assert.rejects(stale, (err: Error) => err.name === 'AbortError' && /analysis of .*seed1_unscaled\.py was cancelled/.test(err.message));
      assert.ok(performance.now() - cancelledAt < 1000, 'the cancelled request settled at once');

      const started = performance.now();
      const current = await client.check(SEED_FILE, seedText, DEFAULT_SETTINGS, undefined, { signal: new AbortController().signal });
      const ms = performance.now() - started;
      assert.deepEqual(rules(current), await expectedRules());
      assert.equal(client.workersStarted(), 2, 'the worker busy with the stale request was replaced');
      assert.ok(ms < HANG_MS / 2, `the current version took ${ms.toFixed(0)} ms`);
    } finally {
      client.dispose();
    }
  });

  it('a request cancelled before it is sent never reaches the worker', async () => {
    const client = createAnalysisClient(workerPath, host);
    try {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(client.check(SEED_FILE, seedText, DEFAULT_SETTINGS, undefined, { signal: controller.signal }), { name: 'AbortError' });
      assert.equal(client.workersStarted(), 0);
    } finally {
      client.dispose();
    }
  });

  it('a cancelled request the worker lets go of in time does not restart the worker', async () => {
    const client = createAnalysisClient(workerPath, host, { cancelGraceMs: 20_000 });
    try {
      await client.ready();
      await client.check('warm.py', 'x = 1\n', DEFAULT_SETTINGS);
      const controller = new AbortController();
      const stale = client.check(SEED_FILE, seedText, DEFAULT_SETTINGS, undefined, { signal: controller.signal });
      controller.abort();
      await assert.rejects(stale, { name: 'AbortError' });
      assert.deepEqual(rules(await client.check(SEED_FILE, seedText, DEFAULT_SETTINGS)), await expectedRules());
      assert.equal(client.workersStarted(), 1);
    } finally {
      client.dispose();
    }
  });
});
