/**
 * The lint bench as its own program: `bench/run.ts` bundles this file with esbuild, as the
 * extension and the CLI are bundled, and runs the bundle in a fresh Node process. Timing the
 * shipped form matters: run from sources through tsx, every inner function is wrapped to keep
 * its name, which the analysis pays for and the product does not.
 */
import { DEFAULT_LINT_BENCH, QUICK_LINT_BENCH, runLintBench } from './lint-bench';

runLintBench(process.argv.includes('--quick') ? QUICK_LINT_BENCH : DEFAULT_LINT_BENCH).catch((err: unknown) => {
  process.stderr.write(`lint bench failed: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
