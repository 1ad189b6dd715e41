/**
 * The bundled worker starts through the code-cache loader: the first run writes a V8 code
 * cache, later runs use it (V8 accepts it, so it is not rewritten) and give the same
 * results; a damaged cache is replaced; an unsafe folder means no cache.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildPlan } from '../../src/repro/plan';
import { startReproduction, workerEnvironment } from '../../src/repro/runner';
import { codeCacheFolder } from '../../src/repro/workerLoader';
import { seedExample1 } from '../fixtures/repro/specs';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

function plan() {
  const r = buildPlan(seedExample1(), { epochs: 5 });
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

test('the first run writes the code cache, the next one uses it unchanged and repeats the history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-cc-test-'));
  const workerPath = await bundledWorker();
  const first = await startReproduction(plan(), { workerPath, backend: 'cpu', codeCacheDir: dir }).done;
  const files = cacheFiles(dir);
  assert.equal(files.length, 1);
  const written = statSync(join(dir, files[0]));
  assert.ok(written.size > 100_000, `cache of ${written.size} bytes`);
  const second = await startReproduction(plan(), { workerPath, backend: 'cpu', codeCacheDir: dir }).done;
  assert.deepEqual(second.history, first.history);
  // V8 accepted the data: the worker did not write it again.
  assert.deepEqual(cacheFiles(dir), files);
  assert.equal(statSync(join(dir, files[0])).mtimeMs, written.mtimeMs);
});

test('a damaged cache is rejected by V8 and rewritten; the run is not affected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-cc-test-'));
  const workerPath = await bundledWorker();
  const reference = await startReproduction(plan(), { workerPath, backend: 'cpu', codeCacheDir: false }).done;
  await startReproduction(plan(), { workerPath, backend: 'cpu', codeCacheDir: dir }).done;
  const [file] = cacheFiles(dir);
  writeFileSync(join(dir, file), Buffer.alloc(4096, 7));
  const run = await startReproduction(plan(), { workerPath, backend: 'cpu', codeCacheDir: dir }).done;
  assert.deepEqual(run.history, reference.history);
  assert.ok(statSync(join(dir, file)).size > 100_000, 'the damaged cache was replaced');
});

test('no cache without a folder, or in a folder others can write', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-cc-test-'));
  const workerPath = await bundledWorker();
  await startReproduction(plan(), { workerPath, backend: 'cpu', codeCacheDir: false }).done;
  assert.deepEqual(cacheFiles(dir), []);
  assert.equal(codeCacheFolder(dir), dir);
  if (process.platform !== 'win32') {
    chmodSync(dir, 0o777);
    assert.equal(codeCacheFolder(dir), null);
    await startReproduction(plan(), { workerPath, backend: 'cpu', codeCacheDir: dir }).done;
    assert.deepEqual(cacheFiles(dir), []);
  }
});

test('the worker starts without NODE_EXTRA_CA_CERTS, which Node would parse for a worker that opens no connection', () => {
  const host = { PATH: '/bin', NODE_EXTRA_CA_CERTS: 'proxy-bundle.pem', HOME: 'home' };
  assert.deepEqual(workerEnvironment(host, { NANGUARD_CODE_CACHE_DIR: 'cache' }), { PATH: '/bin', HOME: 'home', NANGUARD_CODE_CACHE_DIR: 'cache' });
  assert.equal(host.NODE_EXTRA_CA_CERTS, 'proxy-bundle.pem', 'the host\'s environment is left as it was');
});
