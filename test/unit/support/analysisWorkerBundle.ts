// The analysis worker as the real bundle, for the tests that run it in a worker thread: built
// with esbuild the way scripts/build.mjs builds it, its WebAssembly beside it as in dist/.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface AnalysisWorkerBundle {
  /** The bundle's path. */
  path: string;
  /** Removes the bundle's folder. */
  remove(): void;
}

export async function buildAnalysisWorker(prefix = 'nanguard-analysis-worker-'): Promise<AnalysisWorkerBundle> {
  const outDir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(outDir, 'analysis-worker.js');
  await build({
    entryPoints: [join(ROOT, 'src/analysis-worker/analysisWorker.ts')],
    outfile: path,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['vscode', '@tensorflow/tfjs-node'],
    logLevel: 'warning',
  });
  // The parser finds its WebAssembly beside the bundle.
  for (const file of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
    copyFileSync(require.resolve(file), join(outDir, file.split('/').pop()!));
  }
  return { path, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}
