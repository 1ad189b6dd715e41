/**
 * The one check of where a path lies, for every reader of files the analysed code names (the
 * command line's host, the editor's host, the reproduction's data files). Pure path logic
 * (POSIX and Windows paths alike through `node:path`); symbolic links are the caller's to resolve.
 */
import { isAbsolute, relative, sep } from 'node:path';

/** Whether `path` is `folder` itself or lies below it (both absolute and normalised). */
export function folderContains(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
