/**
 * Loads web-tree-sitter and the Python grammar once per process and parses text with them.
 * The WebAssembly files are found beside a bundle in `dist/` (the build copies them there)
 * or, when running from sources, in `node_modules`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser as TsParser, Tree, TreeCursor } from 'web-tree-sitter';

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

/** What a walk over the tree reads: the subset of web-tree-sitter's `TreeCursor` the front-end uses. */
export type TreeWalk = Pick<TreeCursor, 'gotoFirstChild' | 'gotoNextSibling' | 'gotoParent' | 'nodeTypeId' | 'startIndex' | 'endIndex' | 'delete'>;

/**
 * The WebAssembly exports behind web-tree-sitter's `TreeCursor`. Each cursor method of the
 * JavaScript binding copies the cursor's four words into the binding's transfer buffer, calls
 * one of these, and copies them back: the copying costs twice the work of the call itself, and
 * a full walk makes a few calls per node. The buffer holds the cursor between calls, so calling
 * the exports directly walks the same tree at a third of the cost.
 */
interface CursorExports {
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_delete_wasm(tree: number): void;
}

const CURSOR_EXPORTS: readonly (keyof CursorExports)[] = [
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_delete_wasm',
];

/**
 * A cursor that calls the exports directly. It takes over the state of a cursor just created by
 * `tree.walk()` (which leaves it in the transfer buffer); that JavaScript cursor is then stale and
 * is dropped without `delete()`, which would free the cursor a second time. Nothing else may call
 * into web-tree-sitter while it walks (the walk is synchronous).
 */
class DirectTreeWalk implements TreeWalk {
  constructor(
    private readonly wasm: CursorExports,
    private readonly tree: number,
  ) {}
  gotoFirstChild(): boolean {
    return this.wasm._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  }
  gotoNextSibling(): boolean {
    return this.wasm._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  }
  gotoParent(): boolean {
    return this.wasm._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  }
  get nodeTypeId(): number {
    return this.wasm._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  }
  get startIndex(): number {
    return this.wasm._ts_tree_cursor_start_index_wasm(this.tree);
  }
  get endIndex(): number {
    return this.wasm._ts_tree_cursor_end_index_wasm(this.tree);
  }
  delete(): void {
    this.wasm._ts_tree_cursor_delete_wasm(this.tree);
  }
}

/** Set once the parser is ready and the direct walk has shown it reads what the binding reads. */
let cursorExports: CursorExports | undefined;

function directWalk(wasm: CursorExports, tree: Tree): TreeWalk {
  tree.walk();
  // The tree's handle in WebAssembly memory, as the binding passes it to every cursor call.
  return new DirectTreeWalk(wasm, (tree as unknown as { 0: number })[0]);
}

/** A walk from the root of `tree`; the caller deletes it. */
export function walkTree(tree: Tree): TreeWalk {
  return cursorExports ? directWalk(cursorExports, tree) : tree.walk();
}

/** Every node of a walk in pre-order: type, start and end, as one list of numbers (the self-check below, and tests). */
export function walkRecord(walk: TreeWalk): number[] {
  const out: number[] = [];
  try {
    for (;;) {
      out.push(walk.nodeTypeId, walk.startIndex, walk.endIndex);
      if (walk.gotoFirstChild()) continue;
      while (!walk.gotoNextSibling()) if (!walk.gotoParent()) return out;
    }
  } finally {
    walk.delete();
  }
}

const SELF_CHECK_SOURCE = 'import numpy as np\ndef f(x, *a, k=1.5):\n    return [x, (k,)] + a  # note\nclass C(B):\n    y: int = f(2)[0]\nz = (\n';

/** The exports behind the binding's cursor, if present and walking exactly as the binding does. */
function checkedCursorExports(binding: Record<string, unknown>, parser: TsParser): CursorExports | undefined {
  if (!CURSOR_EXPORTS.every((name) => typeof binding[name] === 'function')) return undefined;
  const direct = binding as unknown as CursorExports;
  const tree = parser.parse(SELF_CHECK_SOURCE);
  if (!tree) return undefined;
  try {
    const expected = walkRecord(tree.walk());
    const got = walkRecord(directWalk(direct, tree));
    return expected.length > 0 && expected.length === got.length && expected.every((v, i) => v === got[i]) ? direct : undefined;
  } catch {
    return undefined;
  } finally {
    tree.delete();
  }
}

let parserPromise: Promise<TsParser> | undefined;

/** The shared parser; initialised on first use. */
export function pythonParser(): Promise<TsParser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      const runtimeWasm = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
      // Emscripten builds the WebAssembly module onto the options object: it is the binding.
      const binding: Record<string, unknown> = { locateFile: () => runtimeWasm };
      await treeSitter.Parser.init(binding);
      const language = await treeSitter.Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
      const parser = new treeSitter.Parser();
      parser.setLanguage(language);
      cursorExports = checkedCursorExports(binding, parser);
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
