// "Try the suggested fix": which fix the findings call for, and what it changes in the plan.
// The plans come from the real analysis of the example files; one fix is trained for real.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, NO_FILES, checkFile } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { applyPlanFix, planFixes, suggestedPlanFix, type FindingForFix } from '../../src/repro/fixPlan';
import { buildPlan, materializeData, type ReproPlan } from '../../src/repro/plan';
import { startReproduction } from '../../src/repro/runner';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

const root = join(__dirname, '..', '..');

async function analysed(file: string, seed = 0): Promise<{ plan: ReproPlan; findings: FindingForFix[] }> {
  const checked = await checkFile(file, readFileSync(join(root, file), 'utf8'), NO_FILES, DEFAULT_SETTINGS);
  const model = pickModel(checked.analysis.models);
  if (typeof model === 'string') throw new Error(model);
  const planned = buildPlan(model, { seed });
  if ('refused' in planned) throw new Error(planned.refused);
  const findings = checked.findings.filter((f) => f.model === model.name).map((f) => ({ rule: f.rule, cause: f.cause, severity: f.severity, fixTitle: f.fixes[0]?.title }));
  return { plan: planned.plan, findings };
}

function fixed(plan: ReproPlan, fix: ReturnType<typeof suggestedPlanFix>): ReproPlan {
  assert.ok(fix);
  const out = applyPlanFix(plan, fix);
  assert.ok('plan' in out, JSON.stringify(out));
  return out.plan;
}

test('unscaled SGD example: scaling with the scaler its quick fix names is suggested first, then clipping', async () => {
  const { findings } = await analysed('examples/nan_sgd_linear.py');
  const fixes = planFixes(findings);
  assert.deepEqual(fixes.map((f) => f.id), ['scale-inputs:NAN101', 'clipnorm:NAN304']);
  assert.equal(fixes[0].title, 'scale the inputs with StandardScaler');
});

test('seed example 1: MinMaxScaler (from the NAN101 quick fix) comes before the linear output and the bottleneck', async () => {
  const { findings } = await analysed('examples/seed1_unscaled.py');
  const fixes = planFixes(findings);
  assert.deepEqual(fixes.map((f) => f.kind), ['scale-inputs', 'linear-output', 'bottleneck-activation']);
  assert.equal(fixes[0].detail, 'MinMaxScaler');
  // NAN202's first quick fix is "Use 'relu' here".
  assert.equal(fixes[2].detail, 'relu');
});

test('no fix for causes the reproduction cannot replay; one per remedy; severity breaks ties', () => {
  assert.deepEqual(planFixes([{ rule: 'NAN502', cause: 'tiny-validation', severity: 'info' }]), []);
  const fixes = planFixes([
    { rule: 'NAN102', cause: 'feature-scale-disparity', severity: 'warning' },
    { rule: 'NAN101', cause: 'unscaled-input', severity: 'error' },
    { rule: 'NAN301', cause: 'high-learning-rate', severity: 'error' },
  ]);
  assert.deepEqual(fixes.map((f) => f.id), ['scale-inputs:NAN101', 'default-learning-rate:NAN301']);
});

test('scaling appends the scaler to the inputs and leaves the original plan alone', async () => {
  const { plan, findings } = await analysed('examples/nan_sgd_linear.py');
  const before = JSON.stringify(plan);
  const next = fixed(plan, suggestedPlanFix(findings));
  assert.equal(JSON.stringify(plan), before);
  const data = materializeData(next);
  const column = data.x.map((r) => r[0]);
  const mean = column.reduce((a, b) => a + b, 0) / column.length;
  assert.ok(Math.max(...data.x.flat().map(Math.abs)) < 10, 'scaled values are small');
  assert.ok(Math.abs(mean) < 0.5, `mean ${mean}`);
  assert.ok(Math.max(...materializeData(plan).x.flat()) > 100, 'the original stays unscaled');
  assert.match(next.notes.map((n) => n.text).join(' '), /scaled with StandardScaler/);
});

test('linear output, bottleneck activation, default learning rate and clipnorm change exactly their setting', async () => {
  const { plan } = await analysed('examples/seed1_unscaled.py');
  const layers = (p: ReproPlan) => p.kerasJson.config.layers.map((l) => l.config.activation ?? null);
  const linear = fixed(plan, { id: 'linear-output:NAN201', kind: 'linear-output', rule: 'NAN201', title: 'a linear output layer' });
  assert.deepEqual(layers(plan).slice(-2), ['sigmoid', 'sigmoid']);
  assert.deepEqual(layers(linear).slice(-2), ['sigmoid', 'linear']);
  const relu = fixed(plan, { id: 'bottleneck-activation:NAN202', kind: 'bottleneck-activation', rule: 'NAN202', title: 'a relu bottleneck', detail: 'relu' });
  assert.deepEqual(layers(relu).slice(-2), ['relu', 'sigmoid']);
  const sgd = (await analysed('examples/nan_sgd_linear.py')).plan;
  const clipped = fixed(sgd, { id: 'clipnorm:NAN304', kind: 'clipnorm', rule: 'NAN304', title: 'clip' });
  assert.equal(clipped.compile.optimizer.config.clipnorm, 1);
  assert.equal(sgd.compile.optimizer.config.clipnorm, null);
  const fast = structuredClone(sgd);
  fast.compile.optimizer.config.learning_rate = 0.5;
  assert.equal(fixed(fast, { id: 'default-learning-rate:NAN301', kind: 'default-learning-rate', rule: 'NAN301', title: 'lr' }).compile.optimizer.config.learning_rate, 0.01);
  const again = applyPlanFix(clipped, { id: 'clipnorm:NAN304', kind: 'clipnorm', rule: 'NAN304', title: 'clip' });
  assert.ok('problem' in again);
});

test('trained for real: the SGD example goes NaN with seed 2, and its suggested fix trains to a finite loss', { timeout: 120_000 }, async () => {
  const { plan, findings } = await analysed('examples/nan_sgd_linear.py', 2);
  const workerPath = await bundledWorker();
  const original = await startReproduction(plan, { workerPath, backend: 'cpu' }).done;
  assert.equal(original.verdict, 'nan');
  const repaired = await startReproduction(fixed(plan, suggestedPlanFix(findings)), { workerPath, backend: 'cpu' }).done;
  assert.notEqual(repaired.verdict, 'nan');
  const last = repaired.history.loss[repaired.history.loss.length - 1];
  assert.ok(typeof last === 'number' && last < 10, `final loss ${String(last)}`);
});
