// Fidelity of the native backend. tfjs-node 4.22 was built for libtensorflow 2.9.1; here it runs
// on the C API of the Keras environment's TensorFlow (scripts/setup-tfjs-node.sh). Whether that
// computes what Keras computes is checked the way the fidelity suite checks the mapping: both
// frameworks train from the reproduction's own initial weights (exported to Keras), batches in
// order, and must agree epoch by epoch to float32 rounding (LOCKSTEP_TOLERANCE). The fixtures are
// the suite's lockstep fixtures (dense chains, batch normalization, a residual block, an SGD run
// that overflows) plus the models native TensorFlow is chosen for: a conv autoencoder of the
// TensorFlow tutorial's shape and an LSTM sequence autoencoder. The same plans on the CPU
// backend are compared too (same tolerance). Writes test-output/fidelity-native.md.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../src/core/index';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { pickModel } from '../../src/core/modelHandles';
import { selectBackend } from '../../src/repro/engine/backend';
import { buildModel } from '../../src/repro/engine/model';
import { toFidelityCase } from '../../src/repro/fidelity';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import type { ReproSummary } from '../../src/repro/summary';
import { nativeFolder, nativeSkip } from '../fixtures/repro/native-backend';
import { kerasEnv, repoRoot, runKeras, toNumber, type KerasFidelityCase, type KerasResult } from './keras-harness';

/** As the fidelity suite's lockstep: float32 rounding in another order stays far below it, mapping mistakes far above. */
const LOCKSTEP_TOLERANCE = 1e-4;

interface Fixture {
  file: string;
  epochs: number;
  /** Fewer samples than the file trains on (convolutions on the CPU backend are slow). */
  maxSamples?: number;
  /** Also run the plan on the CPU backend (skipped where it would take minutes). */
  cpu: boolean;
}

const FIXTURES: Fixture[] = [
  { file: 'examples/seed1_unscaled.py', epochs: 5, cpu: true },
  { file: 'examples/seed2_batchnorm.py', epochs: 5, cpu: true },
  { file: 'examples/seed3_early_stopping.py', epochs: 5, cpu: true },
  { file: 'examples/train_with_config.py', epochs: 5, cpu: true },
  { file: 'examples/keras_topology_sigmoid.json', epochs: 10, cpu: true },
  { file: 'test/fixtures/repro/bn_without_center_scale.py', epochs: 5, cpu: true },
  { file: 'examples/nan_sgd_linear.py', epochs: 3, cpu: true },
  { file: 'test/fixtures/repro/conv_autoencoder.py', epochs: 3, maxSamples: 512, cpu: false },
  { file: 'test/fixtures/repro/lstm_autoencoder.py', epochs: 3, maxSamples: 256, cpu: true },
];

interface Row {
  fixture: Fixture;
  planned?: string;
  native?: ReproSummary;
  cpu?: ReproSummary;
  keras?: KerasResult;
}

const env = kerasEnv();
const skip = nativeSkip || ('python' in env ? false : env.reason);

async function plan(fixture: Fixture): Promise<ReproPlan | string> {
  const host = createFileSystemHost({ cwd: repoRoot, workspaceRoot: repoRoot });
  const analysis = await analyzeFile(fixture.file, readFileSync(join(repoRoot, fixture.file), 'utf8'), host);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') return model;
  const planned = buildPlan(model, { seed: 0, epochs: fixture.epochs, workspaceRoot: repoRoot, ...(fixture.maxSamples ? { caps: { maxSamples: fixture.maxSamples }, shorten: true } : {}) });
  return 'refused' in planned ? planned.refused : { ...planned.plan, fit: { ...planned.plan.fit, shuffle: false } };
}

/** The reproduction's initial weights for the plan, drawn on native TensorFlow (as the native run draws them), per layer in Keras's order. */
async function initialWeights(planned: ReproPlan): Promise<Record<string, { shape: number[]; values: number[] }[]>> {
  const chosen = await selectBackend('node', 0, { nativeFolder });
  assert.ok(!('problem' in chosen), 'problem' in chosen ? chosen.problem : '');
  const built = await buildModel(planned);
  try {
    const out: Record<string, { shape: number[]; values: number[] }[]> = {};
    for (const layer of built.model.layers) {
      const weights = layer.weights.filter((w) => !built.standInWeights.has(w.name));
      if (weights.length > 0) out[layer.name] = weights.map((w) => ({ shape: w.shape as number[], values: Array.from(w.read().dataSync()) }));
    }
    return out;
  } finally {
    built.model.dispose();
  }
}

/** Samples as the model takes them (Keras reads `x` as given: a conv model wants [rows, 28, 28, 1], not flat rows). */
function shaped(rows: number[][] | null, shape: number[]): unknown[] | null {
  if (!rows || shape.length <= 1) return rows;
  const nest = (flat: number[], dims: number[], offset: number): unknown => {
    if (dims.length === 1) return flat.slice(offset, offset + dims[0]);
    const step = dims.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[0] }, (_, i) => nest(flat, dims.slice(1), offset + i * step));
  };
  return rows.map((r) => nest(r, shape, 0));
}

/**
 * A wrapped layer (TimeDistributed's `layer`) as Keras 3 deserializes it: with its `module`. The
 * plan's JSON carries the inner layer as the code wrote it, which tfjs-layers reads and Keras 3 refuses
 * ("Could not locate class 'Dense'").
 */

const losses = (s: ReproSummary) => s.history.loss.map(fromWire);
const kerasLosses = (r: KerasResult) => r.history.loss.map(toNumber);
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);

function gap(a: number[], b: number[]): number {
  let g = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) g = Math.max(g, relative(a[i], b[i]));
  return g;
}

function firstNaN(s: ReproSummary): string {
  return s.firstNonFinite ? `epoch ${s.firstNonFinite.epoch}, batch ${s.firstNonFinite.batch}` : 'never';
}

function kerasFirstNaN(k: KerasResult): string {
  return k.firstNonFiniteEpoch === null ? 'never' : `epoch ${k.firstNonFiniteEpoch}, batch ${k.firstNonFiniteBatch}`;
}

/** Why native and Keras disagree in lockstep, or null. */
function disagreement(native: ReproSummary, keras: KerasResult): string | null {
  if (firstNaN(native) !== kerasFirstNaN(keras)) return `first non-finite batch: native ${firstNaN(native)}, Keras ${kerasFirstNaN(keras)}`;
  const a = losses(native).filter(Number.isFinite).length;
  const b = kerasLosses(keras).filter(Number.isFinite).length;
  if (a !== b) return `finite epochs: native ${a}, Keras ${b}`;
  const g = gap(losses(native), kerasLosses(keras));
  return g > LOCKSTEP_TOLERANCE ? `epoch losses up to ${g.toExponential(2)} apart (tolerance ${LOCKSTEP_TOLERANCE})` : null;
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : !Number.isFinite(n) ? String(n) : Math.abs(n) >= 1e4 ? n.toExponential(4) : n.toPrecision(6));

function table(rows: Row[], versions: string): string {
  const lines = [
    '# Fidelity of the native backend (tfjs-node 4.22 on the Keras environment\'s TensorFlow)',
    '',
    `Lockstep: the same initial weights, batches in order. ${versions}. Tolerance ${LOCKSTEP_TOLERANCE} relative on every epoch loss.`,
    '',
    '| case | epochs | native vs Keras (largest gap) | native vs CPU | native final loss | Keras final loss | first NaN native / Keras | native s/epoch | Keras s/epoch | agree? |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    if (row.planned || !row.native || !row.keras || row.keras.error) {
      lines.push(`| ${row.fixture.file} | ${row.fixture.epochs} | - | - | - | - | - | - | - | ${row.planned ?? row.keras?.error ?? 'no result'} |`);
      continue;
    }
    const n = row.native;
    const k = row.keras;
    const problem = disagreement(n, k);
    const kEpoch = k.seconds.epochs.length ? k.seconds.epochs.reduce((a, b) => a + b, 0) / k.seconds.epochs.length : NaN;
    lines.push(
      `| ${row.fixture.file} | ${row.fixture.epochs} | ${gap(losses(n), kerasLosses(k)).toExponential(1)} | ${row.cpu ? gap(losses(n), losses(row.cpu)).toExponential(1) : '-'} | ${fmt(losses(n).filter(Number.isFinite).at(-1))} | ` +
        `${fmt(kerasLosses(k).filter(Number.isFinite).at(-1))} | ${firstNaN(n)} / ${kerasFirstNaN(k)} | ${((n.timings.perEpochMs ?? 0) / 1000).toFixed(3)} | ${kEpoch.toFixed(3)} | ${problem ?? 'yes'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('native backend: tfjs-node on this TensorFlow computes what Keras computes', { skip }, () => {
  const rows: Row[] = [];
  let versions = '';

  before(async () => {
    if (skip || !('python' in env)) return;
    const cases: KerasFidelityCase[] = [];
    for (const fixture of FIXTURES) {
      const planned = await plan(fixture);
      if (typeof planned === 'string') {
        rows.push({ fixture, planned });
        continue;
      }
      const native = await startReproduction(planned, { backend: 'node', nativeFolder }).done;
      const cpu = fixture.cpu ? await startReproduction(planned, { backend: 'cpu' }).done : undefined;
      rows.push({ fixture, native, cpu });
      const c = toFidelityCase(planned, `${fixture.file}#native`);
      const outShape = planned.inputShape; // autoencoders: the targets have the inputs' shape
      cases.push({ ...c, kerasJson: c.kerasJson, x: shaped(c.x, planned.inputShape)!, y: shaped(c.y, outShape)!, valX: shaped(c.valX, planned.inputShape), valY: shaped(c.valY, outShape), initialWeights: await initialWeights(planned) });
    }
    const run = await runKeras(env.python, cases, Number(process.env.NANGUARD_KERAS_TIMEOUT_MS ?? 30 * 60_000));
    const byName = new Map(run.results.map((r) => [r.name, r]));
    for (const row of rows) if (!row.planned) row.keras = byName.get(`${row.fixture.file}#native`);
    const v = run.results.find((r) => r.versions)?.versions;
    versions = v ? `Keras ${v.keras}, TensorFlow ${v.tensorflow}` : '';
  });

  after(() => {
    if (rows.length === 0) return;
    mkdirSync(join(repoRoot, 'test-output'), { recursive: true });
    writeFileSync(join(repoRoot, 'test-output', 'fidelity-native.md'), table(rows, versions));
  });

  for (const fixture of FIXTURES) {
    it(`${fixture.file}: native TensorFlow step for step with Keras${fixture.cpu ? ' and with the CPU backend' : ''}`, () => {
      const row = rows.find((r) => r.fixture === fixture);
      assert.ok(row && !row.planned, `nanguard could not plan it: ${row?.planned}`);
      assert.equal(row.native!.backend, 'node');
      assert.ok(row.keras, 'Keras did not answer');
      assert.equal(row.keras.error, undefined, `Keras could not train it: ${row.keras.error}`);
      const problem = disagreement(row.native!, row.keras);
      assert.equal(problem, null, problem ?? '');
      if (row.cpu) {
        assert.equal(firstNaN(row.native!), firstNaN(row.cpu));
        const g = gap(losses(row.native!), losses(row.cpu));
        assert.ok(g <= LOCKSTEP_TOLERANCE, `native and CPU epoch losses up to ${g.toExponential(2)} apart`);
      }
    });
  }
});
