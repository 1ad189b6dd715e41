/** Entry point of the `nanguard` command (bundled to dist/cli.js). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './app';

// The analysis worker is bundled beside the command (dist/analysis-worker.js).
const analysisWorkerPath = join(__dirname, 'analysis-worker.js');

// Output piped into a reader that stops early (`| head`): stop quietly, as other command-line tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  ...(existsSync(analysisWorkerPath) ? { analysisWorkerPath } : {}),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nanguard: internal error: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
