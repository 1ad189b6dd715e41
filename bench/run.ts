/** The benches in order; `npm run bench` (scripts/bench.mjs) runs this file through tsx. */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleForBench } from './bundle';

/** Bundles bench/lint-main.ts as the product is bundled (scripts/build.mjs) and runs it in its own process. */
async function runBundledLintBench(quick: boolean): Promise<void> {
  // The parser's WebAssembly files go beside the bundle, where the front-end looks first.
  const bundle = await bundleForBench(join(__dirname, 'lint-main.ts'), [require.resolve('web-tree-sitter/tree-sitter.wasm'), require.resolve('tree-sitter-python/tree-sitter-python.wasm')]);
  try {
    const result = spawnSync(process.execPath, [bundle, ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`the lint bench exited with ${result.status ?? result.signal}`);
  } finally {
    rmSync(dirname(bundle), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  process.stdout.write('## Lint\n\n');
  await runBundledLintBench(quick);

  // Reproduction bench (time-to-verdict of the seed examples next to a plain model.fit and the
  // Keras script): bench/repro-bench.ts exports `runReproBench({ quick })` and prints its own
  // table with the helpers of bench/harness.ts. It runs here once it exists.
  const reproBench = join(__dirname, 'repro-bench.ts');
  if (existsSync(reproBench)) {
    process.stdout.write('\n## Reproduction\n\n');
    const repro = (await import(reproBench)) as { runReproBench(options: { quick: boolean }): Promise<unknown> };
    await repro.runReproBench({ quick });
  }

  // Backends side by side: conv and LSTM autoencoders per epoch on native TensorFlow, WebAssembly,
  // CPU and Keras; the seed examples' time to verdict on each (native rows need scripts/setup-tfjs-node.sh).
  process.stdout.write('\n## Backends\n\n');
  const { runBackendsBench } = await import('./backends');
  await runBackendsBench({ quick, crossover: process.argv.includes('--crossover') });

  // The tutorial's conv autoencoder, one epoch on the default backend without native TensorFlow
  // (WebAssembly with nanguard's convolution gradients) against Keras, alternating in one run.
  process.stdout.write('\n## Conv autoencoder without native TensorFlow\n\n');
  const { runWasmConvBench } = await import('./wasm-conv');
  await runWasmConvBench({ quick });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
