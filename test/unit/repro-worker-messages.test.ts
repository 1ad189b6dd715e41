/**
 * The worker sends progress in groups (one IPC write per group, not per epoch) and the
 * runner hands every event on, complete and in order.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { test } from 'node:test';
import { buildPlan } from '../../src/repro/plan';
import type { WorkerMessage } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import { unpackEnvelope, type WorkerEnvelope } from '../../src/repro/workerEnvelope';
import { seedExample3 } from '../fixtures/repro/specs';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

function plan() {
  const r = buildPlan(seedExample3(), { epochs: 60 });
  if ('refused' in r) assert.fail(r.refused);
  return { ...r.plan, fit: { ...r.plan.fit, earlyStopping: null } };
}

function assertComplete(events: WorkerMessage[], epochs: number): void {
  assert.equal(events[0].type, 'ready');
  assert.equal(events.at(-1)!.type, 'done');
  const epochNumbers = events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch);
  assert.deepEqual(epochNumbers, Array.from({ length: epochs }, (_, i) => i));
}

test('progress travels in fewer IPC messages than events, every event in order', async () => {
  const workerPath = await bundledWorker();
  const child = fork(workerPath, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
  const writes: WorkerEnvelope[] = [];
  const events = await new Promise<WorkerMessage[]>((resolve, reject) => {
    const all: WorkerMessage[] = [];
    child.on('message', (envelope: WorkerEnvelope) => {
      writes.push(envelope);
      all.push(...unpackEnvelope(envelope));
      if (all.at(-1)?.type === 'done') resolve(all);
    });
    child.on('exit', () => reject(new Error('the worker exited before done')));
    child.send({ type: 'start', plan: plan(), backend: 'cpu' });
  });
  child.kill();
  assertComplete(events, 60);
  assert.ok(writes.length < events.length / 2, `${writes.length} writes for ${events.length} events`);
  assert.ok(writes.some((w) => w.type === 'messages'));
});

test('the runner unpacks the groups: onEvent sees every epoch once, in order, done last', async () => {
  const events: WorkerMessage[] = [];
  await startReproduction(plan(), { workerPath: await bundledWorker(), backend: 'cpu', onEvent: (e) => events.push(e) }).done;
  assertComplete(events, 60);
  assert.ok(!events.some((e) => (e as { type: string }).type === 'messages'));
});
