/**
 * Which files the analysis may read beside the analysed one. Pure path logic (POSIX and
 * Windows paths alike through `node:path`), so the policy is unit-tested.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { folderContains } from '../../core/paths';

/**
 * Resolves a path as written in code (`"config.json"`, `"../data/x.csv"`) against the
 * folder of the file that names it, and returns it only when it lies inside one of
 * `roots`. With no workspace folder open, the analysed file's own folder is the root.
 */
export function resolveInside(written: string, fromPath: string, roots: readonly string[]): string | undefined {
  if (written.length === 0 || written.includes('\0')) return undefined;
  const fromFolder = dirname(fromPath);
  const target = isAbsolute(written) ? resolve(written) : resolve(fromFolder, written);
  const allowed = roots.length > 0 ? roots : [fromFolder];
  return allowed.some((root) => folderContains(resolve(root), target)) ? target : undefined;
}

const SOURCE_LIKE = new Set(['.json', '.py', '.pyw', '.ipynb', '.yaml', '.yml', '.toml', '.cfg', '.ini']);

/**
 * Data files (`.csv`, `.npy`, `.parquet`, ...) are only read in a trusted workspace; text the
 * user would read anyway (configs, code) is read in restricted mode too.
 */
export function isDataFile(path: string): boolean {
  const dot = path.lastIndexOf('.');
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (dot <= slash) return true;
  return !SOURCE_LIKE.has(path.slice(dot).toLowerCase());
}

/**
 * The coordinates the core works in: paths relative to the workspace folder of the analysed
 * file, as the CLI uses them, so that messages say `config.json:3` rather than a full path.
 * Files outside every folder keep their absolute path.
 */
export class PathFrame {
  constructor(readonly root: string | undefined) {}

  /** Absolute path -> the path the core sees. */
  toCore(absolute: string): string {
    if (!this.root || !folderContains(this.root, absolute)) return absolute;
    return relative(this.root, absolute) || absolute;
  }

  /** A path from the core (relative to the root, or absolute) -> absolute. */
  toAbsolute(corePath: string): string {
    return isAbsolute(corePath) || !this.root ? corePath : resolve(this.root, corePath);
  }
}
