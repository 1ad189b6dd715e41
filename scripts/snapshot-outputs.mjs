// Records what nanguard prints, to show that a change of structure leaves behaviour alone:
// `nanguard check --format json` over the examples, the corpus and the fixtures, and
// `nanguard reproduce --format json --backend cpu` on a handful of files (timings dropped,
// since they differ from run to run). Runs the command from the sources (through tsx), so no
// build is needed.
//
//   node scripts/snapshot-outputs.mjs OUT.json      record
//   diff BEFORE.json AFTER.json                    compare two recordings
//
// Each file is reproduced from its own folder, as a user would run it, so that the data files
// beside it are found.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'src', 'cli', 'main.ts');
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

const CHECKED = ['examples', 'test/corpus', 'test/fixtures'];

/** [file, extra arguments]: examples, a JSON topology, a notebook, a config, and data files (.csv, .npy). */
const REPRODUCED = [
  ['examples/seed1_unscaled.py', []],
  ['examples/nan_sgd_linear.py', []],
  ['examples/seed2_batchnorm.py', []],
  ['examples/vae_exp_overflow.py', ['--epochs', '3']],
  ['examples/keras_topology_sigmoid.json', []],
  ['examples/train_with_config.py', []],
  ['examples/split_model.ipynb', []],
  ['test/fixtures/python/train_from_config.py', []],
  ['test/fixtures/data-rules/NAN104_quiet.py', []],
  ['test/fixtures/data-rules/NAN104_fire.py', []],
  ['test/fixtures/data-rules/NAN106_quiet_positive.py', []],
  ['test/fixtures/data-rules/NAN105_fire.py', []],
  ['test/corpus/failing/f03_zscore_constant_column.py', []],
  ['test/corpus/healthy/h21_csv_fillna_scaled.py', []],
];

/** A workspace of its own: the data files the reproduction reads (a CSV with missing cells, a float32 .npy). */
const DATA_WORKSPACE = join(root, 'scripts', 'snapshot-data');

function nanguard(args, cwd) {
  const run = spawnSync(process.execPath, ['--import', tsx, cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function withoutTimings(value) {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'timings') out[k] = withoutTimings(v);
    return out;
  }
  return value;
}

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node scripts/snapshot-outputs.mjs OUT.json\n');
  process.exit(2);
}

const snapshot = { check: {}, reproduce: {} };
for (const folder of CHECKED) {
  const { code, stdout, stderr } = nanguard(['check', '--format', 'json', folder], root);
  snapshot.check[folder] = { code, output: stdout ? JSON.parse(stdout) : null, stderr };
}
for (const [file, extra] of REPRODUCED) {
  const { code, stdout, stderr } = nanguard(['reproduce', basename(file), '--format', 'json', '--backend', 'cpu', ...extra], join(root, dirname(file)));
  let output = null;
  try {
    output = withoutTimings(JSON.parse(stdout));
  } catch {
    output = stdout;
  }
  snapshot.reproduce[file] = { code, output, stderr };
  process.stderr.write(`${file}: exit ${code}${output && output.verdict ? `, ${output.verdict}` : ''}\n`);
}
// Copied out of the checkout, so that it is a workspace root of its own.
const workspace = mkdtempSync(join(tmpdir(), 'nanguard-snapshot-'));
try {
  for (const f of readdirSync(DATA_WORKSPACE)) copyFileSync(join(DATA_WORKSPACE, f), join(workspace, f));
  for (const f of readdirSync(workspace).filter((f) => f.endsWith('.py')).sort()) {
    const { code, stdout, stderr } = nanguard(['reproduce', f, '--format', 'json', '--backend', 'cpu'], workspace);
    let output = null;
    try {
      output = withoutTimings(JSON.parse(stdout));
    } catch {
      output = stdout;
    }
    snapshot.reproduce[`snapshot-data/${f}`] = { code, output, stderr };
    process.stderr.write(`snapshot-data/${f}: exit ${code}${output && output.verdict ? `, ${output.verdict}` : ''}\n`);
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
writeFileSync(out, `${JSON.stringify(snapshot, null, 1)}\n`);
