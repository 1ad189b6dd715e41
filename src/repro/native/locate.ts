/**
 * Finding and loading `@tensorflow/tfjs-node`, the native backend. It is an optional peer
 * dependency: nanguard installs and runs without it, and it can live outside nanguard's own
 * `node_modules` (built offline against an installed TensorFlow, or installed into the
 * extension's storage). Where to look, first match wins:
 *
 * 1. a folder given by the caller (the `nanguard.reproduction.nativeBackendPath` setting, a test);
 * 2. the folder in the environment variable `NANGUARD_TFJS_NODE`;
 * 3. ordinary module resolution from nanguard itself (`npm install @tensorflow/tfjs-node`
 *    beside nanguard).
 *
 * A folder may be the package itself (`.../node_modules/@tensorflow/tfjs-node`) or a folder
 * with it installed under `node_modules/` (what `setup.ts` makes). Plain Node, no TensorFlow
 * import here: the worker calls `loadTfjsNode` only when the native backend is wanted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/** Environment variable naming a folder that holds an installed `@tensorflow/tfjs-node`. */
export const NATIVE_BACKEND_ENV = 'NANGUARD_TFJS_NODE';

/** The tfjs-node version that matches nanguard's TensorFlow.js (the kernels register into one engine). */
export const TFJS_NODE_VERSION = '4.22.0';

export const TFJS_NODE_PACKAGE = '@tensorflow/tfjs-node';

/** The package folder of tfjs-node inside `folder`, if there is one (the folder itself or under its node_modules). */
export function tfjsNodePackageIn(folder: string): string | undefined {
  const base = resolve(folder);
  for (const candidate of [base, join(base, 'node_modules', '@tensorflow', 'tfjs-node')]) {
    try {
      const pkg = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === TFJS_NODE_PACKAGE) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The native binding the package loads; absent when its build (or download) never happened. */
export function bindingOf(packageFolder: string): string | undefined {
  for (const napi of ['napi-v8', 'napi-v7', 'napi-v6', 'napi-v5', 'napi-v4', 'napi-v3']) {
    const file = join(packageFolder, 'lib', napi, 'tfjs_binding.node');
    if (existsSync(file)) return file;
  }
  return undefined;
}

export type LoadResult = { ok: true; packageFolder: string; version: string; loadMs: number } | { ok: false; reason: string };

let loaded: LoadResult | undefined;


/**
 * Loads tfjs-node once per process (its kernels register into the TensorFlow.js engine that
 * every copy of tfjs-core shares through the global namespace, so the worker's bundled
 * tfjs-core sees the `tensorflow` backend). Never throws: the reason says what was missing.
 */
export function loadTfjsNode(folder?: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  // A success is final (a process holds one tfjs-node); a failure is looked at again next time.
  if (loaded?.ok) return loaded;
  const start = performance.now();
  const configured = folder || env[NATIVE_BACKEND_ENV] || undefined;
  let packageFolder: string | undefined;
  if (configured) {
    packageFolder = tfjsNodePackageIn(configured);
    if (!packageFolder) return (loaded = { ok: false, reason: `no ${TFJS_NODE_PACKAGE} installed in ${configured}` });
  } else {
    try {
      packageFolder = join(require.resolve(`${TFJS_NODE_PACKAGE}/package.json`), '..');
    } catch {
      return (loaded = { ok: false, reason: `${TFJS_NODE_PACKAGE} is not installed` });
    }
  }
  if (!bindingOf(packageFolder)) return (loaded = { ok: false, reason: `${TFJS_NODE_PACKAGE} in ${packageFolder} has no native binding (its install or build did not finish)` });
  let version = '?';
  try {
    version = (JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // checked below
  }
  // Another version brings another tfjs-core into the one engine both copies share: kernels and ops would not match.
  if (version !== TFJS_NODE_VERSION) return (loaded = { ok: false, reason: `${TFJS_NODE_PACKAGE} ${version} in ${packageFolder} does not match nanguard's TensorFlow.js ${TFJS_NODE_VERSION}` });
  // TensorFlow's C++ logging (oneDNN and CPU-feature notices) goes to stderr: keep it to warnings and errors.
  env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  process.env.TF_CPP_MIN_LOG_LEVEL ??= env.TF_CPP_MIN_LOG_LEVEL;
  try {
    createRequire(join(packageFolder, 'package.json'))(packageFolder);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return (loaded = { ok: false, reason: `${TFJS_NODE_PACKAGE} in ${packageFolder} did not load: ${message}` });
  }
  return (loaded = { ok: true, packageFolder, version, loadMs: performance.now() - start });
}
