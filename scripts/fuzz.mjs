// `npm run fuzz`: the fuzz suite with a bigger budget and a fresh seed, then a summary of
// cases run and the slowest inputs. CI runs the same suite at 10,000 cases with a fixed seed.
//   NANGUARD_FUZZ_RUNS   total cases over all properties (default here: 100,000)
//   NANGUARD_FUZZ_SEED   replay a run (printed at the start and on failure)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = process.env.NANGUARD_FUZZ_RUNS ?? '100000';
const seed = process.env.NANGUARD_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const outDir = join(root, 'test-output', 'fuzz');
rmSync(outDir, { recursive: true, force: true });

console.log(`nanguard fuzz: ${runs} cases, seed ${seed} (replay with NANGUARD_FUZZ_SEED=${seed} NANGUARD_FUZZ_RUNS=${runs} npm run fuzz)`);
const files = readdirSync(join(root, 'test', 'fuzz')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', 'fuzz', f));
const started = Date.now();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NANGUARD_FUZZ_RUNS: runs, NANGUARD_FUZZ_SEED: seed },
});

const records = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(outDir, f), 'utf8'))) : [];
const cases = records.reduce((n, r) => n + r.cases, 0);
const slowest = records.flatMap((r) => r.slowest.map((s) => ({ ...s, property: r.name }))).sort((a, b) => b.ms - a.ms);
console.log(`\nnanguard fuzz: ${cases} inputs analysed in ${((Date.now() - started) / 1000).toFixed(0)} s, seed ${seed}`);
for (const r of records) console.log(`  ${r.name.padEnd(28)} ${String(r.cases).padStart(7)} inputs, ${r.withModels} with a model, ${r.withFindings} with findings`);
for (const s of slowest.slice(0, 5)) console.log(`  slow: ${s.ms.toFixed(0)} ms  ${s.label} (${s.bytes} chars)`);
process.exit(result.status ?? 1);
