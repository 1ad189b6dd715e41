// The Keras runner on its own: the hand-written cases trained in real Keras give the outcomes
// measured for them (the seed's Example 1 stalls near 2.3e6, the linear SGD case goes NaN in its
// first epoch), and a bad case is an error
// entry, not a crash.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handWrittenCases, kerasEnv, runKeras, toNumber, type KerasResult } from './keras-harness';

const env = kerasEnv();
const skip = 'python' in env ? false : env.reason;

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('keras_runner.py on the hand-written cases', { skip }, () => {
  const results = new Map<string, KerasResult>();

  before(async () => {
    if (!('python' in env)) return;
    const cases = handWrittenCases();
    const seed1 = cases.get('seed1_unscaled');
    assert.ok(seed1, 'cases/seed1_unscaled.json is missing');
    const batch = [
      seed1,
      { ...seed1, name: 'seed1_again' },
      cases.get('seed2_batchnorm')!,
      cases.get('seed3_early_stopping')!,
      cases.get('nan_sgd_linear')!,
      { ...seed1, name: 'broken', kerasJson: { class_name: 'NoSuchModel', config: {} } },
    ];
    const run = await runKeras(env.python, batch);
    for (const r of run.results) results.set(r.name ?? '', r);
  });

  it("the seed's Example 1 stalls near 2.3e6 and never goes NaN, as measured in Keras 3.15", () => {
    const r = results.get('seed1_unscaled')!;
    assert.equal(r.error, undefined);
    assert.equal(r.verdict, 'stalled');
    assert.equal(r.firstNonFiniteEpoch, null);
    assert.equal(r.epochsRun, 100);
    assert.ok(relativeError(toNumber(r.finalLoss), 2332285) < 0.001, `final loss ${r.finalLoss}`);
    assert.ok(relativeError(toNumber(r.finalValLoss), 10247646) < 0.001, `final val loss ${r.finalValLoss}`);
    // 20x above what predicting each feature's mean gives: the sigmoid output cannot reach 1000-5000.
    assert.ok(toNumber(r.finalLoss) > 5 * toNumber(r.baselineLoss));
  });

  it('the same case and seed give the same history twice', () => {
    assert.deepEqual(results.get('seed1_again')!.history, results.get('seed1_unscaled')!.history);
  });

  it("the seed's Examples 2 and 3 train: healthy, with a falling loss", () => {
    for (const name of ['seed2_batchnorm', 'seed3_early_stopping']) {
      const r = results.get(name)!;
      assert.equal(r.error, undefined, name);
      assert.equal(r.verdict, 'healthy', name);
      const loss = r.history.loss.map(toNumber);
      assert.ok(loss[loss.length - 1] < 0.3 * loss[0], `${name}: ${loss[0]} -> ${loss[loss.length - 1]}`);
    }
  });

  it('unscaled data with SGD 0.01 and a linear network goes NaN in the first epoch and stops there', () => {
    const r = results.get('nan_sgd_linear')!;
    assert.equal(r.error, undefined);
    assert.equal(r.verdict, 'nan');
    assert.equal(r.firstNonFiniteEpoch, 0);
    assert.ok(r.firstNonFiniteBatch !== null && r.firstNonFiniteBatch < 7, `batch ${r.firstNonFiniteBatch}`);
    assert.equal(r.epochsRun, 1, 'training stops at the first non-finite batch');
    assert.ok(r.history.loss.every((v) => typeof v === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(v)));
  });

  it('loads a Keras 2 / tfjs-layers Sequential topology (batch_input_shape, no InputLayer)', () => {
    assert.equal(results.get('nan_sgd_linear')!.error, undefined);
  });

  it('a case Keras cannot build becomes an error entry and the other results still arrive', () => {
    const r = results.get('broken')!;
    assert.match(r.error ?? '', /NoSuchModel|Could not locate/);
    assert.equal(results.size, 6);
  });

  it('reports timings: import, build, fit and one time per epoch', () => {
    const r = results.get('seed1_unscaled')!;
    assert.ok(r.seconds.import > 0 && r.seconds.fit > 0);
    assert.equal(r.seconds.epochs.length, 100);
    assert.ok(r.seconds.total >= r.seconds.import + r.seconds.fit);
  });
});
