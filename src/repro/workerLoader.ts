/**
 * Starting the bundled worker with a V8 code cache. Most of a reproduction's start-up is
 * V8 parsing and compiling the 3 MB worker bundle (TensorFlow.js) and, on first use, each
 * function it runs. The runner starts `node -e WORKER_LOADER worker.js`: the loader
 * compiles the bundle with `vm.Script` and the cached data from an earlier run, and the
 * worker, once it has finished a run (every function it needs compiled by then), writes
 * the cache when there was none or V8 rejected it. The cache file is keyed by the bundle
 * (size, modification time, inode), the Node version and the heap-size flag; V8 also
 * rejects data from another V8 version or flag set. Any failure just means no cache.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Environment variable naming the cache folder for the worker. */
export const CODE_CACHE_ENV = 'NANGUARD_CODE_CACHE_DIR';

/** The name of the function the loader leaves on `globalThis` when the worker should write the cache. */
export const WRITE_CODE_CACHE = '__nanguardWriteCodeCache';

/** Cache files kept (one per worker bundle build and heap limit); older ones are removed when a new one is written. */
const KEEP_CACHE_FILES = 6;

/** Plain JavaScript for `node -e`: loads the worker at `process.argv[1]` like `require` would, with the code cache. */
export const WORKER_LOADER = `
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const file = path.resolve(process.argv[1]);
const source = fs.readFileSync(file, 'utf8');
const dir = process.env.${CODE_CACHE_ENV};
let cacheFile = null;
let cachedData;
if (dir) {
  try {
    const stat = fs.statSync(file);
    const heap = process.execArgv.filter((a) => a.startsWith('--max-old-space-size')).join('').replace(/[^0-9]/g, '');
    cacheFile = path.join(dir, ['worker', process.version, process.arch, stat.size, Math.round(stat.mtimeMs), stat.ino, heap].join('-') + '.v8cache');
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
if (cacheFile && (!cachedData || script.cachedDataRejected)) {
  globalThis.${WRITE_CODE_CACHE} = () => {
    globalThis.${WRITE_CODE_CACHE} = undefined;
    try {
      const temporary = cacheFile + '.' + process.pid;
      fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temporary, cacheFile);
      // Each bundle build gets its own file: keep the newest few.
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache')).map((f) => path.join(dir, f));
      const byAge = files.map((f) => [fs.statSync(f).mtimeMs, f]).sort((a, b) => b[0] - a[0]);
      for (const [, old] of byAge.slice(${KEEP_CACHE_FILES})) fs.rmSync(old, { force: true });
    } catch {
      // no cache this time
    }
  };
}
const worker = new Module(file, null);
worker.filename = file;
worker.paths = Module._nodeModulePaths(path.dirname(file));
worker.loaded = true;
script.runInThisContext()(worker.exports, Module.createRequire(file), worker, file, path.dirname(file));
`;

/**
 * The folder for the worker's code cache: the given one, else one per user under the OS
 * temporary folder, created private. Null when it cannot be made safe (not a directory of
 * ours), so the worker runs without a cache: cached code is run, so nobody else may write it.
 */
export function codeCacheFolder(preferred?: string): string | null {
  let uid = 0;
  try {
    uid = userInfo().uid;
  } catch {
    return null;
  }
  const dir = preferred ?? join(tmpdir(), `nanguard-code-cache-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return null;
    if (process.platform !== 'win32' && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return null;
    return dir;
  } catch {
    return null;
  }
}
