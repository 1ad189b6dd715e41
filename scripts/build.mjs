// Bundles every entry point with esbuild and copies the WebAssembly files beside the bundles.
// `--production` minifies and drops source maps (the VSIX); the default build is for development and tests.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const production = process.argv.includes('--production');
const out = join(root, 'dist');
mkdirSync(out, { recursive: true });

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // Prefer ES module builds: the UMD build of jsonc-parser requires its parts at run time, which a bundle cannot resolve.
  mainFields: ['module', 'main'],
  // tfjs-node is optional and native: loaded at run time when present, never bundled.
  external: ['vscode', '@tensorflow/tfjs-node'],
};

const entries = [
  { in: 'src/cli/main.ts', out: 'cli.js', options: nodeCommon },
  { in: 'src/extension/extension.ts', out: 'extension.js', options: nodeCommon },
  // The reproduction worker is minified in every build: each run reads the bundle and V8 deserializes it (2.6 MB, 1.3 MB minified).
  { in: 'src/repro/worker.ts', out: 'worker.js', options: { ...nodeCommon, minify: true } },
  { in: 'src/analysis-worker/analysisWorker.ts', out: 'analysis-worker.js', options: nodeCommon },
  { in: 'src/repro/native/main.ts', out: 'native-setup.js', options: nodeCommon },
  { in: 'src/webview/main.ts', out: 'webview.js', options: { bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning' } },
];

await Promise.all(
  entries
    .filter((e) => existsSync(join(root, e.in)))
    .map((e) => build({ ...e.options, entryPoints: [join(root, e.in)], outfile: join(out, e.out) })),
);

const wasmFiles = [
  require.resolve('web-tree-sitter/tree-sitter.wasm'),
  require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  ...['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) =>
    join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist', f),
  ),
];
for (const file of wasmFiles) copyFileSync(file, join(out, file.split('/').pop()));

// The Keras engine's bootstrap runs in the user's Python: shipped as source beside the bundles.
const pythonSources = join(root, 'src/repro/keras/python');
if (existsSync(pythonSources)) {
  mkdirSync(join(out, 'python'), { recursive: true });
  for (const name of readdirSync(pythonSources).filter((n) => n.endsWith('.py'))) copyFileSync(join(pythonSources, name), join(out, 'python', name));
}
