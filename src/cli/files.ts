/**
 * Which files `nanguard check` reads: the files named on the command line, and below the
 * folders named there every `.py`, `.ipynb` and `.json` file, skipping what is never the
 * user's model code (dependencies, virtual environments, hidden and cache folders).
 */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ANALYSED_EXTENSIONS = ['.py', '.pyw', '.ipynb', '.json'];
const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', 'site-packages', 'dist-packages', 'venv', 'virtualenv']);

export function isAnalysedFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return ANALYSED_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function isSkippedFolder(dir: string, name: string): boolean {
  if (name.startsWith('.') || SKIPPED_FOLDERS.has(name)) return true;
  // A virtual environment under any name.
  return existsSync(join(dir, name, 'pyvenv.cfg'));
}

export interface Collected {
  /** Absolute paths, sorted, each once. */
  files: string[];
  /** Files named explicitly on the command line (analysed whatever their extension). */
  explicit: Set<string>;
}

/** `roots` are absolute paths that exist. Symbolic links met while walking a folder are not followed. */
export function collectFiles(roots: readonly string[]): Collected {
  const files = new Set<string>();
  const explicit = new Set<string>();
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = join(dir, name);
      let st;
      try {
        st = lstatSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!isSkippedFolder(dir, name)) walk(full);
      } else if (st.isFile() && isAnalysedFileName(name)) {
        files.add(full);
      }
    }
  };
  for (const root of roots) {
    if (statSync(root).isDirectory()) walk(root);
    else {
      files.add(root);
      explicit.add(root);
    }
  }
  return { files: [...files].sort(), explicit };
}
