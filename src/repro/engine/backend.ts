/**
 * Backend choice: `@tensorflow/tfjs-node` when installed and loadable, else WebAssembly,
 * else plain JavaScript CPU. `auto` follows that order except that models small enough
 * for per-operation overhead to dominate run on CPU, where they are measured faster
 * (docs/reproduction.md has the numbers).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureCpuBackend, tf } from './tf';

export type BackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';
export type BackendName = 'node' | 'wasm' | 'cpu';

/** Below this many parameters `auto` prefers CPU to WebAssembly (per-op overhead dominates). */
export const SMALL_MODEL_PARAMETERS = 50_000;

let nodeTried = false;
let nodeLoaded = false;

function tryNode(): boolean {
  if (!nodeTried) {
    nodeTried = true;
    try {
      // Optional and native: present only where its install could download libtensorflow.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node');
      nodeLoaded = tf.findBackend('tensorflow') !== null;
    } catch {
      nodeLoaded = false;
    }
  }
  return nodeLoaded;
}

/** The folder holding `tfjs-backend-wasm*.wasm`: beside the bundle, or the package's own `dist/`. */
export function wasmFolder(): string | undefined {
  const candidates = [__dirname, join(__dirname, '..', '..', '..', 'dist')];
  try {
    candidates.push(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    // not resolvable from a bundle; the copies beside it are used
  }
  return candidates.find((d) => existsSync(join(d, 'tfjs-backend-wasm.wasm')));
}

async function tryWasm(): Promise<boolean> {
  const folder = wasmFolder();
  if (!folder) return false;
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount?.(1);
    wasm.setWasmPaths(folder.endsWith('/') ? folder : `${folder}/`);
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/** Activates a backend; returns the one that runs, or a message when an explicit choice cannot. */
export async function selectBackend(choice: BackendChoice, parameters: number): Promise<{ backend: BackendName } | { problem: string }> {
  if (choice === 'node' || choice === 'auto') {
    if (tryNode() && (await tf.setBackend('tensorflow'))) return { backend: 'node' };
    if (choice === 'node') return { problem: '@tensorflow/tfjs-node is not installed or does not load on this machine; use --backend wasm or cpu' };
  }
  if (choice === 'wasm' || (choice === 'auto' && parameters >= SMALL_MODEL_PARAMETERS)) {
    if (await tryWasm()) return { backend: 'wasm' };
    if (choice === 'wasm') return { problem: 'the WebAssembly backend did not load (its .wasm files were not found beside the worker)' };
  }
  ensureCpuBackend();
  if (await tf.setBackend('cpu')) return { backend: 'cpu' };
  return { problem: 'no TensorFlow.js backend could be started' };
}
