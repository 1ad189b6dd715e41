// The whole test suite, as `npm test` runs it:
//   1. type-check, lint, and the generated docs are current;
//   2. unit tests (core, CLI, reproduction on small models) in plain Node;
//   3. the heavier suites one at a time: fidelity against real Keras, the webview in
//      headless Chromium, the extension in a real VS Code workbench.
// Prints one closing line, `nanguard: N passed, N failed, N skipped`, summed over all runs.
// `npm test -- --quick` runs steps 1 and 2 only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const outDir = join(root, 'test-output');
mkdirSync(outDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let stepFailures = 0;

function run(title, cmd, args, opts = {}) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  const ok = r.status === 0;
  console.log(`== ${title}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

function step(title, cmd, args) {
  if (!run(title, cmd, args)) {
    stepFailures++;
    totals.failed++;
  } else totals.passed++;
}

function collect(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function nodeTests(title, files, concurrency) {
  if (files.length === 0) return;
  const tap = join(outDir, `${title.replace(/\W+/g, '-')}.tap`);
  run(title, process.execPath, [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  if (!text) totals.failed++;
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
}

step('type-check', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.']);
step('lint', process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '.']);
if (existsSync(join(root, 'scripts/gen-rule-docs.ts'))) step('rule docs are current', process.execPath, ['--import', 'tsx', 'scripts/gen-rule-docs.ts', '--check']);
if (!existsSync(join(root, 'dist/cli.js'))) step('build', process.execPath, ['scripts/build.mjs']);

nodeTests('unit tests', collect(join(root, 'test/unit')), 2);
if (!quick) {
  for (const suite of ['fuzz', 'pathological', 'fidelity', 'webview', 'vscode']) nodeTests(`${suite} suite`, collect(join(root, 'test', suite)), 1);
}

console.log(`\nnanguard: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || stepFailures > 0 ? 1 : 0);
