/** Entry point of the `nanguard` command (bundled to dist/cli.js). */
import { run } from './app';

run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nanguard: internal error: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
