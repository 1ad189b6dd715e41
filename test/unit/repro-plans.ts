// Plans and runs for the reproduction tests: a model's plan (or why it is refused), trained on the CPU backend.
import assert from 'node:assert/strict';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import { runReproduction } from '../../src/repro/engine/train';
import { buildPlan, type PlanOptions, type ReproPlan } from '../../src/repro/plan';
import type { ReproSummary } from '../../src/repro/summary';

/** The plan of a model, failing the test with the refusal when there is one. */
export function planned(model: ModelSpec, options: PlanOptions = {}): ReproPlan {
  const r = buildPlan(model, options);
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

/** Why a model's plan is refused, failing the test when it is not. */
export function refusalOf(model: ModelSpec): string {
  const r = buildPlan(model);
  assert.ok('refused' in r, 'expected a refusal');
  return r.refused;
}

/** A real TensorFlow.js run of the plan on the CPU backend. */
export async function trainOnCpu(plan: ReproPlan): Promise<ReproSummary> {
  return runReproduction(plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
}

/** The model a program fits (`train.py`, no workspace files), failing the test when there is none. */
export async function fittedModelOf(source: string): Promise<ModelSpec> {
  const model = (await analyzeFile('train.py', source, NO_FILES)).models.find((m) => m.fit);
  assert.ok(model, 'a fitted model');
  return model;
}
