/**
 * Loads web-tree-sitter and the Python grammar once per process and parses text with them.
 * The WebAssembly files are found beside a bundle in `dist/` (the build copies them there)
 * or, when running from sources, in `node_modules`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser as TsParser, Tree } from 'web-tree-sitter';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const treeSitter = require('web-tree-sitter') as typeof import('web-tree-sitter');

/** A parse that runs longer than this is abandoned: the analysis must stay interactive. */
const PARSE_DEADLINE_MS = 10_000;

function locate(fileName: string, packageSpecifier: string): string {
  const besideBundle = join(__dirname, fileName);
  if (existsSync(besideBundle)) return besideBundle;
  try {
    return require.resolve(packageSpecifier);
  } catch {
    return besideBundle;
  }
}

let parserPromise: Promise<TsParser> | undefined;

/** The shared parser; initialised on first use. */
export function pythonParser(): Promise<TsParser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      const runtimeWasm = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
      await treeSitter.Parser.init({ locateFile: () => runtimeWasm });
      const language = await treeSitter.Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
      const parser = new treeSitter.Parser();
      parser.setLanguage(language);
      return parser;
    })();
    // A failed initialisation must not poison every later call.
    parserPromise.catch(() => {
      parserPromise = undefined;
    });
  }
  return parserPromise;
}

/** Parses `text`; returns null when the parse was abandoned (deadline). The caller deletes the tree. */
export function parseWith(parser: TsParser, text: string): Tree | null {
  const deadline = Date.now() + PARSE_DEADLINE_MS;
  parser.reset();
  return parser.parse(text, null, { progressCallback: () => Date.now() > deadline });
}

/** Parses and frees the tree: the cost of parsing alone, for benchmarks. */
export async function parsePythonOnly(text: string): Promise<void> {
  const parser = await pythonParser();
  const tree = parseWith(parser, text);
  tree?.delete();
}
