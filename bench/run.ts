/** The benches in order; `npm run bench` (scripts/bench.mjs) runs this file through tsx. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LINT_BENCH, runLintBench } from './lint-bench';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  process.stdout.write('## Lint\n\n');
  await runLintBench(quick ? { warmup: 1, runs: 3, corpusFiles: 20, corpusPasses: 1 } : DEFAULT_LINT_BENCH);

  // Reproduction bench (time-to-verdict of the seed examples next to a plain model.fit and the
  // Keras script): bench/repro-bench.ts exports `runReproBench({ quick })` and prints its own
  // table with the helpers of bench/harness.ts. It runs here once it exists.
  const reproBench = join(__dirname, 'repro-bench.ts');
  if (existsSync(reproBench)) {
    process.stdout.write('\n## Reproduction\n\n');
    const repro = (await import(reproBench)) as { runReproBench(options: { quick: boolean }): Promise<unknown> };
    await repro.runReproBench({ quick });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
