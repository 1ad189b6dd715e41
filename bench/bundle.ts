/**
 * Bench programs and workers bundled as the product is bundled, for the benches that time what
 * ships. Kept apart from harness.ts, which the bundled lint bench itself imports (esbuild's API
 * cannot be bundled).
 */
import { build } from 'esbuild';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Bundles `entry` into a new temporary folder with the options scripts/build.mjs gives the
 * product's Node bundles in the VSIX (`--production`: minified, half the size of the development
 * build, which the worker reads and V8 deserializes at every start), and copies `wasmFiles`
 * beside it, where the product looks first.
 * Returns the bundle's path; the caller removes the folder when it is done with it.
 */
export async function bundleForBench(entry: string, wasmFiles: readonly string[]): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'nanguard-bench-'));
  const outfile = join(out, basename(entry).replace(/\.ts$/, '.js'));
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], external: ['@tensorflow/tfjs-node'], minify: true, logLevel: 'error' });
  for (const file of wasmFiles) copyFileSync(file, join(out, basename(file)));
  return outfile;
}
