/**
 * Notebooks exported to `.py` (`jupyter nbconvert --to script`) keep a `%%time` cell as
 * `get_ipython().run_cell_magic('time', '', 'hist = model.fit(...)\n')`: the cell's code is a
 * string literal, so the `fit` in it would be invisible. Where that code is plain statements,
 * the call's line is rewritten into them, joined on that one line with `;`, so that every other
 * line keeps its number and findings still point at the lines the user sees.
 */
import type { Parser as TsParser, Node as TsNode } from 'web-tree-sitter';
import { FOREIGN_CELL_MAGICS } from '../notebookMap';
import { parseWith } from './parser';

/** `get_ipython().run_cell_magic('time', '', '...')` or `...run_line_magic('time', '...')` alone on its line. */
const MAGIC_CALL = /^(\s*)(?:[A-Za-z_]\w*\s*=\s*)?get_ipython\(\)\.run_(cell|line)_magic\(\s*(['"])([A-Za-z_]\w*)\3\s*,\s*(?:(['"])[^'"\\]*\5\s*,\s*)?((['"])(?:[^\\'"]|\\.|(?!\7)['"])*\7)\s*\)\s*$/;

/** Line magics that run their argument as Python. */
const PYTHON_LINE_MAGICS = new Set(['time', 'timeit', 'prun', 'capture']);

// Statements that cannot share a line with others.
const COMPOUND = new Set([
  'function_definition',
  'class_definition',
  'decorated_definition',
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'with_statement',
  'match_statement',
]);

/** The value of a Python string literal as `repr` writes it (no prefixes); undefined for anything else. */
export function decodePythonString(literal: string): string | undefined {
  const quote = literal[0];
  if ((quote !== "'" && quote !== '"') || literal.length < 2 || literal[literal.length - 1] !== quote) return undefined;
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
      case "'":
      case '"':
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + digits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
        out += String.fromCodePoint(parseInt(hex, 16));
        i += digits;
        break;
      }
      default:
        return undefined;
    }
  }
  return out;
}

/** The code as one physical line of `;`-joined statements, or undefined when it cannot be one. */
function oneLine(parser: TsParser, code: string): string | undefined {
  const tree = parseWith(parser, code);
  if (!tree) return undefined;
  try {
    const root = tree.rootNode;
    if (root.hasError) return undefined;
    const comments = root.descendantsOfType('comment').filter((n): n is TsNode => n !== null);
    const statements: string[] = [];
    for (const statement of root.namedChildren) {
      if (!statement || statement.type === 'comment') continue;
      if (COMPOUND.has(statement.type)) return undefined;
      // A string spanning lines cannot be put on one.
      if (statement.descendantsOfType('string').some((s) => s !== null && s.text.includes('\n'))) return undefined;
      let text = '';
      let at = statement.startIndex;
      for (const comment of comments) {
        if (comment.startIndex < statement.startIndex || comment.endIndex > statement.endIndex) continue;
        text += code.slice(at, comment.startIndex);
        at = comment.endIndex;
      }
      text += code.slice(at, statement.endIndex);
      statements.push(text.replace(/\\\r?\n/g, ' ').replace(/\s*\r?\n\s*/g, ' '));
    }
    return statements.length > 0 ? statements.join('; ') : undefined;
  } finally {
    tree.delete();
  }
}

/**
 * The text with each IPython magic call whose code is Python statements replaced, on its own
 * line, by that code, and the 0-based numbers of the lines rewritten.
 */
export function expandIPythonMagics(parser: TsParser, text: string): { text: string; rewrittenLines: number[] } {
  const rewrittenLines: number[] = [];
  if (!text.includes('get_ipython()')) return { text, rewrittenLines };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('get_ipython().run_')) continue;
    const m = MAGIC_CALL.exec(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (!m) continue;
    const [, indent, kind, , magic, , literal] = m;
    if (kind === 'cell' ? FOREIGN_CELL_MAGICS.has(magic) : !PYTHON_LINE_MAGICS.has(magic)) continue;
    const code = decodePythonString(literal);
    if (code === undefined) continue;
    const joined = oneLine(parser, code);
    if (joined === undefined) continue;
    lines[i] = indent + joined + (line.endsWith('\r') ? '\r' : '');
    rewrittenLines.push(i);
  }
  return { text: rewrittenLines.length > 0 ? lines.join('\n') : text, rewrittenLines };
}
