/**
 * The same plan, seed and backend give the same history and statistics, on each backend,
 * also when EarlyStopping ends the run (the final statistics are the last epoch's).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan } from '../../src/repro/plan';
import type { ReproSummary } from '../../src/repro/summary';
import { seedExample2, seedExample3 } from '../fixtures/repro/specs';

async function run(backend: 'cpu' | 'wasm', model: ReturnType<typeof seedExample3>, epochs: number, seed: number): Promise<ReproSummary> {
  const r = buildPlan(model, { epochs, seed });
  if ('refused' in r) assert.fail(r.refused);
  return runReproduction(r.plan, backend, { emit: () => undefined, cancelled: () => false }, performance.now());
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: the same plan and seed give the same history and layer statistics twice`, async () => {
    const a = await run(backend, seedExample2(), 12, 3);
    const b = await run(backend, seedExample2(), 12, 3);
    assert.equal(a.backend, backend);
    assert.deepEqual(a.history, b.history);
    assert.deepEqual(a.layers, b.layers);
    assert.ok(a.layers.some((l) => typeof l.gradientNorm === 'number' && l.gradientNorm > 0));
  });

  test(`${backend}: a run EarlyStopping ends repeats exactly, statistics included`, async () => {
    const a = await run(backend, seedExample3(), 500, 2);
    const b = await run(backend, seedExample3(), 500, 2);
    assert.equal(a.stopped, 'early-stopping');
    assert.ok(a.epochsRun < 500);
    assert.deepEqual(a.history, b.history);
    assert.deepEqual(a.layers, b.layers);
  });
}
