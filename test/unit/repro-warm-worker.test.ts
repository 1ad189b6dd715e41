// A worker forked ahead of time: the run adopts it, its clock starts at the plan (not at the
// process start, so idling does not eat the wall-time cap), and it reaches its first epoch
// sooner than a worker forked at the request. One that cannot serve the plan is not used.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, NO_FILES, checkFile } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { forkWorker, startReproduction } from '../../src/repro/runner';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

const root = join(__dirname, '..', '..');

async function seedPlan(): Promise<ReproPlan> {
  const file = 'examples/seed1_unscaled.py';
  const checked = await checkFile(file, readFileSync(join(root, file), 'utf8'), NO_FILES, DEFAULT_SETTINGS);
  const model = pickModel(checked.analysis.models);
  assert.ok(typeof model !== 'string');
  const planned = buildPlan(model, { epochs: 5 });
  assert.ok('plan' in planned);
  return planned.plan;
}

/** Milliseconds from the request to the first epoch, and the summary. */
async function timed(plan: ReproPlan, options: Parameters<typeof startReproduction>[1]) {
  const started = performance.now();
  let firstEpochMs = NaN;
  const run = startReproduction(plan, { ...options, onEvent: (e) => { if (e.type === 'epoch' && Number.isNaN(firstEpochMs)) firstEpochMs = performance.now() - started; } });
  const summary = await run.done;
  return { firstEpochMs, summary, pid: run.pid };
}

test('a warm worker is adopted, counts its time from the plan, and is faster to the first epoch', { timeout: 120_000 }, async () => {
  const plan = await seedPlan();
  const workerPath = await bundledWorker();
  const cold = await timed(plan, { workerPath, backend: 'wasm' });
  const warm = forkWorker(plan.caps.maxWorkerMemoryMb, workerPath);
  await new Promise((r) => setTimeout(r, 4000)); // let it load TensorFlow.js
  const hot = await timed(plan, { workerPath, backend: 'wasm', warmWorker: warm });
  assert.equal(hot.pid, warm.child.pid);
  assert.deepEqual(hot.summary.history, cold.summary.history, 'the same plan gives the same curve');
  // Its load time is the backend and model only, not the 4 s idle nor loading TensorFlow.js.
  assert.ok(hot.summary.timings.loadMs < 2000, `warm load ${hot.summary.timings.loadMs} ms`);
  assert.ok(hot.summary.timings.loadMs < cold.summary.timings.loadMs, `warm ${hot.summary.timings.loadMs} ms, cold ${cold.summary.timings.loadMs} ms`);
  assert.ok(hot.firstEpochMs < cold.firstEpochMs, `first epoch warm ${hot.firstEpochMs.toFixed(0)} ms, cold ${cold.firstEpochMs.toFixed(0)} ms`);
  console.log(`first epoch: cold worker ${cold.firstEpochMs.toFixed(0)} ms, warm worker ${hot.firstEpochMs.toFixed(0)} ms`);
});

test('a warm worker with a smaller memory limit than the plan needs is stopped, and a fresh one runs', { timeout: 120_000 }, async () => {
  const plan = await seedPlan();
  const workerPath = await bundledWorker();
  const small = forkWorker(128, workerPath);
  const exited = new Promise((r) => small.child.once('exit', r));
  const run = await timed(plan, { workerPath, backend: 'cpu', warmWorker: small });
  assert.notEqual(run.pid, small.child.pid);
  assert.equal(run.summary.epochsRun, 5);
  await exited;
});
