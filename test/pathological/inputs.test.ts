// Pathological workspaces, through the real CLI and the real reproduction planner: each test
// asserts what the user sees, and records it with its time in test-output/pathological.md.
// Times are recorded, not asserted: each CLI run is under a hang guard (guard.ts), generous
// enough for a loaded 2-core machine, so a slow machine passes and a hang fails.
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync, symlinkSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateScript } from '../../bench/corpus';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile } from '../../src/core/index';
import { buildPlan } from '../../src/repro/plan';
import { runReproduceCommand } from '../../src/cli/reproduce';
import { loadWorkspaceData } from '../../src/repro/files';
import { makeWorkspace } from '../unit/cli-workspace';
import { runCliGuarded, TEST_TIMEOUT_MS, type GuardedRun } from './guard';
import { shown, Table } from './record';

const table = new Table('inputs');
const cleanups: (() => void)[] = [];
after(() => {
  table.save();
  for (const c of cleanups) c();
});

function workspace(files: Record<string, string | Uint8Array>): string {
  const ws = makeWorkspace(files);
  cleanups.push(ws.cleanup);
  return ws.root;
}

/** A worker that must never start: if it does, it leaves a marker file. */
function tripwireWorker(dir: string): { path: string; marker: string } {
  const marker = join(dir, 'worker-started.txt');
  const path = join(dir, 'tripwire-worker.js');
  writeFileSync(path, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'started');\nprocess.exit(1);\n`);
  return { path, marker };
}

/** `nanguard <argv>` under the hang guard; what the user sees and the time are recorded as `name`. */
async function guardedCli(name: string, argv: string[], root: string): Promise<GuardedRun> {
  const run = await runCliGuarded(argv, root);
  table.add(name, shown(run.stdout, run.stderr), run.ms);
  return run;
}

async function reproduce(root: string, file: string, workerPath: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runReproduceCommand({ file, workerPath, backend: 'cpu' }, { cwd: root, stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const MODEL_TAIL = `m = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(2, activation="sigmoid"), keras.layers.Dense(10)])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, epochs=10)
`;

describe('pathological inputs', () => {
  it('a 10 MB Python file: answered (analysed, or refused with a reason) before the hang guard, no crash', { timeout: TEST_TIMEOUT_MS }, async () => {
    let text = '';
    for (let seed = 1; text.length < 10 * 1024 * 1024; seed++) text += `${generateScript(seed, 200)}\n`;
    const root = workspace({ 'big.py': text });
    const r = await guardedCli('10 MB Python file (`nanguard check big.py`)', ['check', 'big.py'], root);
    assert.equal(r.stderr, '');
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}`);
    // The parser gives up after its own deadline, so on a loaded machine the file is refused with
    // that reason and on an idle one it is analysed; either is an answer, silence is not.
    assert.match(r.stdout, /\(1 file checked\)|in 1 file\./);
    const refused = /big\.py: warning: parsing took too long; the file was not analysed/.test(r.stdout);
    console.log(`10 MB Python file: ${refused ? 'refused at the parse deadline' : 'analysed'} in ${(r.ms / 1000).toFixed(1)} s`);
  });

  it('10,000 nested brackets', { timeout: TEST_TIMEOUT_MS }, async () => {
    const root = workspace({ 'nested.py': `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\ny = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\nz = {${'{'.repeat(10_000)}\n` });
    const r = await guardedCli('10,000 nested brackets (`[`, `(` and an unclosed `{`)', ['check', 'nested.py'], root);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /syntax error/);
  });

  it('a 100,000-element array literal feeding a model', { timeout: TEST_TIMEOUT_MS }, async () => {
    const numbers = Array.from({ length: 100_000 }, (_, i) => String((i % 977) * 3.5)).join(', ');
    const root = workspace({ 'literal.py': `import numpy as np\nfrom tensorflow import keras\nX = np.array([${numbers}]).reshape(-1, 10)\n${MODEL_TAIL}` });
    const r = await guardedCli('100,000-element array literal', ['check', 'literal.py'], root);
    assert.equal(r.stderr, '');
    // The values are read: the unscaled input (up to 3416.5) is found.
    assert.match(r.stdout, /NAN101 .*3416/);
  });

  it('a billion parameters and epochs=10**12: refused by the caps, never attempted', { timeout: TEST_TIMEOUT_MS }, async () => {
    const root = workspace({
      'huge.py': `import numpy as np\nfrom tensorflow import keras\nX = np.random.rand(100, 25000)\nm = keras.Sequential([keras.Input(shape=(25000,)), keras.layers.Dense(40000), keras.layers.Dense(25000)])\nm.compile(optimizer="adam", loss="mse")\nm.fit(X, X, epochs=10**12)\n`,
      'forever.py': `import numpy as np\nfrom tensorflow import keras\nX = np.random.rand(100, 10)\n${MODEL_TAIL.replace('epochs=10', 'epochs=10**12')}`,
    });
    const tripwire = tripwireWorker(root);

    const huge = (await analyzeFile('huge.py', '', createFileSystemHost({ cwd: root, workspaceRoot: root }))).models;
    assert.deepEqual(huge, []);
    const { readFileSync } = await import('node:fs');
    const hugeModel = (await analyzeFile('huge.py', readFileSync(join(root, 'huge.py'), 'utf8'), createFileSystemHost({ cwd: root, workspaceRoot: root }))).models[0];
    const plan = buildPlan(hugeModel, { workspaceRoot: root });
    assert.ok('refused' in plan);
    assert.match(plan.refused, /about 2,000,065,000 parameters, over the limit of 100,000,000 \(maxParameters\)/);

    const r1 = await table.time('2 billion parameters (`nanguard reproduce huge.py`)', async () => {
      const run = await reproduce(root, 'huge.py', tripwire.path);
      return { ...run, seen: run.err.trim() };
    });
    assert.equal(r1.code, 3);
    assert.match(r1.err, /not reproduced: .*parameters, over the limit/);

    const r2 = await table.time('`epochs=10**12` (`nanguard reproduce forever.py`)', async () => {
      const run = await reproduce(root, 'forever.py', tripwire.path);
      return { ...run, seen: run.err.trim() };
    });
    assert.equal(r2.code, 3);
    assert.match(r2.err, /not reproduced: 1000000000000 epochs is over the limit of 2000 \(maxEpochs\)/);
    assert.equal(existsSync(tripwire.marker), false, 'the worker was started');
  });

  it('a 1 GB CSV (sparse): sampled under the cap by check, refused by the reproduction, never read whole', { timeout: TEST_TIMEOUT_MS }, async () => {
    const root = workspace({
      'train.py': `import pandas as pd\nfrom tensorflow import keras\ndf = pd.read_csv("big.csv")\nX = df.values\n${MODEL_TAIL.replace('Input(shape=(10,))', 'Input(shape=(3,))').replace('Dense(10)', 'Dense(3)')}`,
    });
    const csv = join(root, 'big.csv');
    const fd = openSync(csv, 'w');
    const rows = ['a,b,c', ...Array.from({ length: 20_000 }, (_, i) => `${i % 7},${(i % 13) * 1000},${(i % 5) / 10}`)].join('\n') + '\n';
    writeSync(fd, rows);
    ftruncateSync(fd, 1024 ** 3); // the rest is a hole: no disk used
    closeSync(fd);

    const r = await guardedCli('1 GB CSV, sparse (`nanguard check train.py`)', ['check', 'train.py'], root);
    assert.equal(r.stderr, '');
    // A check of a small file peaks near 110 MB; reading the 1 GB file whole would peak above 1 GB.
    assert.ok(r.maxRssMb < 600, `the check peaked at ${r.maxRssMb.toFixed(0)} MB: the file was read whole`);

    const model = (await analyzeFile('train.py', (await import('node:fs')).readFileSync(join(root, 'train.py'), 'utf8'), createFileSystemHost({ cwd: root, workspaceRoot: root }))).models[0];
    const planned = await table.time('1 GB CSV, sparse (reproduction plan)', async () => {
      const p = buildPlan(model, { workspaceRoot: root });
      return { p, seen: 'plan' in p ? p.plan.notes.map((n) => n.text).join(' ') : p.refused };
    });
    assert.ok('plan' in planned.p, 'a plan with stand-in data');
    assert.match(planned.seen, /big\.csv is larger than 256 MB.*stand-in/);
  });

  it('JSON nested far too deep: a config 10,000 levels deep, a Keras topology with a value 400 deep, a script reading a config 2,000 deep', { timeout: TEST_TIMEOUT_MS }, async () => {
    const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const topology = (await import('node:fs')).readFileSync(join(__dirname, '..', 'fixtures', 'json', 'keras3', 'functional.json'), 'utf8').replace('"units": 10', `"giant": ${nested(400)}, "units": 10`);
    const root = workspace({
      'deep_config.json': `{"learning_rate": 0.5, "epochs": 10, "giant": ${nested(10_000)}}`,
      'model.json': topology,
      'train.py': `import json\nfrom tensorflow import keras\ncfg = json.load(open("hparams.json"))\nm = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4, kernel_initializer=cfg["init"])])\nm.compile(optimizer=keras.optimizers.Adam(learning_rate=cfg["learning_rate"]), loss="mse")\n`,
      'hparams.json': `{"learning_rate": 0.5, "init": ${nested(2_000)}}`,
    });
    const text = await guardedCli('JSON nested too deep: a config 10,000 levels deep, a Keras topology with a value 400 deep, a script reading a config 2,000 deep (`nanguard check .`)', ['check', '.'], root);
    assert.equal(text.stderr, '');
    assert.match(text.stdout, /deep_config\.json: warning: JSON nested 10001 levels deep \(more than 512\); not analysed/);
    assert.match(text.stdout, /NAN301/, 'the high learning rate of hparams.json is found');
    const json = await runCliGuarded(['check', '.', '--format', 'json'], root);
    assert.equal(json.stderr, '');
    const report = JSON.parse(json.stdout) as { files: { path: string }[] };
    assert.ok(report.files.some((f) => f.path === 'model.json'), 'the Keras topology is reported');
  });

  it('a binary file named .py', { timeout: TEST_TIMEOUT_MS }, async () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    bytes.set([0x55, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0], 0); // a .pyc header
    const root = workspace({ 'model.py': bytes });
    const r = await guardedCli('binary file named `model.py`', ['check', 'model.py'], root);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /model\.py: note: binary content, not analysed/);
  });

  it('a symlink out of the workspace and a data path with `..`: refused by the CLI host and the reproduction', { timeout: TEST_TIMEOUT_MS }, async () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'nanguard-outside-')));
    cleanups.push(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'secret.csv'), 'a,b\n1000000,2\n3000000,4\n');
    writeFileSync(join(outside, 'config.json'), '{"learning_rate": 0.9}');
    writeFileSync(join(outside, 'leak.py'), 'import os\n');
    const root = join(outside, 'ws');
    mkdirSync(root);
    symlinkSync(join(outside, 'secret.csv'), join(root, 'link.csv'));
    symlinkSync(join(outside, 'config.json'), join(root, 'config.json'));
    symlinkSync(join(outside, 'leak.py'), join(root, 'leak.py'));
    writeFileSync(
      join(root, 'train.py'),
      `import json\nimport pandas as pd\nimport numpy as np\nfrom tensorflow import keras\ncfg = json.load(open("config.json"))\nX = pd.read_csv("link.csv").values\nY = np.loadtxt("../secret.csv", delimiter=",", skiprows=1)\nm = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2)])\nm.compile(optimizer=keras.optimizers.Adam(learning_rate=cfg["learning_rate"]), loss="mse")\nm.fit(X, X, epochs=5, validation_data=(Y, Y))\n`,
    );

    const host = createFileSystemHost({ cwd: root, workspaceRoot: root });
    assert.equal(await host.readText('config.json', 'train.py'), undefined);
    assert.equal(await host.readText('../secret.csv', 'train.py'), undefined);
    assert.equal(await host.readBytes!('link.csv', 'train.py', { offset: 0, length: 100 }), undefined);
    assert.equal(await host.readBytes!('../secret.csv', 'train.py', { offset: 0, length: 100 }), undefined);

    const r = await guardedCli('symlinks out of the workspace (data, config, a .py) and `../secret.csv` (`nanguard check .`)', ['check', '.'], root);
    assert.equal(r.stderr, '');
    // Nothing from outside reached a finding: not the learning rate 0.9, not the values in the millions.
    assert.doesNotMatch(r.stdout, /0\.9|1000000|3000000|leak\.py/);
    assert.match(r.stdout, /\(1 file checked\)/);

    const viaLink = loadWorkspaceData(root, 'train.py', 'link.csv');
    const viaDots = loadWorkspaceData(root, 'train.py', '../secret.csv');
    const seen = await table.time('symlink and `..` data paths (reproduction file loading)', async () => ({ seen: [viaLink, viaDots].map((x) => ('problem' in x ? x.problem : 'READ')).join('\n') }));
    assert.deepEqual([viaLink, viaDots], [{ problem: 'link.csv is not a file inside the workspace, so it was not read' }, { problem: '../secret.csv is not a file inside the workspace, so it was not read' }]);
    assert.match(seen.seen, /not read/);
  });
});
