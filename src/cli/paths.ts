import { relative, sep } from 'node:path';

/** How a path is printed: relative to the current directory, with forward slashes. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** The deepest folder containing every one of the given absolute folders. */
export function commonAncestor(folders: readonly string[]): string {
  if (folders.length === 0) throw new Error('commonAncestor of nothing');
  let common = folders[0].split(sep);
  for (const folder of folders.slice(1)) {
    const parts = folder.split(sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(sep) || sep;
}
