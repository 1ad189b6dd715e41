/**
 * Setting up the native backend: `@tensorflow/tfjs-node` installed into a folder of its own
 * (never nanguard's `node_modules`), in one of two ways.
 *
 * - `tensorflow`: built against a TensorFlow the user already has (the `tensorflow` or
 *   `tensorflow-cpu` wheel of a Python environment). The package is installed without its
 *   scripts; its `deps/` folder gets symlinks to the wheel's C library and headers under the
 *   names its install script looks for (so it downloads nothing); then its own install script
 *   compiles the binding with node-gyp against the local Node.js headers. No internet beyond
 *   the npm registry (or an npm cache); about 10 s after the package download; no copy of the
 *   850 MB of libraries.
 * - `npm`: the ordinary `npm install @tensorflow/tfjs-node`, whose install script downloads
 *   libtensorflow and a prebuilt binding (needs internet access).
 *
 * Idempotent: a finished setup leaves a stamp (`nanguard-native.json`) naming what it was built
 * from; a second call with the same inputs and a binding still present returns at once.
 * Plain Node (no editor API, no TensorFlow import): the CLI script, CI and the VS Code command
 * share it. Failures are `NativeSetupError`s whose `missing` says what to install.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { bindingOf, TFJS_NODE_PACKAGE, TFJS_NODE_VERSION, tfjsNodePackageIn } from './locate';

export type NativeSource = 'tensorflow' | 'npm' | 'auto';

/** What a failed setup lacked, for the message and for callers that offer a way out. */
export type Missing = 'tensorflow' | 'python' | 'compiler' | 'node' | 'node-headers' | 'npm' | 'network' | 'platform';

export class NativeSetupError extends Error {
  constructor(
    message: string,
    readonly missing?: Missing,
    /** The tail of the failing command's output, when a command failed. */
    readonly output?: string,
  ) {
    super(message);
    this.name = 'NativeSetupError';
  }
}

export interface SetupOptions {
  /** The folder to install into; tfjs-node ends up in `<target>/node_modules/@tensorflow/tfjs-node`. */
  target: string;
  /** Default `auto`: `tensorflow` when a TensorFlow is found through `python` (or `tensorflowDir`), else `npm`. */
  source?: NativeSource;
  /** The Python interpreter whose TensorFlow to build against (default `python3`). */
  python?: string;
  /** The TensorFlow package folder itself (`.../site-packages/tensorflow`), instead of asking Python. */
  tensorflowDir?: string;
  /** The Node.js executable that runs npm's and the package's scripts (default: this one when it is Node.js, else `node` on the PATH). */
  node?: string;
  /** The npm executable (default: `npm` beside that Node.js, else on the PATH). */
  npm?: string;
  /** Folder with `include/node/node_api.h` (default: the Node.js installation's own, else node-gyp's cache). */
  nodeHeaders?: string;
  /** Rebuild even when the stamp says the setup is done. */
  force?: boolean;
  /** Each step, in words, as it starts. */
  onProgress?: (step: string) => void;
  /** Each line of the commands' output (npm, the compiler). */
  onOutput?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface TensorFlowInstall {
  /** The `tensorflow` package folder of the wheel. */
  dir: string;
  version: string;
  /** The library exporting TensorFlow's C and eager C API. */
  library: string;
  framework: string;
  include: string;
}

export interface SetupResult {
  /** The folder to hand to the worker (`nativeFolder`, `NANGUARD_TFJS_NODE`). */
  target: string;
  packageFolder: string;
  binding: string;
  source: 'tensorflow' | 'npm';
  tensorflow?: { dir: string; version: string };
  /** True when an earlier setup was found complete and kept. */
  reused: boolean;
  ms: number;
}

export const STAMP_FILE = 'nanguard-native.json';

interface Stamp {
  tfjsNode: string;
  source: 'tensorflow' | 'npm';
  tensorflowDir?: string;
  tensorflowVersion?: string;
  /** Size and modification time of the TensorFlow library built against: a reinstalled wheel means a rebuild. */
  library?: { size: number; mtimeMs: number };
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; onOutput?: (line: string) => void }): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    let output = '';
    let partial = '';
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const take = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-20_000);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onOutput?.(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => done({ code: -1, output: `${output}${error.message}` }));
    child.on('close', (code) => {
      if (partial) options.onOutput?.(partial);
      done({ code: code ?? -1, output });
    });
  });
}

function tail(output: string, lines = 12): string {
  return output.split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n');
}

/** The first of `names` found as an executable on the PATH. */
export function which(names: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const suffixes = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const name of names) {
    if (name.includes('/')) {
      if (existsSync(name)) return name;
      continue;
    }
    for (const folder of folders) {
      for (const suffix of suffixes) {
        const candidate = join(folder, name + suffix);
        try {
          if (statSync(candidate).isFile()) return candidate;
        } catch {
          // not here
        }
      }
    }
  }
  return undefined;
}

/** Python that prints the TensorFlow package folder and version without importing TensorFlow (which takes seconds). */
const FIND_TENSORFLOW = `
import importlib.util, json
from importlib import metadata
spec = importlib.util.find_spec("tensorflow")
folder = list(spec.submodule_search_locations)[0] if spec and spec.submodule_search_locations else None
version = None
for name in ("tensorflow", "tensorflow-cpu", "tensorflow-intel", "tf-nightly"):
    try:
        version = metadata.version(name)
        break
    except metadata.PackageNotFoundError:
        pass
print(json.dumps({"dir": folder, "version": version}))
`;

/** The TensorFlow of a Python interpreter (or a given folder), checked for what the build needs. */
export async function findTensorFlow(options: { python?: string; tensorflowDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TensorFlowInstall> {
  let dir = options.tensorflowDir;
  let version = 'unknown';
  if (!dir) {
    const python = options.python ?? 'python3';
    const found = await new Promise<{ dir: string | null; version: string | null }>((done, fail) => {
      execFile(python, ['-c', FIND_TENSORFLOW], { env: options.env ?? process.env, timeout: 60_000 }, (error, stdout) => {
        if (error) {
          const notThere = (error as NodeJS.ErrnoException).code === 'ENOENT';
          fail(new NativeSetupError(notThere ? `no Python interpreter at "${python}" to find TensorFlow with` : `"${python}" could not be asked for its TensorFlow: ${error.message.split('\n')[0]}`, 'python'));
          return;
        }
        try {
          done(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
        } catch {
          fail(new NativeSetupError(`"${python}" gave no answer about TensorFlow`, 'python'));
        }
      });
    });
    if (!found.dir) throw new NativeSetupError(`TensorFlow is not installed for ${python} (pip install tensorflow-cpu, or choose the Python environment that has it)`, 'tensorflow');
    dir = found.dir;
    version = found.version ?? version;
  }
  if (process.platform !== 'linux') {
    throw new NativeSetupError(`building tfjs-node against an installed TensorFlow is supported on Linux only; on ${process.platform} install it from npm (npm install ${TFJS_NODE_PACKAGE}@${TFJS_NODE_VERSION})`, 'platform');
  }
  const library = join(dir, 'libtensorflow_cc.so.2');
  const framework = join(dir, 'libtensorflow_framework.so.2');
  const include = join(dir, 'include');
  for (const [file, what] of [
    [library, "TensorFlow's C library (libtensorflow_cc.so.2)"],
    [framework, 'libtensorflow_framework.so.2'],
    [join(include, 'tensorflow', 'c', 'c_api.h'), "TensorFlow's C headers (include/tensorflow/c/c_api.h)"],
    [join(include, 'tensorflow', 'c', 'eager', 'c_api.h'), "TensorFlow's eager C headers (include/tensorflow/c/eager/c_api.h)"],
  ] as const) {
    if (!existsSync(file)) throw new NativeSetupError(`the TensorFlow in ${dir} lacks ${what}; a tensorflow or tensorflow-cpu wheel of version 2.9 or later has it`, 'tensorflow');
  }
  return { dir, version, library, framework, include };
}

/** Node.js to run the scripts with: this process when it is Node.js itself (not an editor's Electron). */
function nodeExecutable(options: SetupOptions, env: NodeJS.ProcessEnv): string {
  if (options.node) return options.node;
  if (!process.versions.electron && /(^|[\\/])node(\.exe)?$/.test(process.execPath)) return process.execPath;
  const onPath = which(['node'], env);
  if (!onPath) throw new NativeSetupError('Node.js (node) is not on the PATH; it runs the package scripts and the compiler driver (node-gyp)', 'node');
  return onPath;
}

function npmExecutable(options: SetupOptions, node: string, env: NodeJS.ProcessEnv): string {
  if (options.npm) return options.npm;
  const beside = join(dirname(node), process.platform === 'win32' ? 'npm.cmd' : 'npm');
  if (existsSync(beside)) return beside;
  const onPath = which(['npm'], env);
  if (!onPath) throw new NativeSetupError('npm is not on the PATH; it fetches the @tensorflow/tfjs-node package', 'npm');
  return onPath;
}

/** The folder whose `include/node/node_api.h` node-gyp compiles against, without a download. */
export function findNodeHeaders(node: string, given?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates: string[] = [];
  if (given) candidates.push(given);
  try {
    candidates.push(dirname(dirname(realpathSync(node))));
  } catch {
    // not resolvable
  }
  candidates.push('/usr', '/usr/local');
  const home = env.HOME ?? env.USERPROFILE;
  if (home) {
    const cache = join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'node-gyp');
    try {
      for (const version of readdirSync(cache)) candidates.push(join(cache, version));
    } catch {
      // no cache
    }
  }
  return candidates.find((c) => existsSync(join(c, 'include', 'node', 'node_api.h')));
}

function readStamp(target: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(join(target, STAMP_FILE), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

function libraryIdentity(file: string): { size: number; mtimeMs: number } {
  const s = statSync(file);
  return { size: s.size, mtimeMs: Math.round(s.mtimeMs) };
}

/** Replaces `link` with a symlink to `to` (whatever was there before). */
function relink(link: string, to: string): void {
  try {
    lstatSync(link);
    rmSync(link, { recursive: true, force: true });
  } catch {
    // nothing there
  }
  symlinkSync(to, link);
}

/** `deps/lib` and `deps/include` of the package as links into the wheel, under the names tfjs-node's scripts and loader use. */
export function linkTensorFlow(packageFolder: string, tensorflow: TensorFlowInstall): void {
  const deps = join(packageFolder, 'deps');
  rmSync(deps, { recursive: true, force: true });
  const lib = join(deps, 'lib');
  const include = join(deps, 'include');
  mkdirSync(lib, { recursive: true });
  mkdirSync(include, { recursive: true });
  // libtensorflow.so.2.9.1 is the name the install script checks before downloading; libtensorflow_cc.so.2 is the library's SONAME.
  for (const name of ['libtensorflow.so.2.9.1', 'libtensorflow.so.2', 'libtensorflow.so', 'libtensorflow_cc.so.2']) relink(join(lib, name), tensorflow.library);
  for (const name of ['libtensorflow_framework.so.2.9.1', 'libtensorflow_framework.so.2', 'libtensorflow_framework.so']) relink(join(lib, name), tensorflow.framework);
  for (const entry of readdirSync(tensorflow.include)) relink(join(include, entry), join(tensorflow.include, entry));
}

/** Loads the built package in a fresh Node.js and runs one operation; throws with the reason when it cannot. */
export async function verifyNativeBackend(packageFolder: string, node: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const script = `const tf = require(${JSON.stringify(packageFolder)}); tf.setBackend('tensorflow').then((ok) => { const v = tf.add(tf.tensor([1, 2]), tf.tensor([3, 4])).dataSync(); process.stdout.write(JSON.stringify({ ok, backend: tf.getBackend(), v: Array.from(v) })); });`;
  const { code, output } = await run(node, ['-e', script], { env: { ...env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  const last = output.trim().split('\n').pop() ?? '';
  let answer: { ok?: boolean; backend?: string; v?: number[] } = {};
  try {
    answer = JSON.parse(last);
  } catch {
    // reported below
  }
  if (code !== 0 || answer.backend !== 'tensorflow' || answer.v?.join() !== '4,6') {
    throw new NativeSetupError(`the built ${TFJS_NODE_PACKAGE} does not load: ${tail(output, 6) || `exit code ${code}`}`, undefined, tail(output));
  }
}

/** Installs the package into `target` without its scripts (nothing is downloaded but the npm packages). */
async function npmInstall(npm: string, node: string, target: string, env: NodeJS.ProcessEnv, withScripts: boolean, onOutput?: (line: string) => void): Promise<void> {
  mkdirSync(target, { recursive: true });
  const manifest = join(target, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ name: 'nanguard-native-backend', private: true, description: "nanguard's native TensorFlow backend" }, null, 2)}\n`);
  const args = ['install', `${TFJS_NODE_PACKAGE}@${TFJS_NODE_VERSION}`, '--no-audit', '--no-fund', '--no-save', '--no-package-lock', '--loglevel=error', ...(withScripts ? [] : ['--ignore-scripts'])];
  const { code, output } = await run(npm, args, { cwd: target, env: { ...env, PATH: [dirname(node), env.PATH ?? ''].join(delimiter) }, onOutput });
  if (code !== 0) {
    const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network|getaddrinfo/i.test(output);
    throw new NativeSetupError(`npm could not install ${TFJS_NODE_PACKAGE}@${TFJS_NODE_VERSION}${offline ? ' (no network access to the npm registry or to the libtensorflow download)' : ''}:\n${tail(output, 6)}`, offline ? 'network' : 'npm', tail(output));
  }
}

/** Sets up the native backend in `options.target` (see the module comment). */
export async function setupNativeBackend(options: SetupOptions): Promise<SetupResult> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const target = resolve(options.target);
  const progress = options.onProgress ?? (() => undefined);
  let source = options.source ?? 'auto';

  let tensorflow: TensorFlowInstall | undefined;
  /** Why no TensorFlow was found, when `auto` falls back to npm: said again if npm fails too. */
  let noTensorFlow: NativeSetupError | undefined;
  if (source !== 'npm') {
    progress('Looking for TensorFlow');
    try {
      tensorflow = await findTensorFlow({ python: options.python, tensorflowDir: options.tensorflowDir, env });
      source = 'tensorflow';
    } catch (error) {
      if (source === 'tensorflow' || !(error instanceof NativeSetupError)) throw error;
      noTensorFlow = error;
      progress(`No TensorFlow to build against (${error.message}); trying npm`);
      source = 'npm';
    }
  }
  const chosen: 'tensorflow' | 'npm' = source === 'tensorflow' ? 'tensorflow' : 'npm';

  // Done before with the same inputs, and the binding is still there: keep it.
  const stamp = readStamp(target);
  const existing = tfjsNodePackageIn(target);
  const existingBinding = existing ? bindingOf(existing) : undefined;
  if (!options.force && stamp && existing && existingBinding && stamp.tfjsNode === TFJS_NODE_VERSION && stamp.source === chosen) {
    const same = chosen === 'npm' || (stamp.tensorflowDir === tensorflow!.dir && JSON.stringify(stamp.library) === JSON.stringify(libraryIdentity(tensorflow!.library)));
    if (same) {
      return { target, packageFolder: existing, binding: existingBinding, source: chosen, ...(tensorflow ? { tensorflow: { dir: tensorflow.dir, version: tensorflow.version } } : {}), reused: true, ms: performance.now() - started };
    }
  }

  const node = nodeExecutable(options, env);
  const npm = npmExecutable(options, node, env);
  let headers: string | undefined;
  if (chosen === 'tensorflow') {
    progress('Checking the compiler and the Node.js headers');
    if (!which(['c++', 'g++', 'clang++'], env)) throw new NativeSetupError('no C++ compiler (c++, g++ or clang++) is on the PATH; install one (Debian/Ubuntu: apt-get install g++ make)', 'compiler');
    if (!which(['make', 'gmake'], env)) throw new NativeSetupError('make is not on the PATH; node-gyp needs it to compile the binding (Debian/Ubuntu: apt-get install make)', 'compiler');
    if (!which(['python3', 'python'], env)) throw new NativeSetupError('node-gyp needs a Python 3 on the PATH to compile the binding', 'python');
    headers = findNodeHeaders(node, options.nodeHeaders, env);
    if (!headers) throw new NativeSetupError(`the Node.js headers (include/node/node_api.h) are not installed for ${node} (Debian/Ubuntu: apt-get install libnode-dev or nodejs-dev; or run node-gyp install once with internet access)`, 'node-headers');
  }

  rmSync(join(target, STAMP_FILE), { force: true });
  const installed = existing && JSON.parse(readFileSync(join(existing, 'package.json'), 'utf8')).version === TFJS_NODE_VERSION;
  if (chosen === 'npm') {
    progress(`Installing ${TFJS_NODE_PACKAGE} ${TFJS_NODE_VERSION} from npm (it downloads libtensorflow)`);
    try {
      await npmInstall(npm, node, target, env, true, options.onOutput);
    } catch (error) {
      if (!noTensorFlow || !(error instanceof NativeSetupError)) throw error;
      throw new NativeSetupError(`${noTensorFlow.message}; and installing from npm instead failed: ${error.message}`, noTensorFlow.missing, error.output);
    }
  } else if (!installed) {
    progress(`Fetching ${TFJS_NODE_PACKAGE} ${TFJS_NODE_VERSION} from npm (without its download script)`);
    await npmInstall(npm, node, target, env, false, options.onOutput);
  }
  const packageFolder = tfjsNodePackageIn(target);
  if (!packageFolder) throw new NativeSetupError(`npm finished but ${TFJS_NODE_PACKAGE} is not in ${target}`, 'npm');

  if (chosen === 'tensorflow') {
    progress(`Linking TensorFlow ${tensorflow!.version} from ${tensorflow!.dir}`);
    linkTensorFlow(packageFolder, tensorflow!);
    rmSync(join(packageFolder, 'lib'), { recursive: true, force: true });
    rmSync(join(packageFolder, 'build'), { recursive: true, force: true });
    progress('Compiling the TensorFlow binding (node-gyp)');
    const bin = join(target, 'node_modules', '.bin');
    const buildEnv: NodeJS.ProcessEnv = {
      ...env,
      PATH: [dirname(node), bin, env.PATH ?? ''].join(delimiter),
      npm_config_nodedir: headers,
      // Compile here instead of fetching a prebuilt binding.
      npm_config_build_from_source: 'true',
      npm_config_node_gyp: env.npm_config_node_gyp ?? nodeGypBesideNpm(npm) ?? '',
    };
    if (!buildEnv.npm_config_node_gyp) delete buildEnv.npm_config_node_gyp;
    const { code, output } = await run(node, [join(packageFolder, 'scripts', 'install.js')], { cwd: packageFolder, env: buildEnv, onOutput: options.onOutput });
    if (code !== 0 || !bindingOf(packageFolder)) {
      const why = /No such file or directory|not found/.test(output) && /g\+\+|c\+\+|make/.test(output) ? 'compiler' : /node_api\.h|common\.gypi|nodedir/.test(output) ? 'node-headers' : /c_api\.h|libtensorflow/.test(output) ? 'tensorflow' : undefined;
      throw new NativeSetupError(`compiling the ${TFJS_NODE_PACKAGE} binding failed:\n${tail(output, 8)}`, why, tail(output));
    }
  }
  const binding = bindingOf(packageFolder);
  if (!binding) throw new NativeSetupError(`${TFJS_NODE_PACKAGE} was installed but has no native binding (its install script did not finish)`, chosen === 'npm' ? 'network' : undefined);

  progress('Checking that it loads');
  await verifyNativeBackend(packageFolder, node, env);
  const newStamp: Stamp = { tfjsNode: TFJS_NODE_VERSION, source: chosen, ...(tensorflow ? { tensorflowDir: tensorflow.dir, tensorflowVersion: tensorflow.version, library: libraryIdentity(tensorflow.library) } : {}) };
  writeFileSync(join(target, STAMP_FILE), `${JSON.stringify(newStamp, null, 2)}\n`);
  return { target, packageFolder, binding, source: chosen, ...(tensorflow ? { tensorflow: { dir: tensorflow.dir, version: tensorflow.version } } : {}), reused: false, ms: performance.now() - started };
}

/** node-gyp as npm ships it (node-pre-gyp finds it there too, but only beside the Node.js that runs it). */
function nodeGypBesideNpm(npm: string): string | undefined {
  try {
    const npmRoot = dirname(dirname(realpathSync(npm)));
    const file = join(npmRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}
