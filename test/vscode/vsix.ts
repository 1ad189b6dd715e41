// Builds the VSIX the way a release does (`npm run package`) and lists what is inside it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './code-server';

export const defaultVsixPath = join(repoRoot, 'dist', 'nanguard.vsix');

export interface PackagedVsix {
  path: string;
  bytes: number;
  /** How long `npm run package` took, or undefined when a prebuilt VSIX was given. */
  packageMs?: number;
}

/** `npm run package`, unless NANGUARD_VSIX names a VSIX to test instead. */
export function packageVsix(): PackagedVsix {
  const given = process.env.NANGUARD_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`NANGUARD_VSIX=${given} does not exist`);
    return { path: given, bytes: statSync(given).size };
  }
  const started = Date.now();
  const r = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0 || !existsSync(defaultVsixPath)) {
    throw new Error(`npm run package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { path: defaultVsixPath, bytes: statSync(defaultVsixPath).size, packageMs: Date.now() - started };
}

/** The names of the entries of a zip file (a VSIX is one), read from its central directory. */
export function zipEntries(path: string): string[] {
  const buf = readFileSync(path);
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${path} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${i}`);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    names.push(buf.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
