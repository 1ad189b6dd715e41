/**
 * A reproduction over several seeds: the multi-seed verdict rule, the statement in words, the
 * combined summary, the worker training the seeds one after the other in one process, the
 * command line (`--seeds`), and the panel's state (each seed's line, the median, the band).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatText, parseReproduceArgs, runReproduceCommand, seedsRequest } from '../../src/cli/reproduce';
import { UsageError } from '../../src/cli/io';
import { RunTranslator, findingBearings, verdictText } from '../../src/extension/reproduce/runEvents';
import { autoSeedCount } from '../../src/repro/engine/multiSeed';
import { buildPlan } from '../../src/repro/plan';
import type { WorkerMessage } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import { agreementOf, combineSeeds, multiSeedVerdict, seedsStatement, shortNumber, type SeedRun } from '../../src/repro/seeds';
import type { ReproSummary } from '../../src/repro/summary';
import type { Verdict } from '../../src/repro/verdict';
import type { ExtensionToPanel, PanelState } from '../../src/shared/panelProtocol';
import { EMPTY_PANEL_STATE, historyCsv, medianOf, reducePanel } from '../../src/shared/panelState';
import { chartData, seedBand, seedNaNMarkers, seriesLayout, verdictHeadline } from '../../src/webview/view';
import { nanSgdLinear } from '../fixtures/repro/specs';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

const root = join(__dirname, '..', '..');
const MEAN = 8.3e4;

function run(seed: number, verdict: Verdict, finalLoss: number | 'NaN', nanAt?: [number, number]): SeedRun {
  return {
    seed,
    verdict,
    finalLoss,
    overMeanPredictor: typeof finalLoss === 'number' ? finalLoss / MEAN : null,
    firstNonFinite: nanAt ? { epoch: nanAt[0], batch: nanAt[1] } : null,
    epochsRun: nanAt ? nanAt[0] + 1 : 3,
    stopped: nanAt ? 'non-finite' : null,
  };
}

/** The issue's case: NaN in epoch 0 on 4 of 8 seeds, the others exploded (1e5 to 1e22 times the mean predictor's loss). */
const issueCase: SeedRun[] = [
  run(0, 'nan', 'NaN', [0, 2]),
  run(1, 'exploded', 1e5 * MEAN),
  run(2, 'nan', 'NaN', [0, 2]),
  run(3, 'exploded', 3e12 * MEAN),
  run(4, 'nan', 'NaN', [0, 3]),
  run(5, 'exploded', 1e22 * MEAN),
  run(6, 'nan', 'NaN', [0, 12]),
  run(7, 'exploded', 2e9 * MEAN),
];

test('the statement: the NaN share and where, then where the others ended as multiples of the mean predictor', () => {
  assert.equal(seedsStatement(issueCase), "NaN in 4 of 8 seeds, all in epoch 0; the other 4 exploded, ending at 1e5 to 1e22 times the mean predictor's loss.");
  // Mixed groups: the mean predictor is named once.
  const mixed = [run(0, 'nan', 'NaN', [0, 2]), run(1, 'nan', 'NaN', [2, 0]), run(2, 'exploded', 4.8e14 * MEAN), run(3, 'exploded', 3.3e19 * MEAN), run(4, 'stalled', 29 * MEAN)];
  assert.equal(seedsStatement(mixed), "NaN in 2 of 5 seeds, in epochs 0 to 2; of the other 3, 2 exploded (ending at 4.8e14 to 3.3e19 times the mean predictor's loss), 1 stalled (ending at 29 times).");
  assert.equal(seedsStatement([run(3, 'nan', 'NaN', [1, 4]), run(4, 'healthy', 0.5 * MEAN)]), "NaN in 1 of 2 seeds, in epoch 1 (batch 4); the other one was healthy, ending at 0.5 times the mean predictor's loss.");
  assert.equal(seedsStatement([run(0, 'nan', 'NaN', [0, 2]), run(1, 'nan', 'NaN', [0, 2])]), 'NaN in all 2 seeds, all in epoch 0.');
  // No NaN: the groups, the largest first.
  assert.equal(seedsStatement([run(0, 'healthy', 0.1 * MEAN), run(1, 'stalled', 2 * MEAN), run(2, 'healthy', 0.12 * MEAN)]), "Healthy in 2 of 3 seeds, ending at 0.1 to 0.12 times the mean predictor's loss; stalled in 1, ending at 2 times.");
  // Without a mean predictor (a loss with no bound): the losses themselves.
  const noBound = [{ ...run(0, 'stalled', 2.3e6), overMeanPredictor: null }, { ...run(1, 'stalled', 2.3e6), overMeanPredictor: null }];
  assert.equal(seedsStatement(noBound), 'Stalled in all 2 seeds, ending at losses of 2.3e6.');
});

test('the multi-seed verdict: healthy only when every seed is; else the most common problem, ties to the more severe', () => {
  assert.equal(multiSeedVerdict(issueCase), 'nan', '4 nan against 4 exploded: nan is the more severe');
  assert.equal(multiSeedVerdict([run(0, 'nan', 'NaN', [0, 2]), run(1, 'exploded', 1e9), run(2, 'exploded', 1e9)]), 'exploded');
  assert.equal(multiSeedVerdict([run(0, 'healthy', 1), run(1, 'healthy', 1), run(2, 'stalled', 1e6)]), 'stalled', 'one failing seed in three is a problem');
  assert.equal(multiSeedVerdict([run(0, 'healthy', 1), run(1, 'healthy', 1)]), 'healthy');
  assert.equal(multiSeedVerdict([run(0, 'stalled', 1), run(1, 'diverging', 1)]), 'diverging');
  assert.equal(agreementOf(issueCase), 'coin-flip');
  assert.equal(agreementOf([run(0, 'stalled', 1), run(1, 'stalled', 2)]), 'unanimous');
  assert.equal(shortNumber(3.3e19), '3.3e19');
  assert.equal(shortNumber(1e5), '1e5');
  assert.equal(shortNumber(0.0832), '0.083');
});

function summaryOf(r: SeedRun): ReproSummary {
  const finite = typeof r.finalLoss === 'number';
  return {
    version: 1,
    verdict: r.verdict,
    explanation: `seed ${r.seed}`,
    backend: 'cpu',
    engine: 'dense',
    seed: r.seed,
    firstNonFinite: r.firstNonFinite ? { ...r.firstNonFinite, layer: 'dense_1', tensor: 'activation', inputsNonFinite: false, detail: '', recentLosses: [] } : null,
    history: { loss: finite ? [1e12, r.finalLoss!] : ['NaN'], val_loss: [] },
    data: { train: 'random', validation: 'none', notes: [] },
    timings: { totalMs: 100, loadMs: r.seed === 0 ? 300 : 5, trainMs: 50, perEpochMs: 25 },
    model: { name: 'autoencoder', source: 'a.py', parameters: 428 },
    epochsRun: r.epochsRun,
    epochsPlanned: 3,
    stopped: r.stopped,
    bounds: { meanPredictor: MEAN, outputFloor: 0, lossFloor: 0 },
    layers: [],
    notes: [],
  };
}

test('the combined summary: the multi-seed verdict, the seeds, and the first seed with that verdict shown', () => {
  const s = combineSeeds(issueCase.map(summaryOf), { requested: 8, limitedBy: null, totalMs: 1234, wallLimitMs: 120_000 });
  assert.equal(s.verdict, 'nan');
  assert.equal(s.seed, 0);
  assert.equal(s.nanFraction, 0.5);
  assert.deepEqual(s.seeds?.verdicts, { nan: 4, diverging: 0, exploded: 4, stalled: 0, healthy: 0 });
  assert.equal(s.seeds?.nan, 4);
  assert.equal(s.seeds?.count, 8);
  assert.equal(s.seeds?.agreement, 'coin-flip');
  assert.equal(s.seeds?.shown, 0);
  assert.deepEqual(s.seeds?.runs[1], { seed: 1, verdict: 'exploded', finalLoss: 1e5 * MEAN, overMeanPredictor: 1e5, firstNonFinite: null, epochsRun: 3, stopped: null });
  assert.deepEqual(s.seeds?.runs[4].firstNonFinite, { epoch: 0, batch: 3 });
  assert.match(s.explanation, /^NaN in 4 of 8 seeds, all in epoch 0; .* The verdict over the seeds: nan, 4 of 8 seeds; a coin flip: the outcome depends on the seed\.$/);
  assert.deepEqual([s.timings.totalMs, s.timings.loadMs, s.timings.trainMs], [1234, 300, 400]);
  // Fewer seeds than asked, for time: said in the notes.
  const short = combineSeeds(issueCase.slice(0, 3).map(summaryOf), { requested: 8, limitedBy: 'time', totalMs: 60_000, wallLimitMs: 60_000 });
  assert.equal(short.seeds?.count, 3);
  assert.match(short.notes.at(-1)!, /^Trained 3 of the 8 seeds asked for: the others would not have finished within the wall-time limit of 60 s/);
  // Text output: one row per seed, the verdict with its share, the statement.
  const text = formatText(s, 'a.py');
  assert.match(text, /^a\.py: model autoencoder \(428 parameters\), backend cpu \(dense kernels\), seeds 0-7\n/);
  assert.match(text, /\n\s+4\s+nan\s+NaN\s+-\s+epoch 0, batch 3\n/);
  assert.match(text, /\n\s+5\s+exploded\s+\S+\s+1e22\s+-\n/);
  assert.match(text, /\nverdict: nan \(4 of 8 seeds; a coin flip: the outcome depends on the seed\)\. NaN in 4 of 8 seeds, all in epoch 0; /);
  assert.match(text, /\nfirst non-finite \(seed 0\): epoch 0, batch 2, layer dense_1, activation\n/);
  // The panel's verdict line and the findings' bearings.
  assert.equal(verdictText(s), 'NaN over 8 seeds (4 of 8; a coin flip: the outcome depends on the seed).');
  assert.deepEqual(findingBearings([{ cause: 'unscaled-input' }], s), ['borne out: the loss became NaN at epoch 0 (4 of 8 seeds; seed 0 shown)']);
  const mostlyExploded = combineSeeds([run(0, 'nan', 'NaN', [0, 2]), run(1, 'exploded', 1e9), run(2, 'exploded', 1e10)].map(summaryOf), { requested: 3, limitedBy: null, totalMs: 10, wallLimitMs: 60_000 });
  assert.deepEqual(findingBearings([{ cause: 'unscaled-input' }], mostlyExploded), ['borne out: the loss exploded to 1.00e+9 without going NaN (2 of 3 seeds; seed 1 shown; NaN in 1 of 3)']);
});

test('--seeds: N or auto, for the TensorFlow.js engine only; one seed asks the worker for nothing new', () => {
  const args = (extra: string[]) => parseReproduceArgs(['examples/nan_sgd_linear.py', ...extra], root);
  assert.equal((args(['--seeds', '8']) as { seeds: number }).seeds, 8);
  assert.equal((args(['--seeds', 'auto']) as { seeds: string }).seeds, 'auto');
  assert.equal((args([]) as { seeds?: number }).seeds, undefined);
  assert.throws(() => args(['--seeds', '0']), UsageError);
  assert.throws(() => args(['--seeds', '65']), /--seeds expects auto or an integer from 1 to 64/);
  assert.throws(() => args(['--seeds', 'many']), UsageError);
  assert.throws(() => args(['--seeds', '4', '--engine', 'keras']), /--seeds is for --engine tfjs/);
  assert.equal(seedsRequest(undefined), undefined);
  assert.equal(seedsRequest(1), undefined);
  assert.deepEqual(seedsRequest(8), { mode: 'count', count: 8 });
  assert.deepEqual(seedsRequest('auto'), { mode: 'auto', max: 8, budgetMs: 15_000 });
});

test('auto: as many seeds as fit in the budget after the first, at most the maximum, never fewer than one', () => {
  assert.equal(autoSeedCount(100, 400, 15_000, 8), 8);
  assert.equal(autoSeedCount(4000, 4300, 15_000, 8), 3);
  assert.equal(autoSeedCount(20_000, 20_300, 15_000, 8), 1);
});

test('the worker trains the seeds one after the other in one process, each event tagged with its seed', async () => {
  const planned = buildPlan(nanSgdLinear(), { seed: 5, epochs: 2 });
  if ('refused' in planned) assert.fail(planned.refused);
  const events: WorkerMessage[] = [];
  const reproduction = startReproduction(planned.plan, { workerPath: await bundledWorker(), backend: 'cpu', seeds: { mode: 'count', count: 3 }, onEvent: (e) => events.push(e) });
  const pid = reproduction.pid;
  const summary = await reproduction.done;
  assert.ok(pid !== undefined);
  // Every linear layer overflows whatever the seed (examples/nan_sgd_linear.py): NaN in 3 of 3.
  assert.equal(summary.verdict, 'nan');
  assert.deepEqual(summary.seeds?.runs.map((r) => [r.seed, r.verdict]), [[5, 'nan'], [6, 'nan'], [7, 'nan']]);
  assert.equal(summary.seeds?.agreement, 'unanimous');
  assert.equal(summary.seeds?.statement, 'NaN in all 3 seeds, all in epoch 0.');
  assert.deepEqual(events.filter((e) => e.type === 'seedDone').map((e) => e.type === 'seedDone' && [e.seed, e.index, e.count]), [[5, 0, 3], [6, 1, 3], [7, 2, 3]]);
  for (const e of events) if (e.type === 'epoch' || e.type === 'nonFinite' || e.type === 'ready') assert.ok(e.seed !== undefined && e.seed >= 5 && e.seed <= 7, `${e.type} carries its seed`);
  assert.deepEqual(events.filter((e) => e.type === 'nonFinite').map((e) => e.type === 'nonFinite' && e.seed), [5, 6, 7]);
  // Each seed is the run `--seed` of that number gives.
  const alone = await startReproduction({ ...planned.plan, seed: 6 }, { workerPath: await bundledWorker(), backend: 'cpu' }).done;
  assert.deepEqual(summary.seeds?.runs[1].firstNonFinite, { epoch: alone.firstNonFinite!.epoch, batch: alone.firstNonFinite!.batch });
  assert.equal(alone.seeds, undefined, 'one seed: no seeds field');
});

test('reproduce --seeds 3 --format json carries the seeds and exits 1 when a seed fails on the program\'s data', async () => {
  let out = '';
  const code = await runReproduceCommand({ file: 'examples/nan_sgd_linear.py', seeds: 3, epochs: 2, backend: 'cpu', format: 'json', workerPath: await bundledWorker() }, { cwd: root, stdout: (s) => (out += s), stderr: () => undefined });
  assert.equal(code, 1);
  const summary = JSON.parse(out) as ReproSummary & { evidence: string };
  assert.equal(summary.evidence, 'program-data');
  assert.equal(summary.seeds?.count, 3);
  assert.equal(summary.nanFraction, 1);
  assert.deepEqual(Object.keys(summary.seeds!.runs[0]), ['seed', 'verdict', 'finalLoss', 'overMeanPredictor', 'firstNonFinite', 'epochsRun', 'stopped']);
});

const info = { runId: 'r1', label: 'original', model: 'm', file: 'a.py', seed: 0, epochs: 3, data: 'random', synthetic: false, findings: [], seeds: 3 };

test('the panel: each seed its line, the run\'s line their median, the band their spread, a marker per NaN seed', () => {
  const translator = new RunTranslator('r1', 0, () => 10);
  const worker: WorkerMessage[] = [
    { type: 'ready', backend: 'cpu', engine: 'dense', parameters: 10, loadMs: 5, seed: 0 },
    { type: 'epoch', epoch: 0, loss: 100, valLoss: null, layers: null, elapsedMs: 1, seed: 0 },
    { type: 'epoch', epoch: 1, loss: 10, valLoss: null, layers: null, elapsedMs: 2, seed: 0 },
    { type: 'seedDone', seed: 0, index: 0, count: 3, run: { seed: 0, verdict: 'healthy', finalLoss: 10, overMeanPredictor: 0.1, firstNonFinite: null, epochsRun: 2, stopped: null } },
    { type: 'nonFinite', point: { epoch: 0, batch: 4, layer: 'd', tensor: 'activation', inputsNonFinite: false, detail: '', recentLosses: [] }, seed: 1 },
    { type: 'epoch', epoch: 0, loss: 'NaN', valLoss: null, layers: null, elapsedMs: 3, seed: 1 },
    { type: 'seedDone', seed: 1, index: 1, count: 3, run: { seed: 1, verdict: 'nan', finalLoss: 'NaN', overMeanPredictor: null, firstNonFinite: { epoch: 0, batch: 4 }, epochsRun: 1, stopped: 'non-finite' } },
    { type: 'epoch', epoch: 0, loss: 1000, valLoss: null, layers: null, elapsedMs: 4, seed: 2 },
    { type: 'epoch', epoch: 1, loss: 30, valLoss: null, layers: null, elapsedMs: 5, seed: 2 },
  ];
  const messages: ExtensionToPanel[] = [{ type: 'runStarted', info }, ...worker.flatMap((e) => translator.translate(e))];
  assert.deepEqual(messages.map((m) => m.type), ['runStarted', 'backend', 'seedEpoch', 'seedEpoch', 'seedDone', 'seedNonFinite', 'seedEpoch', 'seedDone', 'seedEpoch', 'seedEpoch']);
  let state: PanelState = EMPTY_PANEL_STATE;
  for (const m of messages) state = reducePanel(state, m);
  const r = state.runs[0];
  assert.deepEqual(r.seedRuns?.map((t) => [t.seed, t.points.length, t.verdict ?? null]), [[0, 2, 'healthy'], [1, 1, 'nan'], [2, 2, null]]);
  // Epoch 0: 100, NaN, 1000 -> the median of the finite ones, 550; epoch 1: 10 and 30 -> 20.
  assert.deepEqual(r.points, [{ epoch: 0, loss: 550 }, { epoch: 1, loss: 20 }]);
  assert.equal(r.seedCount, 3);
  assert.equal(verdictHeadline(r), 'Training m: seed 2 (3 of 3), epoch 2 of 3, loss 30');
  assert.deepEqual(seedBand(r, 2, true), { high: [1000, 30], low: [100, 10] });
  assert.deepEqual(seriesLayout(state.runs), [{ loss: 1, val: 2, band: { high: 3, low: 4 } }]);
  assert.deepEqual(chartData(state.runs, true), [[0, 1], [550, 20], [null, null], [1000, 30], [100, 10]]);
  assert.deepEqual(seedNaNMarkers(r), [{ seed: 1, epoch: 0, batch: 4, stack: 0, title: 'seed 1: NaN at epoch 0, batch 4' }]);
  assert.match(historyCsv(state), /^epoch,original loss \(median over seeds\),original val_loss \(median over seeds\),original seed 0 loss,original seed 1 loss,original seed 2 loss\n0,550,,100,NaN,1000\n1,20,,10,,30\n$/);
  // Done: the statement travels with the result.
  const done = translator.translate({ type: 'done', summary: combineSeeds([run(0, 'healthy', 10), run(1, 'nan', 'NaN', [0, 4]), run(2, 'healthy', 30)].map(summaryOf), { requested: 3, limitedBy: null, totalMs: 20, wallLimitMs: 60_000 }) });
  const result = done.find((m) => m.type === 'done');
  assert.ok(result && result.type === 'done');
  assert.deepEqual(result.result.seeds, { count: 3, nan: 1, agreement: 'coin-flip', statement: "NaN in 1 of 3 seeds, in epoch 0 (batch 4); the other 2 were healthy, ending at 1.2e-4 to 3.6e-4 times the mean predictor's loss." });
  state = reducePanel(state, result);
  assert.equal(state.runs[0].seedCount, 3);
  assert.equal(medianOf([NaN, 3, 1, Infinity, 2]), 2);
  assert.equal(medianOf([NaN]), undefined);
});

test('the panel: a seed that is all NaN at an epoch leaves a gap in the line, not a zero', () => {
  let state: PanelState = reducePanel(EMPTY_PANEL_STATE, { type: 'runStarted', info });
  state = reducePanel(state, { type: 'seedEpoch', runId: 'r1', seed: 0, point: { epoch: 0, loss: 'NaN' } });
  assert.deepEqual(state.runs[0].points, [{ epoch: 0, loss: 'NaN' }]);
  assert.deepEqual(chartData(state.runs, true), [[0], [null], [null], [null], [null]]);
  // Late points after a cancel are dropped, as for a single run.
  state = reducePanel(state, { type: 'cancelled', runId: 'r1' });
  state = reducePanel(state, { type: 'seedEpoch', runId: 'r1', seed: 1, point: { epoch: 0, loss: 5 } });
  assert.equal(state.runs[0].seedRuns?.length, 1);
});
