// `npm run bench`: runs the benches from the TypeScript sources through tsx (the same code
// esbuild bundles into dist/). Option: --quick (few runs, a smoke test).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const load = (rel) => tsImport(pathToFileURL(join(root, rel)).href, import.meta.url);

const lint = await load('bench/lint-bench.ts');
const options = quick ? { warmup: 1, runs: 3, corpusFiles: 20, corpusPasses: 1 } : lint.DEFAULT_LINT_BENCH;
process.stdout.write('## Lint\n\n');
await lint.runLintBench(options);

// Reproduction bench (time-to-verdict of the seed examples next to a plain model.fit and the
// Keras script): bench/repro-bench.ts exports `runReproBench({ quick })`, printing its own
// table with the helpers of bench/harness.ts. It runs here once it exists.
const reproBench = 'bench/repro-bench.ts';
if (existsSync(join(root, reproBench))) {
  process.stdout.write('\n## Reproduction\n\n');
  const repro = await load(reproBench);
  await repro.runReproBench({ quick });
}
