// The CLI as a real process: exit codes and output streams of `src/cli/main.ts` (what dist/cli.js bundles).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeWorkspace, SEED_EXAMPLE_1, SEED_EXAMPLE_3 } from './cli-workspace';

const main = join(__dirname, '../../src/cli/main.ts');
// By URL: `--import tsx` would be resolved from the (temporary) working folder.
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

function nanguard(args: string[], cwd: string) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, ['--import', tsxLoader, main, ...args], { cwd, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('nanguard as a process', () => {
  let ws: ReturnType<typeof makeWorkspace>;
  before(() => {
    ws = makeWorkspace({ 'seed1.py': SEED_EXAMPLE_1, 'healthy.py': SEED_EXAMPLE_3, 'binary.py': new Uint8Array([0, 1, 2, 3, 0]) });
  });
  after(() => ws.cleanup());

  it('exits 1 with findings at the fail level, 0 without, 2 on a usage error', () => {
    const bad = nanguard(['check', 'seed1.py'], ws.root);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stdout, /^seed1\.py:\d+:\d+: NAN\d{3} \[error\] /m);
    assert.ok(!bad.stdout.includes('\u001b['), 'no colours into a pipe');
    const good = nanguard(['check', 'healthy.py', 'binary.py'], ws.root);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /^binary\.py: note: binary content, not analysed$/m);
    const usage = nanguard(['check', '--format', 'yaml', 'seed1.py'], ws.root);
    assert.equal(usage.code, 2);
    assert.equal(usage.stdout, '');
    assert.match(usage.stderr, /--format must be one of text, json, sarif/);
  });

  it('writes JSON to standard output, complete even when large', () => {
    const r = nanguard(['check', '.', '--format', 'json'], ws.root);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['binary.py', 'healthy.py', 'seed1.py']);
  });
});
