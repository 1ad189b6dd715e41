import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../src/core/rules/index';
import { findingLines, makeWorkspace, runCli, SEED_EXAMPLE_1, SEED_EXAMPLE_3 } from './cli-workspace';
import { sarifValidator } from './output-sarif-schema';

describe('nanguard check', () => {
  let ws: ReturnType<typeof makeWorkspace>;
  before(() => {
    ws = makeWorkspace({
      'seed1.py': SEED_EXAMPLE_1,
      'healthy.py': SEED_EXAMPLE_3,
      'bad/binary.py': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x00, 0xff, 0xfe]),
      'bad/empty.py': '',
      'bad/invalid.json': '{ "learning_rate": 0.5, ',
      'bad/notes.txt': 'not analysed',
      'tree/models/ae.py': SEED_EXAMPLE_1,
      'tree/node_modules/pkg/x.py': SEED_EXAMPLE_1,
      'tree/.hidden/x.py': SEED_EXAMPLE_1,
      'tree/myenv/pyvenv.cfg': 'home = /usr/bin\n',
      'tree/myenv/lib/x.py': SEED_EXAMPLE_1,
      'tree/__pycache__/x.py': SEED_EXAMPLE_1,
    });
  });
  after(() => ws.cleanup());

  it('prints Ruff-like finding lines and a summary, and exits 1 on an error finding', async () => {
    const r = await runCli(['check', 'seed1.py'], ws.root);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = findingLines(r.stdout);
    assert.ok(lines.length > 0, r.stdout);
    for (const m of lines) assert.equal(m.groups?.path, 'seed1.py');
    assert.ok(lines.some((m) => m.groups?.severity === 'error'));
    // The seed's Example 1: unscaled input points at the data (line 6, 1-based), not at line 0.
    const unscaled = lines.find((m) => m.groups?.rule === 'NAN101');
    assert.ok(unscaled, r.stdout);
    assert.ok(Number(unscaled.groups?.line) >= 1);
    const summary = r.stdout.trimEnd().split('\n').at(-1) ?? '';
    assert.match(summary, /^Found \d+ findings? \((\d+ errors?)(, \d+ warnings?)?(, \d+ info)?\) in 1 file\.$/);
    assert.equal(Number(summary.match(/^Found (\d+)/)?.[1]), lines.length);
    assert.ok(!r.stdout.includes('\u001b['), 'no colours when not a terminal');
  });

  it('exits 0 on a healthy autoencoder', async () => {
    const r = await runCli(['check', 'healthy.py'], ws.root);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!findingLines(r.stdout).some((m) => m.groups?.severity === 'error'));
  });

  it('JSON follows the contract and agrees with the text form', async () => {
    const text = await runCli(['check', 'seed1.py'], ws.root);
    const r = await runCli(['check', 'seed1.py', '--format', 'json'], ws.root);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['version', 'files']);
    assert.equal(json.version, 1);
    assert.deepEqual(json.files.map((f: { path: string }) => f.path), ['seed1.py']);
    const findings = json.files[0].findings;
    const allowed = ['rule', 'cause', 'severity', 'range', 'message', 'related', 'model', 'cell'];
    for (const f of findings) {
      assert.deepEqual(Object.keys(f).slice(0, 6), ['rule', 'cause', 'severity', 'range', 'message', 'related']);
      for (const k of Object.keys(f)) assert.ok(allowed.includes(k), `unexpected key ${k}`);
      assert.match(f.rule, /^NAN\d{3}$/);
      assert.ok(['error', 'warning', 'info'].includes(f.severity));
      for (const p of [f.range.start, f.range.end]) {
        assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0);
      }
      for (const rel of f.related) assert.deepEqual(Object.keys(rel).filter((k) => k !== 'cell'), ['path', 'range']);
    }
    // Same findings as the text form: 0-based in JSON, 1-based in text.
    assert.deepEqual(
      findings.map((f: { rule: string; range: { start: { line: number; character: number } } }) => `${f.rule}@${f.range.start.line + 1}:${f.range.start.character + 1}`),
      findingLines(text.stdout).map((m) => `${m.groups?.rule}@${m.groups?.line}:${m.groups?.col}`),
    );
  });

  it('SARIF is valid 2.1.0 and carries the same results', async () => {
    const r = await runCli(['check', 'seed1.py', 'healthy.py', 'bad', '--format', 'sarif'], ws.root);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout) as { runs: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'nanguard');
    assert.deepEqual(run.tool.driver.rules.map((x: { id: string }) => x.id), ALL_RULES.map((x) => x.id));
    const json = JSON.parse((await runCli(['check', 'seed1.py', 'healthy.py', 'bad', '--format', 'json'], ws.root)).stdout);
    const total = json.files.reduce((n: number, f: { findings: unknown[] }) => n + f.findings.length, 0);
    assert.equal(run.results.length, total);
    assert.ok(run.results.every((x: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => x.locations[0].physicalLocation.region.startLine >= 1));
  });

  it('a binary file, an empty file and invalid JSON give notes, not a crash', async () => {
    const r = await runCli(['check', 'bad'], ws.root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^bad\/binary\.py: note: binary content, not analysed$/m);
    assert.match(r.stdout, /^bad\/invalid\.json(:\d+:\d+)?: (note|warning|error): .+$/m);
    const json = JSON.parse((await runCli(['check', 'bad', '--format', 'json'], ws.root)).stdout);
    const byPath = Object.fromEntries(json.files.map((f: { path: string }) => [f.path, f]));
    assert.deepEqual(Object.keys(byPath).sort(), ['bad/binary.py', 'bad/empty.py', 'bad/invalid.json']);
    assert.equal(byPath['bad/binary.py'].problems[0].message, 'binary content, not analysed');
    assert.ok(byPath['bad/invalid.json'].problems.length > 0);
    assert.deepEqual(byPath['bad/empty.py'].findings, []);
  });

  it('walks folders for .py, .ipynb and .json, skipping node_modules, hidden folders, caches and virtual environments', async () => {
    const r = await runCli(['check', 'tree', '--format', 'json'], ws.root);
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['tree/models/ae.py']);
  });

  it('names a file given explicitly even when its kind is not analysed', async () => {
    const r = await runCli(['check', 'bad/notes.txt'], ws.root);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^bad\/notes\.txt: note: not a Python, notebook or JSON file; not analysed$/m);
  });

  it('prints paths relative to the current folder with forward slashes', async () => {
    const sub = join(ws.root, 'sub');
    mkdirSync(sub, { recursive: true });
    const r = await runCli(['check', '../seed1.py', '--format', 'json'], sub);
    assert.equal(JSON.parse(r.stdout).files[0].path, '../seed1.py');
    const t = await runCli(['check', '../tree'], sub);
    assert.ok(findingLines(t.stdout).every((m) => m.groups?.path === '../tree/models/ae.py'));
  });

  it('--select and --ignore take ids, prefixes and names', async () => {
    const rules = (args: string[]) =>
      runCli(['check', 'seed1.py', '--format', 'json', ...args], ws.root).then((r) => JSON.parse(r.stdout).files[0].findings.map((f: { rule: string }) => f.rule) as string[]);
    const all = await rules([]);
    assert.ok(all.includes('NAN101') && new Set(all).size > 1, `want several rules: ${all}`);
    assert.deepEqual([...new Set(await rules(['--select', 'NAN101']))], ['NAN101']);
    assert.deepEqual([...new Set(await rules(['--select', 'unscaled-input']))], ['NAN101']);
    assert.deepEqual(await rules(['--ignore', 'NAN101']), all.filter((r) => r !== 'NAN101'));
    assert.deepEqual(await rules(['--ignore', 'unscaled-input,NAN2']), all.filter((r) => r !== 'NAN101' && !r.startsWith('NAN2')));
    assert.deepEqual(await rules(['--select', 'NAN1', '--ignore', 'NAN101']), all.filter((r) => r.startsWith('NAN1') && r !== 'NAN101'));
    const typo = await runCli(['check', 'seed1.py', '--select', 'NAN999'], ws.root);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown rule or prefix 'NAN999'/);
  });

  it('--severity and --fail-level decide the exit code', async () => {
    // NAN201 (output-range-mismatch) is an error on the seed's Example 1.
    const onlyRange = ['check', 'seed1.py', '--select', 'NAN201'];
    const base = await runCli(onlyRange, ws.root);
    assert.equal(base.code, 1);
    assert.ok(findingLines(base.stdout).some((m) => m.groups?.severity === 'error'));
    const lowered = await runCli([...onlyRange, '--severity', 'NAN201=warning'], ws.root);
    assert.equal(lowered.code, 0);
    assert.ok(findingLines(lowered.stdout).length > 0 && findingLines(lowered.stdout).every((m) => m.groups?.severity === 'warning'));
    assert.equal((await runCli([...onlyRange, '--severity', 'NAN201=warning', '--fail-level', 'warning'], ws.root)).code, 1);
    assert.equal((await runCli([...onlyRange, '--severity', 'output-range-mismatch=info', '--fail-level', 'warning'], ws.root)).code, 0);
    assert.equal((await runCli([...onlyRange, '--severity', 'NAN201=info', '--fail-level', 'info'], ws.root)).code, 1);
    assert.equal((await runCli([...onlyRange, '--severity', 'NAN201=off'], ws.root)).stdout.trim(), 'No findings (1 file checked).');
    assert.equal((await runCli([...onlyRange, '--severity', 'NAN201=loud'], ws.root)).code, 2);
  });

  it('reads settings from --config, with command-line flags on top', async () => {
    const cfg = makeWorkspace({ 'nanguard.json': JSON.stringify({ select: ['NAN101'], severity: { 'unscaled-input': 'info' } }), 'bad.json': '{"selectt": []}' });
    try {
      const r = await runCli(['check', 'seed1.py', '--config', join(cfg.root, 'nanguard.json'), '--format', 'json'], ws.root);
      assert.equal(r.code, 0, r.stderr);
      const findings = JSON.parse(r.stdout).files[0].findings;
      assert.ok(findings.length > 0 && findings.every((f: { rule: string; severity: string }) => f.rule === 'NAN101' && f.severity === 'info'));
      const bad = await runCli(['check', 'seed1.py', '--config', join(cfg.root, 'bad.json')], ws.root);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /unknown key "selectt"/);
    } finally {
      cfg.cleanup();
    }
  });

  it('colours only on a terminal, and never with --no-color or NO_COLOR', async () => {
    assert.ok((await runCli(['check', 'seed1.py'], ws.root, { isTTY: true })).stdout.includes('\u001b['));
    assert.ok(!(await runCli(['check', 'seed1.py', '--no-color'], ws.root, { isTTY: true })).stdout.includes('\u001b['));
    assert.ok(!(await runCli(['check', 'seed1.py'], ws.root, { isTTY: true, env: { NO_COLOR: '1' } })).stdout.includes('\u001b['));
  });

  it('usage errors exit 2 with a message', async () => {
    for (const argv of [['check'], ['check', 'missing.py'], ['check', 'seed1.py', '--format', 'xml'], ['check', 'seed1.py', '--bogus'], ['check', 'seed1.py', '--fail-level', 'fatal'], ['frobnicate'], []]) {
      const r = await runCli(argv, ws.root);
      assert.equal(r.code, 2, argv.join(' '));
      assert.ok(r.stderr.length > 0, argv.join(' '));
    }
  });

  it('reports a finding in a config JSON once, whether found through the script, the JSON or both', async () => {
    const train = `import json
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

cfg = json.load(open("config.json"))
X_train = np.random.rand(1000, 20)
inputs = keras.Input(shape=(20,))
encoded = layers.Dense(4, activation="relu")(inputs)
decoded = layers.Dense(20, activation="linear")(encoded)
autoencoder = keras.Model(inputs, decoded)
autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=cfg["learning_rate"]), loss="mse")
autoencoder.fit(X_train, X_train, epochs=10, batch_size=32, validation_split=0.2)
`;
    const cfg = makeWorkspace({ 'proj/train.py': train, 'proj/config.json': '{\n  "optimizer": "adam",\n  "learning_rate": 0.5\n}\n', 'elsewhere/train.py': train.replace('"config.json"', '"../proj/config.json"') });
    try {
      const proj = join(cfg.root, 'proj');
      const json = async (args: string[], cwd = proj) => JSON.parse((await runCli(['check', ...args, '--format', 'json', '--select', 'NAN301'], cwd)).stdout);
      const viaScript = await json(['train.py']);
      const configEntry = viaScript.files.find((f: { path: string }) => f.path === 'config.json');
      assert.ok(configEntry && configEntry.findings.length === 1, JSON.stringify(viaScript));
      assert.equal(configEntry.findings[0].range.start.line, 2);
      const both = await json(['train.py', 'config.json']);
      assert.deepEqual(both.files.find((f: { path: string }) => f.path === 'config.json').findings, configEntry.findings);
      // From a folder of its own, the script may not read the config beside the other project.
      const outside = await json(['train.py'], join(cfg.root, 'elsewhere'));
      assert.deepEqual(outside.files.map((f: { path: string }) => f.path), ['train.py']);
      assert.deepEqual(outside.files[0].findings, []);
    } finally {
      cfg.cleanup();
    }
  });

  it('points notebook findings at their cells', async () => {
    const [imports, data, model] = [SEED_EXAMPLE_1.split('\n').slice(0, 3), SEED_EXAMPLE_1.split('\n').slice(4, 10), SEED_EXAMPLE_1.split('\n').slice(11)];
    const cell = (type: string, lines: string[]) => ({ cell_type: type, metadata: {}, source: lines.map((l, i) => (i < lines.length - 1 ? l + '\n' : l)), ...(type === 'code' ? { outputs: [], execution_count: null } : {}) });
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell('markdown', ['# Seed example 1']), cell('code', imports), cell('code', data), cell('code', model)] };
    const w = makeWorkspace({ 'nb.ipynb': JSON.stringify(nb, null, 1), 'empty.ipynb': JSON.stringify({ ...nb, cells: [cell('markdown', ['nothing'])] }) });
    try {
      const text = await runCli(['check', 'nb.ipynb'], w.root);
      assert.equal(text.code, 1);
      const lines = findingLines(text.stdout);
      assert.ok(lines.length > 0 && lines.every((m) => m.groups?.cell !== undefined), text.stdout);
      // NAN201 sits on the decoder line: the third line of the last cell (cell 4 counted from 1, markdown included).
      const range = lines.find((m) => m.groups?.rule === 'NAN201');
      assert.deepEqual([range?.groups?.cell, range?.groups?.line], ['4', '3']);
      const json = JSON.parse((await runCli(['check', 'nb.ipynb', '--format', 'json'], w.root)).stdout);
      const f201 = json.files[0].findings.find((f: { rule: string }) => f.rule === 'NAN201');
      assert.equal(f201.cell, 3);
      assert.equal(f201.range.start.line, 2);
      const empty = await runCli(['check', 'empty.ipynb'], w.root);
      assert.equal(empty.code, 0);
      assert.equal(findingLines(empty.stdout).length, 0);
    } finally {
      w.cleanup();
    }
  });

  it('--output writes the report to a file', async () => {
    const r = await runCli(['check', 'seed1.py', '--format', 'sarif', '--output', 'out.sarif'], ws.root);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const { readFileSync } = await import('node:fs');
    assert.equal(JSON.parse(readFileSync(join(ws.root, 'out.sarif'), 'utf8')).version, '2.1.0');
  });
});
