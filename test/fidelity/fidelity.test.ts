// Fidelity: every reproduction fixture (the example files) planned once, trained by the
// TensorFlow.js reproduction and by real Keras from the same FidelityCase, and the outcomes
// compared. Frameworks do not share random streams (initial weights, shuffling), so this
// compares outcomes, not bits:
//   - the same verdict;
//   - the first non-finite epoch within one epoch (or neither goes non-finite);
//   - final finite losses within LOSS_TOLERANCE (relative), for runs that end finite.
// A fixture whose outcome hinges on the initial weights in Keras itself is compared over
// several seeds instead: the share of each verdict must be alike, and the median final losses
// within the fixture's stated tolerance.
// Where the forward pass draws no random numbers, both frameworks are also trained from the
// reproduction's own initial weights without shuffling ("lockstep"), and must agree epoch by
// epoch to float32 rounding: this checks the mapping itself, free of random streams.
// Writes the agreement table to test-output/fidelity.md.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../src/core/index';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { pickModel } from '../../src/core/modelHandles';
import { toFidelityCase } from '../../src/repro/fidelity';
import { buildModel } from '../../src/repro/engine/model';
import { ensureCpuBackend, tf } from '../../src/repro/engine/tf';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { startReproduction } from '../../src/repro/runner';
import type { ReproSummary } from '../../src/repro/summary';
import { kerasEnv, repoRoot, runKeras, toNumber, type KerasFidelityCase, type KerasResult } from './keras-harness';

/**
 * Relative tolerance on final losses. Stalled runs sit on a floor set by the data (Example 1:
 * 2332285 in Keras, 2332541 in tfjs, 0.01% apart), but a healthy run's final loss depends on where
 * its own random initial weights led it: on the seed's random-data examples different
 * initialisations within one framework already spread by about 10-20% after 100 epochs.
 * So: 5% where the run is stalled (a floor), 35% where it is healthy (a trajectory).
 */
const LOSS_TOLERANCE = { stalled: 0.05, healthy: 0.35, diverging: Infinity, nan: Infinity } as const;

interface Fixture {
  file: string;
  /** Seeds to compare over; one unless the outcome is known to hinge on the initial weights. */
  seeds: number[];
  /** Overrides the file's epochs (for fixtures compared over several seeds, to keep the suite short). */
  epochs?: number;
  note?: string;
  /**
   * Over several seeds whose runs end finite: the largest relative gap allowed between the two
   * frameworks' median final losses (each fixture states the evidence for its value).
   */
  medianTolerance?: number;
  /**
   * Also train both frameworks from the reproduction's own initial weights (exported to Keras),
   * without shuffling, for this many epochs, and compare them epoch by epoch: the mapping itself
   * (layers, activations, loss, optimizer) checked free of random streams. Not for models that
   * draw random numbers in their forward pass (GaussianNoise, Dropout).
   */
  lockstepEpochs?: number;
  /** A known disagreement not yet explained: the case still runs and is reported, without failing the suite. */
  todo?: string;
}

/**
 * Lockstep runs start from the same weights and see the same batches, so they differ only by
 * float32 rounding in a different order of operations: at most 1.5e-6 relative on these fixtures
 * (5 to 10 epochs). Mapping mistakes move the sigmoid topology's losses far more within its 80
 * steps: Adam's beta_2 at 0.99 instead of 0.999 by 2.8e-4, a learning rate 10% off by 1e-2, an
 * epsilon of 1e-3 by 2e-2. 1e-4 sits between the two.
 */
const LOCKSTEP_TOLERANCE = 1e-4;

const seedRange = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const FIXTURES: Fixture[] = [
  { file: 'examples/seed1_unscaled.py', seeds: [0], lockstepEpochs: 5 },
  { file: 'examples/seed2_batchnorm.py', seeds: [0], lockstepEpochs: 5 },
  { file: 'examples/seed3_early_stopping.py', seeds: [0], lockstepEpochs: 5 },
  { file: 'examples/train_with_config.py', seeds: [0], lockstepEpochs: 5 },
  {
    // The file has no fit settings, so it trains for Keras's default single epoch: 8 Adam steps at
    // learning rate 0.001 move the loss by under 1%, and the final loss is where the 4 random kernel
    // weights put it. One seed against one seed is a draw from that spread (seed 0: Keras 0.093,
    // tfjs 0.111), so the frameworks are compared by their medians over 12 seeds. Evidence, from
    // the initial loss of 300 seeds in each framework on the same data: the distributions match
    // (Kolmogorov-Smirnov p = 0.72, medians 0.0945 and 0.0950); two single Keras seeds differ by
    // more than 5% in 66% of pairs and by more than seed 0's 15.5% in 21%; the medians of 12 Keras seeds
    // against 12 other Keras seeds differ by at most 9% in 95% and 12% in 99% of resamples.
    // Hence 15%. The lockstep run checks the mapping itself to 1e-3.
    file: 'examples/keras_topology_sigmoid.json',
    seeds: seedRange(12),
    note: 'one epoch of 8 Adam steps: the final loss is where the random initial weights put it',
    medianTolerance: 0.15,
    lockstepEpochs: 10,
  },
  { file: 'examples/vae_exp_overflow.py', seeds: [0] },
  {
    // tfjs-layers cannot train this BatchNormalization as it is: checked step for step with its
    // stand-in beta and gamma. After 20 epochs single seeds still spread by a factor of 3 in either
    // framework (Keras 0.034 to 0.098 over seeds 0-7), so outcomes are compared by their medians
    // (measured 6.1% apart); 25% leaves room for the median of 8 draws that vary threefold.
    file: 'test/fixtures/repro/bn_without_center_scale.py',
    seeds: seedRange(8),
    note: 'a residual block still learning after 20 epochs: the final loss depends on the random initial weights',
    medianTolerance: 0.25,
    lockstepEpochs: 5,
  },
  // Nadam has no TensorFlow.js counterpart: nanguard's own step, checked against Keras 3's step for step.
  { file: 'test/fixtures/repro/nadam_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  // The other optimizers are nanguard's own steps too (the flat optimizer), each checked against Keras 3's update rule.
  { file: 'test/fixtures/repro/adamw_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  { file: 'test/fixtures/repro/lion_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  { file: 'test/fixtures/repro/adamax_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  { file: 'test/fixtures/repro/adagrad_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  { file: 'test/fixtures/repro/adadelta_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  // Conv1DTranspose is nanguard's own layer (tfjs-layers has none): its kernel layout and output lengths against Keras's.
  { file: 'test/fixtures/repro/conv1d_transpose_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  // LayerNormalization is nanguard's own layer (tfjs's tiles gamma and beta, too slow past two dimensions), over one axis and over three.
  { file: 'test/fixtures/repro/conv_layernorm_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  // A recurrent layer's states given to another (return_state, initial_state), and Subtract (nanguard's own layer).
  // Its final loss spans two orders of magnitude over initial draws in either framework (Keras 1.5e-5 to 1.1e-3 over seeds 0-2),
  // so the seeds compare verdicts, and the lockstep run compares the graph: 40 epochs from the same weights.
  { file: 'test/fixtures/repro/seq2seq_states_autoencoder.py', seeds: [0, 1, 2], note: 'the final loss depends on the initial draw by orders of magnitude', lockstepEpochs: 40 },
  // ActivityRegularization: an identity whose L1 and L2 penalties of its output the engine adds to the loss.
  { file: 'test/fixtures/repro/activity_regularization_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  // A subclassed model read from its call method: the same graph as Keras runs.
  { file: 'test/fixtures/repro/subclassed_autoencoder.py', seeds: [0], lockstepEpochs: 10 },
  // A Lambda layer and a custom loss translated to tensor operations (keras_runner.py evaluates the same translation with keras.ops).
  { file: 'test/fixtures/repro/lambda_and_custom_loss.py', seeds: [0], lockstepEpochs: 10 },
  {
    // Every layer linear, so nothing can die: every seed should overflow in the first epoch. Compared
    // over 8 seeds to show that it does in both frameworks, not only for a lucky draw.
    file: 'examples/nan_sgd_linear.py',
    seeds: seedRange(8),
    epochs: 3,
    note: 'every layer linear: the first SGD steps overflow whatever the initial weights',
    lockstepEpochs: 3,
  },
];

interface Row {
  fixture: Fixture;
  seed: number;
  planned?: string;
  tfjs?: ReproSummary;
  keras?: KerasResult;
}

interface LockstepRow {
  fixture: Fixture;
  planned?: string;
  tfjs?: ReproSummary;
  keras?: KerasResult;
}

const env = kerasEnv();
const skip = 'python' in env ? false : env.reason;

async function plan(file: string, seed: number, epochs?: number): Promise<ReproPlan | string> {
  const host = createFileSystemHost({ cwd: repoRoot, workspaceRoot: repoRoot });
  const analysis = await analyzeFile(file, readFileSync(join(repoRoot, file), 'utf8'), host);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') return model;
  const planned = buildPlan(model, { seed, epochs, workspaceRoot: repoRoot });
  return 'refused' in planned ? planned.refused : planned.plan;
}

/**
 * The weights the reproduction starts from for this plan (its initializers are seeded from the plan),
 * per layer. Not `model.getWeights()`: tfjs lists every trainable weight before the first
 * non-trainable one (BatchNormalization's moving statistics), Keras goes layer by layer.
 */
async function initialWeights(planned: ReproPlan): Promise<Record<string, { shape: number[]; values: number[] }[]>> {
  ensureCpuBackend();
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
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

const finalFinite = (losses: number[]): number | null => {
  const last = losses.at(-1);
  return last !== undefined && Number.isFinite(last) ? last : null;
};
const tfjsLosses = (s: ReproSummary) => s.history.loss.map(fromWire);
const kerasLosses = (r: KerasResult) => r.history.loss.map(toNumber);

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Why a single-seed pair disagrees, or null when it agrees. */
function disagreement(tfjs: ReproSummary, keras: KerasResult): string | null {
  if (tfjs.verdict !== keras.verdict) return `verdict: tfjs ${tfjs.verdict}, Keras ${keras.verdict}`;
  const tfjsEpoch = tfjs.firstNonFinite?.epoch ?? null;
  const kerasEpoch = keras.firstNonFiniteEpoch;
  if ((tfjsEpoch === null) !== (kerasEpoch === null)) return `first non-finite epoch: tfjs ${tfjsEpoch}, Keras ${kerasEpoch}`;
  if (tfjsEpoch !== null && kerasEpoch !== null && Math.abs(tfjsEpoch - kerasEpoch) > 1) return `first non-finite epoch: tfjs ${tfjsEpoch}, Keras ${kerasEpoch}`;
  const a = finalFinite(tfjsLosses(tfjs));
  const b = finalFinite(kerasLosses(keras));
  const tolerance = LOSS_TOLERANCE[keras.verdict];
  if (a !== null && b !== null && relative(a, b) > tolerance) return `final loss: tfjs ${a.toPrecision(6)}, Keras ${b.toPrecision(6)} (${(relative(a, b) * 100).toFixed(1)}% apart, tolerance ${tolerance * 100}%)`;
  return null;
}

/** The largest relative gap between the epoch losses of a lockstep pair, over the epochs both finished finite. */
function lockstepGap(tfjs: ReproSummary, keras: KerasResult): number {
  const a = tfjsLosses(tfjs);
  const b = kerasLosses(keras);
  let gap = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) gap = Math.max(gap, relative(a[i], b[i]));
  return gap;
}

/** Why a lockstep pair disagrees, or null: the same first non-finite batch, the same epoch losses to LOCKSTEP_TOLERANCE. */
function lockstepDisagreement(tfjs: ReproSummary, keras: KerasResult): string | null {
  const t = tfjs.firstNonFinite ? `epoch ${tfjs.firstNonFinite.epoch}, batch ${tfjs.firstNonFinite.batch}` : 'never';
  const k = keras.firstNonFiniteEpoch === null ? 'never' : `epoch ${keras.firstNonFiniteEpoch}, batch ${keras.firstNonFiniteBatch}`;
  if (t !== k) return `first non-finite batch: tfjs ${t}, Keras ${k}`;
  const a = tfjsLosses(tfjs).filter(Number.isFinite).length;
  const b = kerasLosses(keras).filter(Number.isFinite).length;
  if (a !== b) return `finite epochs: tfjs ${a}, Keras ${b}`;
  const gap = lockstepGap(tfjs, keras);
  if (gap > LOCKSTEP_TOLERANCE) return `epoch losses up to ${gap.toExponential(2)} apart (tolerance ${LOCKSTEP_TOLERANCE})`;
  return null;
}

const share = (verdicts: string[], verdict: string) => verdicts.filter((v) => v === verdict).length / verdicts.length;
const VERDICTS = ['nan', 'diverging', 'stalled', 'healthy'] as const;

/** Why a several-seed fixture disagrees, or null: alike verdict shares, NaN as early, medians within the fixture's tolerance. */
function groupDisagreement(fixture: Fixture, group: Row[]): string | null {
  const kv = group.map((r) => r.keras!.verdict);
  const tv = group.map((r) => r.tfjs!.verdict);
  for (const v of VERDICTS) {
    const k = share(kv, v);
    const t = share(tv, v);
    if (Math.abs(k - t) > 0.375) return `${v} in ${(k * 100).toFixed(0)}% of Keras runs but ${(t * 100).toFixed(0)}% of tfjs runs`;
  }
  const kEpoch = median(group.map((r) => r.keras!.firstNonFiniteEpoch).filter((e): e is number => e !== null));
  const tEpoch = median(group.map((r) => r.tfjs!.firstNonFinite?.epoch).filter((e): e is number => e !== undefined));
  if (kEpoch !== null && tEpoch !== null && Math.abs(kEpoch - tEpoch) > 1) return `median first non-finite epoch: tfjs ${tEpoch}, Keras ${kEpoch}`;
  if (fixture.medianTolerance !== undefined) {
    const k = median(group.map((r) => finalFinite(kerasLosses(r.keras!))).filter((l): l is number => l !== null));
    const t = median(group.map((r) => finalFinite(tfjsLosses(r.tfjs!))).filter((l): l is number => l !== null));
    if (k === null || t === null) return 'no finite final loss to compare';
    if (relative(k, t) > fixture.medianTolerance) return `median final loss: tfjs ${t.toPrecision(6)}, Keras ${k.toPrecision(6)} (${(relative(k, t) * 100).toFixed(1)}% apart, tolerance ${fixture.medianTolerance * 100}%)`;
  }
  return null;
}

function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 1e4 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(4) : n.toPrecision(5);
}

function firstNaN(epoch: number | null | undefined, batch: number | null | undefined): string {
  return epoch === null || epoch === undefined ? 'never' : `epoch ${epoch}, batch ${batch}`;
}

function tfjsFirstNaN(s: ReproSummary): string {
  const p = s.firstNonFinite;
  return p ? `${firstNaN(p.epoch, p.batch)}${p.layer ? `, layer ${p.layer}` : ''}` : 'never';
}

function table(rows: Row[], lockstep: LockstepRow[], kerasWall: number | null): string {
  const lines = [
    '# Fidelity: TensorFlow.js reproduction against real Keras',
    '',
    'Each fixture planned once by nanguard, then trained from the same plan (model JSON, data, optimizer,',
    'fit settings, seed) by the reproduction and by Keras (test/fidelity/keras_runner.py). Epochs and batches',
    `are 0-based. Tolerance on final losses: ${LOSS_TOLERANCE.stalled * 100}% for stalled runs, ${LOSS_TOLERANCE.healthy * 100}% for healthy ones.`,
    'Fixtures compared over several seeds are judged as a group (verdict shares, median final loss); their',
    'single-seed rows are marked (seed-level) and show how far one draw of initial weights lands from another.',
    '',
    '| case | seed | Keras verdict | Keras final loss | Keras first NaN | tfjs verdict | tfjs final loss | tfjs first NaN | agree? |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const name = row.fixture.file;
    if (row.planned) {
      lines.push(`| ${name} | ${row.seed} | - | - | - | - | - | - | not planned: ${row.planned} |`);
      continue;
    }
    const k = row.keras;
    const t = row.tfjs!;
    if (!k || k.error) {
      const why = k?.error ? `Keras error: ${k.error.slice(0, 200)}` : 'Keras did not answer';
      lines.push(`| ${name} | ${row.seed} | - | - | - | ${t.verdict} | ${fmt(finalFinite(tfjsLosses(t)))} | ${tfjsFirstNaN(t)} | ${why} |`);
      continue;
    }
    const problem = disagreement(t, k);
    const agree = problem === null ? 'yes' : row.fixture.seeds.length > 1 ? `(seed-level) ${problem}` : `NO: ${problem}`;
    lines.push(
      `| ${name} | ${row.seed} | ${k.verdict ?? '-'} | ${fmt(finalFinite(kerasLosses(k)))} | ${firstNaN(k.firstNonFiniteEpoch, k.firstNonFiniteBatch)} | ` +
        `${t.verdict} | ${fmt(finalFinite(tfjsLosses(t)))} | ${tfjsFirstNaN(t)} | ${agree} |`,
    );
  }
  const multi = new Map<Fixture, Row[]>();
  for (const row of rows) if (row.fixture.seeds.length > 1 && !row.planned && row.keras && !row.keras.error) multi.set(row.fixture, [...(multi.get(row.fixture) ?? []), row]);
  for (const [fixture, group] of multi) {
    const shares = (pick: (r: Row) => string) =>
      VERDICTS.map((v) => [v, share(group.map(pick), v)] as const).filter(([, x]) => x > 0).map(([v, x]) => `${v} ${(x * 100).toFixed(0)}%`).join(', ');
    const kMedian = median(group.map((r) => finalFinite(kerasLosses(r.keras!))).filter((l): l is number => l !== null));
    const tMedian = median(group.map((r) => finalFinite(tfjsLosses(r.tfjs!))).filter((l): l is number => l !== null));
    const medians = kMedian !== null && tMedian !== null ? ` Median final loss: Keras ${fmt(kMedian)}, tfjs ${fmt(tMedian)} (${(relative(kMedian, tMedian) * 100).toFixed(1)}% apart${fixture.medianTolerance !== undefined ? `, tolerance ${fixture.medianTolerance * 100}%` : ''}).` : '';
    const problem = groupDisagreement(fixture, group);
    lines.push('', `${fixture.file} over ${group.length} seeds (${fixture.note}): Keras ${shares((r) => r.keras!.verdict)}; tfjs ${shares((r) => r.tfjs!.verdict)}.${medians} Agree: ${problem === null ? 'yes' : `NO: ${problem}`}.`);
  }
  if (lockstep.length > 0) {
    lines.push(
      '',
      '## Lockstep: the same initial weights, no shuffling',
      '',
      "Both frameworks start from the reproduction's own initial weights (exported to Keras) and see the batches in",
      `order, so only float32 rounding separates them. Tolerance on every epoch loss: ${LOCKSTEP_TOLERANCE} relative; the first`,
      'non-finite batch must be the same.',
      '',
      '| case | epochs | largest epoch-loss gap | Keras final loss | Keras first NaN | tfjs final loss | tfjs first NaN | agree? |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const row of lockstep) {
      const name = row.fixture.file;
      if (row.planned || !row.tfjs) {
        lines.push(`| ${name} | ${row.fixture.lockstepEpochs} | - | - | - | - | - | not planned: ${row.planned} |`);
        continue;
      }
      const k = row.keras;
      const t = row.tfjs;
      if (!k || k.error) {
        lines.push(`| ${name} | ${row.fixture.lockstepEpochs} | - | - | - | ${fmt(finalFinite(tfjsLosses(t)))} | ${tfjsFirstNaN(t)} | ${k?.error ? `Keras error: ${k.error.slice(0, 200)}` : 'Keras did not answer'} |`);
        continue;
      }
      const problem = lockstepDisagreement(t, k);
      lines.push(
        `| ${name} | ${row.fixture.lockstepEpochs} | ${lockstepGap(t, k).toExponential(1)} | ${fmt(finalFinite(kerasLosses(k)))} | ${firstNaN(k.firstNonFiniteEpoch, k.firstNonFiniteBatch)} | ` +
          `${fmt(finalFinite(tfjsLosses(t)))} | ${tfjsFirstNaN(t)} | ${problem === null ? 'yes' : `NO: ${problem}`} |`,
      );
    }
  }
  if (kerasWall !== null) lines.push('', `Keras: all cases trained in one Python process in ${kerasWall.toFixed(1)} s.`);
  return `${lines.join('\n')}\n`;
}

/** Only the fixtures named in NANGUARD_FIDELITY_ONLY (comma-separated substrings of their file names), for investigating one case. */
function selected(fixtures: Fixture[]): Fixture[] {
  const only = process.env.NANGUARD_FIDELITY_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  return only?.length ? fixtures.filter((f) => only.some((o) => f.file.includes(o))) : fixtures;
}

describe('fidelity: the TensorFlow.js reproduction tells the same story as Keras', { skip }, () => {
  const rows: Row[] = [];
  const lockstep: LockstepRow[] = [];
  let kerasWall: number | null = null;
  const fixtures = selected(FIXTURES);

  before(async () => {
    if (!('python' in env)) return;
    const cases: KerasFidelityCase[] = [];
    for (const fixture of fixtures) {
      for (const seed of fixture.seeds) {
        const planned = await plan(fixture.file, seed, fixture.epochs);
        if (typeof planned === 'string') {
          rows.push({ fixture, seed, planned });
          continue;
        }
        const tfjs = await startReproduction(planned, { backend: 'auto' }).done;
        rows.push({ fixture, seed, tfjs });
        cases.push(toFidelityCase(planned, `${fixture.file}#${seed}`));
      }
      if (fixture.lockstepEpochs !== undefined) {
        const planned = await plan(fixture.file, fixture.seeds[0], fixture.lockstepEpochs);
        if (typeof planned === 'string') {
          lockstep.push({ fixture, planned });
          continue;
        }
        const inOrder: ReproPlan = { ...planned, fit: { ...planned.fit, shuffle: false } };
        const tfjs = await startReproduction(inOrder, { backend: 'auto' }).done;
        lockstep.push({ fixture, tfjs });
        cases.push({ ...toFidelityCase(inOrder, `${fixture.file}#lockstep`), initialWeights: await initialWeights(inOrder) });
      }
    }
    // Under a loaded machine TensorFlow can be slow: the limit is generous and can be raised.
    const run = await runKeras(env.python, cases, Number(process.env.NANGUARD_KERAS_TIMEOUT_MS ?? 90 * 60_000));
    kerasWall = run.wallSeconds;
    const byName = new Map(run.results.map((r) => [r.name, r]));
    for (const row of rows) if (!row.planned) row.keras = byName.get(`${row.fixture.file}#${row.seed}`);
    for (const row of lockstep) if (!row.planned) row.keras = byName.get(`${row.fixture.file}#lockstep`);
  });

  after(() => {
    if (rows.length === 0) return;
    mkdirSync(join(repoRoot, 'test-output'), { recursive: true });
    writeFileSync(join(repoRoot, 'test-output', 'fidelity.md'), table(rows, lockstep, kerasWall));
  });

  for (const fixture of fixtures) {
    it(`${fixture.file}: same outcome in both frameworks`, { todo: fixture.todo }, () => {
      const group = rows.filter((r) => r.fixture === fixture);
      assert.ok(group.length > 0);
      const unplanned = group.find((r) => r.planned);
      assert.equal(unplanned, undefined, `nanguard could not plan it: ${unplanned?.planned}`);
      for (const row of group) assert.equal(row.keras?.error, undefined, `Keras could not train it: ${row.keras?.error}`);
      const problem = fixture.seeds.length === 1 ? disagreement(group[0].tfjs!, group[0].keras!) : groupDisagreement(fixture, group);
      assert.equal(problem, null, problem ?? '');
    });
    if (fixture.lockstepEpochs !== undefined) {
      it(`${fixture.file}: step for step from the same initial weights`, { todo: fixture.todo }, () => {
        const row = lockstep.find((r) => r.fixture === fixture);
        assert.ok(row && !row.planned, `nanguard could not plan it: ${row?.planned}`);
        assert.ok(row.keras, 'Keras did not answer');
        assert.equal(row.keras.error, undefined, `Keras could not train it: ${row.keras.error}`);
        const problem = lockstepDisagreement(row.tfjs!, row.keras);
        assert.equal(problem, null, problem ?? '');
      });
    }
  }
});
