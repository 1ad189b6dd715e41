// Hang guards, not speed targets: each pathological CLI run happens in its own process, killed
// if it has not answered within a bound generous enough for a loaded 2-core machine (the 10 MB
// file takes about 12 s there). A run that hangs, even one stuck in synchronous code that no
// in-process timer could interrupt, fails its test instead of holding the suite forever. How
// long each case really took is recorded in test-output/pathological.md, not asserted.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');
/** tsx's loader, by URL: the child runs in the workspace under test, where `tsx` does not resolve. */
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** Longest a single pathological run may take before it counts as hung (`NANGUARD_HANG_GUARD_MS`). */
export const HANG_GUARD_MS = Number(process.env.NANGUARD_HANG_GUARD_MS ?? 300_000);

/** The `timeout` of a test holding runs under the guard: a second guard for anything in this process. */
export const TEST_TIMEOUT_MS = 2 * HANG_GUARD_MS + 60_000;

export interface GuardedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Time the CLI took inside the child (its start, about a second of loading, left out). */
  ms: number;
  /** Wall time until the child ended, its start included. */
  wallMs: number;
  /** Peak resident memory of the child, in MB. */
  maxRssMb: number;
}

// The child runs the CLI from the sources as the tests do, and reports its exit code and peak memory on fd 3.
const CHILD = `
const { run } = require(${JSON.stringify(join(ROOT, 'src/cli/app.ts'))});
const { writeSync } = require('node:fs');
const argv = JSON.parse(process.env.NANGUARD_GUARDED_ARGV);
const started = performance.now();
run(argv, { cwd: process.cwd(), stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTTY: false, env: {} }).then(
  (code) => { writeSync(3, JSON.stringify({ code, ms: performance.now() - started, maxRss: process.resourceUsage().maxRSS })); process.exitCode = code; },
  (err) => { process.stderr.write('internal error: ' + String(err && err.stack || err)); process.exitCode = 2; },
);
`;

/** `nanguard <argv>` in `cwd`, in a child process killed after `guardMs`; rejects when it hung or died. */
export function runCliGuarded(argv: string[], cwd: string, guardMs = HANG_GUARD_MS): Promise<GuardedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', TSX, '-e', CHILD], {
      cwd,
      env: { ...process.env, NANGUARD_GUARDED_ARGV: JSON.stringify(argv) },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let report = '';
    child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (t: string) => (report += t));
    let hung = false;
    const guard = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, guardMs);
    child.on('error', (err) => {
      clearTimeout(guard);
      reject(err);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(guard);
      const wallMs = performance.now() - started;
      if (hung) {
        reject(new Error(`nanguard ${argv.join(' ')} hung: no answer within ${guardMs / 1000} s (NANGUARD_HANG_GUARD_MS)`));
        return;
      }
      let parsed: { code: number; ms: number; maxRss: number } | undefined;
      try {
        parsed = JSON.parse(report) as { code: number; ms: number; maxRss: number };
      } catch {
        parsed = undefined;
      }
      if (!parsed) {
        reject(new Error(`nanguard ${argv.join(' ')} died (exit ${exitCode ?? signal}): ${stderr.slice(0, 2000)}`));
        return;
      }
      resolve({ code: parsed.code, stdout, stderr, ms: parsed.ms, wallMs, maxRssMb: parsed.maxRss / 1024 });
    });
  });
}
