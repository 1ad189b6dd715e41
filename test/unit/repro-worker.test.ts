/**
 * The worker as a child process, through the real runner: events, the summary contract,
 * cancellation, a killed worker, memory exhaustion, backends.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import type { WorkerMessage } from '../../src/repro/protocol';
import { ReproductionCancelled, startReproduction } from '../../src/repro/runner';
import { bundledWorker } from '../fixtures/repro/worker-bundle';
import { nanSgdLinear, seedExample1, seedExample2 } from '../fixtures/repro/specs';

function plan(model = seedExample1(), options: Parameters<typeof buildPlan>[1] = {}): ReproPlan {
  const r = buildPlan(model, options);
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

function alive(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) assert.fail('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the bundled worker trains the plan and reports ready, epochs and a JSON summary as docs/reproduction.md describes', async () => {
  const events: WorkerMessage[] = [];
  const run = startReproduction(plan(), { workerPath: await bundledWorker(), backend: 'auto', onEvent: (e) => events.push(e) });
  const summary = await run.done;
  assert.equal(events[0].type, 'ready');
  assert.equal(events.filter((e) => e.type === 'epoch').length, 100);
  assert.equal(events.at(-1)!.type, 'done');
  assert.equal(summary.version, 1);
  assert.equal(summary.verdict, 'stalled');
  assert.ok(['node', 'wasm', 'cpu'].includes(summary.backend));
  assert.equal(events[0].type === 'ready' && events[0].backend, summary.backend);
  assert.equal(summary.seed, 0);
  assert.equal(summary.firstNonFinite, null);
  assert.equal(summary.history.loss.length, 100);
  assert.equal(summary.history.val_loss.length, 100);
  assert.deepEqual(summary.data, { train: 'literal', validation: 'literal', notes: [] });
  assert.ok(summary.timings.totalMs > 0 && summary.timings.totalMs >= summary.timings.loadMs);
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
  await until(() => !alive(run.pid), 5000);
});

test('non-finite losses travel as strings, and the worker names the first non-finite point', async () => {
  const events: WorkerMessage[] = [];
  const summary = await startReproduction(plan(nanSgdLinear(), { seed: 2 }), { workerPath: await bundledWorker(), backend: 'cpu', onEvent: (e) => events.push(e) }).done;
  assert.equal(summary.verdict, 'nan');
  assert.deepEqual(summary.history.loss, ['NaN']);
  assert.equal(summary.firstNonFinite?.epoch, 0);
  assert.ok(events.some((e) => e.type === 'nonFinite'));
});

test('the WebAssembly backend runs from the bundle and gives the same story', async () => {
  const summary = await startReproduction(plan(), { workerPath: await bundledWorker(), backend: 'wasm' }).done;
  assert.equal(summary.backend, 'wasm');
  assert.equal(summary.verdict, 'stalled');
});

test('asking for tfjs-node where it is not installed is a clear error', async () => {
  await assert.rejects(startReproduction(plan(), { workerPath: await bundledWorker(), backend: 'node' }).done, /tfjs-node is not installed/);
});

test('cancel stops a long run within a fraction of a second', async () => {
  const long = plan(seedExample2(), { epochs: 2000 });
  let epochs = 0;
  const run = startReproduction(long, { workerPath: await bundledWorker(), backend: 'cpu', onEvent: (e) => { if (e.type === 'epoch') epochs++; } });
  await until(() => epochs >= 2);
  const asked = performance.now();
  run.cancel();
  await assert.rejects(run.done, ReproductionCancelled);
  const elapsed = performance.now() - asked;
  assert.ok(elapsed < 500, `cancel took ${elapsed.toFixed(0)} ms`);
  await until(() => !alive(run.pid), 1000);
});

test('a killed worker becomes a clear error', async () => {
  let ready = false;
  const run = startReproduction(plan(seedExample2(), { epochs: 2000 }), { workerPath: await bundledWorker(), backend: 'cpu', onEvent: (e) => { if (e.type === 'ready') ready = true; } });
  await until(() => ready);
  process.kill(run.pid!, 'SIGKILL');
  await assert.rejects(run.done, /the reproduction worker was killed \(SIGKILL\) before finishing/);
});

test('a worker that runs out of memory becomes a clear error naming the limit', async () => {
  const model = nanSgdLinear();
  model.data.train!.source = { kind: 'random', distribution: 'uniform', shape: [2_000_000, 8], low: 0, high: 1, location: model.data.train!.source.location! };
  model.data.target = model.data.train;
  const p = plan(model, { caps: { maxSamples: 2_000_000 } });
  // The data alone is several times the smallest heap the runner gives (64 MB), so the worker
  // dies while drawing it. (With a tenth of the rows it trained for many epochs, creeping up to
  // the limit, and could finish first on a faster machine.)
  const tiny: ReproPlan = { ...p, caps: { ...p.caps, maxWorkerMemoryMb: 16 } };
  await assert.rejects(startReproduction(tiny, { workerPath: await bundledWorker(), backend: 'cpu' }).done, /ran out of memory \(worker limit 16 MB, maxWorkerMemoryMb\)/);
});

test('the runner also starts the TypeScript worker from sources (through tsx)', async () => {
  let ready = false;
  const run = startReproduction(plan(seedExample2(), { epochs: 2000 }), { workerPath: join(__dirname, '..', '..', 'src', 'repro', 'worker.ts'), backend: 'cpu', onEvent: (e) => { if (e.type === 'ready') ready = true; } });
  await until(() => ready, 120_000);
  run.cancel();
  await assert.rejects(run.done, ReproductionCancelled);
});
