import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReproduceArgs } from '../../src/cli/reproduce';
import { ALL_RULES } from '../../src/core/rules/index';
import { makeWorkspace, runCli, SEED_EXAMPLE_1 } from './cli-workspace';

const version = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version;

describe('nanguard rules / rule / help / version', () => {
  it('lists every rule with id, name, severity and title', async () => {
    const r = await runCli(['rules'], process.cwd());
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^ID\s+NAME\s+SEVERITY\s+TITLE$/);
    assert.equal(lines.length, ALL_RULES.length + 1);
    for (const [i, rule] of ALL_RULES.entries()) {
      assert.match(lines[i + 1], new RegExp(`^${rule.id}\\s+${rule.name}\\s+${rule.defaultSeverity}\\s+`));
    }
  });

  it('lists rules as JSON', async () => {
    const json = JSON.parse((await runCli(['rules', '--format', 'json'], process.cwd())).stdout);
    assert.equal(json.version, 1);
    assert.deepEqual(
      json.rules.map((r: { id: string; cause: string; severity: string }) => [r.id, r.cause, r.severity]),
      ALL_RULES.map((r) => [r.id, r.cause, r.defaultSeverity]),
    );
  });

  it("prints one rule's documentation by id or name", async () => {
    assert.ok(ALL_RULES.length > 0);
    const rule = ALL_RULES[0];
    for (const query of [rule.id, rule.id.toLowerCase(), rule.name]) {
      const r = await runCli(['rule', query], process.cwd());
      assert.equal(r.code, 0);
      assert.ok(r.stdout.startsWith(`# ${rule.id} (${rule.name})\n`));
      for (const heading of ['## What it does', '## Why it leads to NaN', '## Example', '## Fix']) assert.ok(r.stdout.includes(heading), heading);
      assert.ok(r.stdout.includes(rule.docs.whyItFails.trim().slice(0, 40)));
    }
    const json = JSON.parse((await runCli(['rule', rule.id, '--format', 'json'], process.cwd())).stdout);
    assert.equal(json.rule.docs.whatItDoes, rule.docs.whatItDoes);
    const unknown = await runCli(['rule', 'NAN999'], process.cwd());
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown rule 'NAN999'/);
  });

  it('prints the version and help', async () => {
    assert.equal((await runCli(['--version'], process.cwd())).stdout, `nanguard ${version}\n`);
    const help = await runCli(['--help'], process.cwd());
    assert.equal(help.code, 0);
    for (const cmd of ['check', 'rules', 'rule', 'reproduce']) assert.match(help.stdout, new RegExp(`nanguard ${cmd} `));
    const checkHelp = await runCli(['check', '--help'], process.cwd());
    assert.match(checkHelp.stdout, /--fail-level/);
    assert.equal((await runCli(['help', 'reproduce'], process.cwd())).stdout, (await runCli(['reproduce', '--help'], process.cwd())).stdout);
  });
});

describe('nanguard reproduce arguments', () => {
  let ws: ReturnType<typeof makeWorkspace>;
  before(() => {
    ws = makeWorkspace({ 'seed1.py': SEED_EXAMPLE_1 });
  });
  after(() => ws.cleanup());

  it('parses every option', () => {
    assert.deepEqual(parseReproduceArgs(['seed1.py', '--model', 'autoencoder', '--epochs', '20', '--seed', '7', '--backend', 'wasm', '--format', 'json', '--max-parameters', '30000000'], ws.root), {
      file: 'seed1.py',
      model: 'autoencoder',
      epochs: 20,
      maxEpochs: undefined,
      seed: 7,
      backend: 'wasm',
      format: 'json',
      engine: 'tfjs',
      python: undefined,
      maxSeconds: undefined,
      maxParameters: 30000000,
      maxSteps: undefined,
    });
    assert.deepEqual(parseReproduceArgs(['seed1.py'], ws.root), {
      file: 'seed1.py',
      model: undefined,
      epochs: undefined,
      maxEpochs: undefined,
      seed: undefined,
      backend: 'auto',
      format: 'text',
      engine: 'tfjs',
      python: undefined,
      maxSeconds: undefined,
      maxParameters: undefined,
      maxSteps: undefined,
    });
    assert.deepEqual(parseReproduceArgs(['seed1.py', '--engine', 'keras', '--python', 'venv/bin/python', '--max-seconds', '60', '--max-steps', '50'], ws.root), {
      file: 'seed1.py',
      model: undefined,
      epochs: undefined,
      maxEpochs: undefined,
      seed: undefined,
      backend: 'auto',
      format: 'text',
      engine: 'keras',
      python: 'venv/bin/python',
      maxSeconds: 60,
      maxParameters: undefined,
      maxSteps: 50,
    });
  });

  it('rejects bad arguments with exit code 2', async () => {
    for (const argv of [[], ['missing.py'], ['seed1.py', '--backend', 'gpu'], ['seed1.py', '--epochs', '0'], ['seed1.py', '--epochs', 'ten'], ['seed1.py', '--seed', '-1'], ['seed1.py', '--format', 'sarif'], ['seed1.py', 'other.py'], ['seed1.py', '--engine', 'torch'], ['seed1.py', '--python', 'python3'], ['seed1.py', '--engine', 'keras', '--model', 'ae'], ['seed1.py', '--max-steps', '5'], ['seed1.py', '--engine', 'keras', '--max-parameters', '100'], ['seed1.py', '--max-parameters', '0'], ['seed1.py', '--epochs', '3', '--max-epochs', '5'], ['seed1.py', '--engine', 'keras', '--max-epochs', '5']]) {
      const r = await runCli(['reproduce', ...argv], ws.root);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^nanguard: /, argv.join(' '));
    }
  });
});
