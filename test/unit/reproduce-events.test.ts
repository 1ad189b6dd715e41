// Worker events to panel messages (the extension's translation), the findings' bearings, and
// the model under the cursor. The worker events of the last test are a real reproduction's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, NO_FILES, analyzeFile, checkFile } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';
import type { LayerStats, WorkerMessage } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import type { ReproSummary } from '../../src/repro/summary';
import { RunTranslator, describeData, findingBearings, verdictText } from '../../src/extension/reproduce/runEvents';
import { modelAtLine } from '../../src/extension/reproduce/models';
import { EMPTY_PANEL_STATE, reducePanel } from '../../src/shared/panelState';
import type { ExtensionToPanel } from '../../src/shared/panelProtocol';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

const root = join(__dirname, '..', '..');

const stats = (g: number | 'NaN'): LayerStats[] => [{ layer: 'dense', className: 'Dense', gradientNorm: g, weightNorm: 2, activationMin: 0, activationMax: 5 }];

function summary(over: Partial<ReproSummary>): ReproSummary {
  return {
    version: 1, verdict: 'healthy', explanation: 'The loss fell.', backend: 'wasm', seed: 0, firstNonFinite: null,
    history: { loss: [1, 0.5], val_loss: [] }, data: { train: 'literal', validation: 'none', notes: [] },
    timings: { totalMs: 10, loadMs: 5, trainMs: 5, perEpochMs: 2.5 }, model: { name: 'm', source: 'f.py', parameters: 10 },
    epochsRun: 2, epochsPlanned: 2, stopped: null, bounds: { meanPredictor: null, outputFloor: null, lossFloor: null }, layers: stats(1), notes: [], ...over,
  };
}

test('epochs become points; layers at the last finite epoch and at the first non-finite one; NaN verdict in words', () => {
  let clock = 100;
  const t = new RunTranslator('r1', 100, () => clock);
  const out: ExtensionToPanel[] = [];
  const feed = (e: WorkerMessage) => out.push(...t.translate(e));
  feed({ type: 'ready', backend: 'wasm', parameters: 10, loadMs: 50 });
  clock = 420;
  feed({ type: 'epoch', epoch: 0, loss: 3, valLoss: 4, layers: stats(1), elapsedMs: 300 });
  clock = 500;
  feed({ type: 'epoch', epoch: 1, loss: 9, valLoss: null, layers: stats(7), elapsedMs: 380 });
  const recentLosses = [{ epoch: 2, batch: 0, loss: 12 }, { epoch: 2, batch: 1, loss: 'Infinity' as const }];
  feed({ type: 'nonFinite', point: { epoch: 2, batch: 1, layer: 'dense', tensor: 'gradient', inputsNonFinite: false, detail: 'x', recentLosses } });
  feed({ type: 'epoch', epoch: 2, loss: 'NaN', valLoss: 'NaN', layers: stats('NaN'), elapsedMs: 400 });
  const nf = { epoch: 2, batch: 1, layer: 'dense', tensor: 'gradient' as const, inputsNonFinite: false, detail: 'x', recentLosses };
  feed({ type: 'done', summary: summary({ verdict: 'nan', explanation: 'The gradient overflowed.', firstNonFinite: nf, stopped: 'non-finite' }) });

  assert.equal(t.firstPointMs, 320);
  assert.deepEqual(out[0], { type: 'backend', runId: 'r1', backend: 'WebAssembly' });
  assert.deepEqual(out.filter((m) => m.type === 'epoch').map((m) => m.type === 'epoch' && m.point), [
    { epoch: 0, loss: 3, valLoss: 4 }, { epoch: 1, loss: 9 }, { epoch: 2, loss: 'NaN', valLoss: 'NaN' },
  ]);
  const layers = out.filter((m) => m.type === 'layers');
  assert.deepEqual(layers.map((m) => m.type === 'layers' && [m.when, m.rows[0].gradientNorm]), [['lastFinite', 1], ['lastFinite', 7], ['firstNonFinite', 'NaN']]);
  const done = out[out.length - 1];
  assert.ok(done.type === 'done');
  assert.equal(done.result.verdictText, 'Loss became NaN at epoch 2, batch 1: the gradient of dense overflowed first. The gradient overflowed.');
  assert.deepEqual(done.result.timings, { totalMs: 400, firstPointMs: 320 });
  // The panel's reducer takes every message.
  const state = out.reduce(reducePanel, reducePanel(EMPTY_PANEL_STATE, { type: 'runStarted', info: { runId: 'r1', label: 'original', model: 'm', file: 'f.py', seed: 0, epochs: 3, data: 'd', synthetic: false, findings: [] } }));
  assert.equal(state.runs[0].points.length, 3);
  assert.equal(state.runs[0].firstNonFinite?.epoch, 2);
  assert.deepEqual(state.runs[0].firstNonFinite?.recentLosses, recentLosses, 'the batch losses before it reach the panel');
});

test("the panel's backend line says when the dense kernels train the model", () => {
  const t = new RunTranslator('r', 0, () => 1);
  assert.deepEqual(t.translate({ type: 'ready', backend: 'cpu', engine: 'dense', parameters: 7, loadMs: 20 }), [{ type: 'backend', runId: 'r', backend: 'plain JavaScript (cpu), dense kernels' }]);
  assert.deepEqual(t.translate({ type: 'ready', backend: 'cpu', engine: 'tfjs-layers', parameters: 7, loadMs: 20 }), [{ type: 'backend', runId: 'r', backend: 'plain JavaScript (cpu)' }]);
});

test('a cancelled run is cancelled, an error is an error', () => {
  const t = new RunTranslator('r', 0, () => 1);
  assert.deepEqual(t.translate({ type: 'done', summary: summary({ stopped: 'cancelled' }) }).at(-1), { type: 'cancelled', runId: 'r' });
  assert.deepEqual(t.translate({ type: 'error', message: 'boom' }), [{ type: 'error', runId: 'r', message: 'boom' }]);
});

test('verdicts other than NaN keep the explanation and say how the run stopped', () => {
  assert.equal(verdictText(summary({ verdict: 'stalled', explanation: 'Stuck at 2.3e6.', stopped: 'wall-time' })), 'Stalled (stopped at the time limit): Stuck at 2.3e6.');
  // No epoch before the time limit: nothing to judge, and the setting that gives the run more time named.
  assert.equal(
    verdictText(summary({ verdict: 'stalled', explanation: 'No epoch finished.', stopped: 'wall-time', epochsRun: 0, history: { loss: [], val_loss: [] } })),
    'No verdict: the time limit came before the first epoch ended (raise nanguard.reproduction.maxSeconds to give the run the time of an epoch).',
  );
});

test('a verdict on stand-in data says so in the panel\'s words; on the program\'s own data it does not', () => {
  const standIn = { train: 'synthetic' as const, validation: 'none' as const, notes: [] };
  assert.equal(
    verdictText(summary({ verdict: 'stalled', explanation: 'Stuck.', data: standIn })),
    'Stalled on stand-in data (not a fact about your training: the real values were not known): Stuck.',
  );
  assert.equal(verdictText(summary({ verdict: 'stalled', explanation: 'Stuck.', data: { train: 'random', validation: 'none', notes: [] } })), 'Stalled: Stuck.');
});

test('bearings: a stall finding is borne out by a stall, a NaN finding is not, validation findings get none', () => {
  const s = summary({ verdict: 'stalled', history: { loss: [2.4e6, 2.33e6], val_loss: [] }, bounds: { meanPredictor: 3e5, outputFloor: 2.33e6, lossFloor: 0 } });
  assert.deepEqual(findingBearings([{ cause: 'output-range-mismatch' }, { cause: 'unscaled-input' }, { cause: 'tiny-validation' }], s), [
    'borne out: the loss stalled at 2.33e+6 (floor 2.33e+6)',
    'the run stalled at 2.33e+6 without going NaN',
    undefined,
  ]);
});

test('the model under the cursor: inside its definition-to-fit span, else the nearest above', async () => {
  const text = [
    'from tensorflow import keras',
    'import numpy as np',
    'X = np.random.rand(64, 4)',
    'a = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2), keras.layers.Dense(4)])',
    "a.compile(optimizer='adam', loss='mse')",
    'a.fit(X, X, epochs=2)',
    '',
    'b = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3), keras.layers.Dense(4)])',
    "b.compile(optimizer='adam', loss='mse')",
    'b.fit(X, X, epochs=2)',
    '',
  ].join('\n');
  const analysis = await analyzeFile('two.py', text, NO_FILES);
  assert.deepEqual(analysis.models.map((m) => m.name), ['a', 'b']);
  assert.equal(modelAtLine(analysis, { line: 4 })?.name, 'a');
  assert.equal(modelAtLine(analysis, { line: 6 })?.name, 'a');
  assert.equal(modelAtLine(analysis, { line: 8 })?.name, 'b');
  assert.equal(modelAtLine(analysis, { line: 0 }), undefined);
  assert.equal(modelAtLine(analysis, undefined), undefined);
});

test('a real reproduction of seed example 1, translated: 100 finite points, layers, a stalled verdict, plain-words data', { timeout: 120_000 }, async () => {
  const file = 'examples/seed1_unscaled.py';
  const checked = await checkFile(file, readFileSync(join(root, file), 'utf8'), NO_FILES, DEFAULT_SETTINGS);
  const model = pickModel(checked.analysis.models);
  assert.ok(typeof model !== 'string');
  const planned = buildPlan(model, {});
  assert.ok('plan' in planned);
  assert.equal(describeData(planned.plan), 'training: literal arrays written in the code, reproduced exactly; validation: literal arrays written in the code, reproduced exactly');
  const t = new RunTranslator('r', performance.now());
  const out: ExtensionToPanel[] = [];
  await startReproduction(planned.plan, { workerPath: await bundledWorker(), backend: 'wasm', onEvent: (e) => out.push(...t.translate(e)) }).done;
  assert.equal(out.filter((m) => m.type === 'epoch').length, 100);
  assert.ok(out.some((m) => m.type === 'layers' && m.when === 'lastFinite' && m.rows.length === 2));
  const done = out.at(-1);
  assert.ok(done?.type === 'done');
  assert.equal(done.result.verdict, 'stalled');
  assert.match(done.result.verdictText, /^Stalled: .*2\.33?\d*e\+6/);
  assert.ok((t.firstPointMs ?? Infinity) <= done.result.timings.totalMs);
});

test("the Data fact joins the plan's notes as clauses: no full stops, no capital after a semicolon, an acronym kept", () => {
  const plan = {
    data: { provenance: { train: 'synthetic', validation: 'none' }, x: { kind: 'synthetic' } },
    fit: { validationSplit: null },
    source: 'train.py',
    notes: [
      { kind: 'stand-in', text: 'the training data (x): a stand-in of 256 samples is used instead.' },
      { kind: 'shortened', text: 'Each epoch trains on the first 4,565 of the 60,000 training samples.' },
      { kind: 'shortened', text: 'MNIST-sized epochs are cut.' },
    ],
  } as unknown as Parameters<typeof describeData>[0];
  const words = describeData(plan);
  assert.match(words, /a stand-in of 256 samples is used instead; each epoch trains on the first 4,565 of the 60,000 training samples; MNIST-sized epochs are cut$/);
});
