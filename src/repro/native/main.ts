/**
 * `nanguard-native-setup`: sets up the native backend from the command line (CI, CLI users).
 *
 *   node dist/native-setup.js --target DIR [--python PY | --tensorflow-dir DIR] [--source auto|tensorflow|npm] [--force]
 *
 * Prints the folder to give the reproduction (`NANGUARD_TFJS_NODE=DIR`) on stdout, progress on
 * stderr. Exit code 0 when the backend loads, 1 when the setup failed (the message says what
 * is missing), 2 on a usage error.
 */
import { NativeSetupError, type NativeSource, setupNativeBackend } from './setup';

const USAGE = 'usage: native-setup --target DIR [--python PY | --tensorflow-dir DIR] [--source auto|tensorflow|npm] [--force] [--verbose]';

async function main(argv: string[]): Promise<number> {
  const options: { target?: string; python?: string; tensorflowDir?: string; source?: NativeSource; force?: boolean; verbose?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--target') options.target = value();
    else if (a === '--python') options.python = value();
    else if (a === '--tensorflow-dir') options.tensorflowDir = value();
    else if (a === '--source') {
      const s = value();
      if (s !== 'auto' && s !== 'tensorflow' && s !== 'npm') throw new Error(`--source must be auto, tensorflow or npm, not ${s}`);
      options.source = s;
    } else if (a === '--force') options.force = true;
    else if (a === '--verbose') options.verbose = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!options.target) throw new Error('--target is required');
  try {
    const result = await setupNativeBackend({
      target: options.target,
      python: options.python,
      tensorflowDir: options.tensorflowDir,
      source: options.source,
      force: options.force,
      onProgress: (step) => process.stderr.write(`native backend: ${step}\n`),
      onOutput: options.verbose ? (line) => process.stderr.write(`  ${line}\n`) : undefined,
    });
    const from = result.tensorflow ? `TensorFlow ${result.tensorflow.version} in ${result.tensorflow.dir}` : 'npm';
    process.stderr.write(`native backend: ${result.reused ? 'already set up' : 'ready'} (tfjs-node built from ${from}, ${(result.ms / 1000).toFixed(1)} s)\n`);
    process.stdout.write(`${result.target}\n`);
    return 0;
  } catch (error) {
    if (error instanceof NativeSetupError) {
      process.stderr.write(`native backend: ${error.message}${error.missing ? ` [missing: ${error.missing}]` : ''}\n`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`native backend: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  },
);
