// Reads the extension's 'nanguard' log output channel from the profile's log folder on disk
// (the workbench writes each log channel to `logs/<session>/exthost<N>/<extension id>/<name>.log`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findFiles(dir: string, fileName: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findFiles(p, fileName, out);
    else if (name === fileName) out.push(p);
  }
  return out;
}

export function extensionLog(userDataDir: string, extensionId = 'nanguard.nanguard', channel = 'nanguard'): string {
  return findFiles(join(userDataDir, 'logs'), `${channel}.log`)
    .filter((p) => p.includes(`/${extensionId}/`))
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
}

/** Polls the log until `pick` finds what it wants in it (the log is a file; no event to wait on). */
export async function waitForLog<T>(userDataDir: string, pick: (log: string) => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = extensionLog(userDataDir);
    const found = pick(log);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the nanguard log to show ${what}; it reads:\n${log.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Versions of `fileName` the extension reported as linted (`linted NAME (vN): ...`), in order. */
export function lintedVersions(log: string, fileName: string): number[] {
  const escaped = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...log.matchAll(new RegExp(`linted ${escaped} \\(v(\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
}
