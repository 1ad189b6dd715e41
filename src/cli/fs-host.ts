/**
 * The analysis host of the CLI: reads files that the analysed code refers to (a config
 * JSON, a CSV), relative to the referring file's folder, but only inside the workspace
 * and only up to a size cap. Everything else is refused by answering `undefined`.
 */
import { realpathSync } from 'node:fs';
import { open, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AnalysisHost } from '../core/host';
import { folderContains } from '../core/paths';
import { displayPath } from './paths';

/** Files read on behalf of the analysis (config JSON, data) are capped at this size. */
export const MAX_REFERENCED_FILE_BYTES = 5 * 1024 * 1024;

export interface FileSystemHostOptions {
  cwd: string;
  /** Absolute; nothing outside it is read. */
  workspaceRoot: string;
  maxBytes?: number;
}

export function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function createFileSystemHost(options: FileSystemHostOptions): AnalysisHost {
  const maxBytes = options.maxBytes ?? MAX_REFERENCED_FILE_BYTES;
  let realRoot: string;
  try {
    realRoot = realpathSync(options.workspaceRoot);
  } catch {
    realRoot = options.workspaceRoot;
  }
  const cache = new Map<string, Promise<{ path: string; text: string } | undefined>>();

  const read = async (target: string): Promise<{ path: string; text: string } | undefined> => {
    if (!folderContains(options.workspaceRoot, target)) return undefined;
    try {
      // A symbolic link inside the workspace must not lead out of it.
      const real = await realpath(target);
      if (!folderContains(realRoot, real)) return undefined;
      const st = await stat(real);
      if (!st.isFile() || st.size > maxBytes) return undefined;
      return { path: displayPath(options.cwd, target), text: decodeText(await readFile(real)) };
    } catch {
      return undefined;
    }
  };

  // Data files are read in ranges (the core caps and samples them), so no size cap applies here.
  const readRange = async (target: string, offset: number, length: number) => {
    if (!folderContains(options.workspaceRoot, target)) return undefined;
    try {
      const real = await realpath(target);
      if (!folderContains(realRoot, real)) return undefined;
      const handle = await open(real, 'r');
      try {
        const st = await handle.stat();
        if (!st.isFile()) return undefined;
        const want = Math.max(0, Math.min(length, st.size - offset));
        const bytes = new Uint8Array(want);
        const { bytesRead } = want > 0 ? await handle.read(bytes, 0, want, offset) : { bytesRead: 0 };
        return { path: displayPath(options.cwd, target), bytes: bytes.subarray(0, bytesRead), size: st.size };
      } finally {
        await handle.close();
      }
    } catch {
      return undefined;
    }
  };

  return {
    readBytes(relativePath, fromPath, range) {
      const from = resolve(options.cwd, fromPath);
      const target = isAbsolute(relativePath) ? resolve(relativePath) : resolve(dirname(from), relativePath);
      return readRange(target, range.offset, range.length);
    },
    readText(relativePath, fromPath) {
      const from = resolve(options.cwd, fromPath);
      const target = isAbsolute(relativePath) ? resolve(relativePath) : resolve(dirname(from), relativePath);
      let pending = cache.get(target);
      if (!pending) {
        pending = read(target);
        cache.set(target, pending);
      }
      return pending;
    },
  };
}
