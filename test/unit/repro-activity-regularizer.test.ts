/**
 * Activity regularizers: Keras's l1 and the program's own (a KL sparsity penalty written as a
 * function that calls another, or as a `Regularizer` subclass whose `__call__` reads its
 * attributes) are translated and added to the loss as Keras 3 adds them (the penalty of the
 * layer's output over the batch size). The epoch losses are Keras's own
 * (test/fixtures/keras-oracle/activity.json, written by make_activity.py with real Keras).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras-oracle', 'activity.json'), 'utf8')) as { cases: Record<string, { program: string; history: (number | string)[] }> };
/** Keras's epoch losses (`"inf"` and `"nan"` as Python writes them). */
const kerasLosses = (name: string): number[] => fixture.cases[name].history.map((v) => (typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN));

async function planOf(source: string): Promise<ReproPlan> {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const r = buildPlan(analysis.models[0]);
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

describe('activity regularizers of the program\'s own', () => {
  it('trains with the penalties Keras adds, epoch for epoch', async () => {
    const c = fixture.cases.kl_function_and_class;
    const history = kerasLosses('kl_function_and_class');
    const plan = await planOf(c.program);
    const regularizers = plan.kerasJson.config.layers.map((l) => (l.config.activity_regularizer as { class_name?: string } | undefined)?.class_name ?? null);
    assert.deepEqual(regularizers.filter((r) => r !== null), ['NanguardActivityRegularizer', 'NanguardActivityRegularizer', 'L1']);
    const summary = await runReproduction(plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
    const losses = summary.history.loss.map(fromWire);
    assert.equal(losses.length, history.length);
    losses.forEach((loss, i) => assert.ok(Math.abs(loss - history[i]) / history[i] < 1e-5, `epoch ${i}: ${loss} where Keras had ${history[i]}`));
  });

  it('gives the infinite loss Keras gives when a relu code is all zeros under the log', async () => {
    const c = fixture.cases.relu_code_goes_nan;
    assert.deepEqual(kerasLosses('relu_code_goes_nan'), [Infinity, Infinity]);
    const summary = await runReproduction(await planOf(c.program), 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
    assert.equal(summary.verdict, 'nan');
    // The run stops at the first non-finite batch, whose loss was Keras's infinity, at Keras's first batch.
    assert.deepEqual([summary.firstNonFinite?.epoch, summary.firstNonFinite?.batch], [0, 0]);
    assert.equal(fromWire(summary.firstNonFinite!.recentLosses.at(-1)!.loss), Infinity);
  });

  it('refuses a regularizer it cannot translate, naming the line', async () => {
    const analysis = await analyzeFile('train.py', `
import numpy as np
import keras
from keras import layers
import random

def noisy(a):
    return random.random() * keras.ops.sum(a)

x = np.random.rand(32, 6)
model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(4, activity_regularizer=noisy), layers.Dense(6)])
model.compile(optimizer='adam', loss='mse')
model.fit(x, x, epochs=1)
`, NO_FILES);
    const r = buildPlan(analysis.models[0]);
    assert.ok('refused' in r);
    assert.match(r.refused, /^layer dense \(Dense, line 11\): its activity_regularizer `noisy` cannot be reproduced: line 8: `random\.random\(\)` calls a function/);
  });
});
