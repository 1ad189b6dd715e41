import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Tree } from 'web-tree-sitter';
import { parseWith, pythonParser, walkRecord as record, walkTree } from '../../src/core/frontends/python/parser';
import { generateScriptOfLines } from '../../bench/corpus';


async function parsed(text: string): Promise<Tree> {
  const tree = parseWith(await pythonParser(), text);
  assert.ok(tree);
  return tree;
}

const examples = join(__dirname, '../../examples');
const TEXTS: [string, string][] = [
  ...readdirSync(examples)
    .filter((f) => f.endsWith('.py'))
    .map((f): [string, string] => [f, readFileSync(join(examples, f), 'utf8')]),
  ['generated 300-line script', generateScriptOfLines(300, 300)],
  ['half-typed code', 'model.compile(optimizer=Adam(lr=\nx = [1, 2,\ndef f(:\n  return )\n'],
  ['deep nesting', `x = ${'['.repeat(300)}1${']'.repeat(300)}\n`],
  ['non-ASCII and CRLF', 'données = np.array([1, 2])  # é\r\nπ = 3.14\r\nΔ = données / π\r\n'],
  ['empty', ''],
];

describe('python front-end: the tree walk', () => {
  it('calls the WebAssembly cursor directly with the pinned web-tree-sitter', async () => {
    const tree = await parsed('x = 1\n');
    const walk = walkTree(tree);
    try {
      assert.notEqual(walk.constructor.name, 'TreeCursor', 'the direct walk is what keeps the lint within twice the parse');
    } finally {
      walk.delete();
      tree.delete();
    }
  });

  for (const [name, text] of TEXTS) {
    it(`reads the same nodes as web-tree-sitter's own cursor: ${name}`, async () => {
      const tree = await parsed(text);
      try {
        const expected = record(tree.walk());
        assert.ok(expected.length >= 3);
        assert.deepEqual(record(walkTree(tree)), expected);
      } finally {
        tree.delete();
      }
    });
  }

  it('walks the same tree again and again: every walk frees its cursor', async () => {
    const text = generateScriptOfLines(7, 120);
    const tree = await parsed(text);
    try {
      const first = record(walkTree(tree));
      for (let i = 0; i < 300; i++) assert.deepEqual(record(walkTree(tree)), first);
      // The binding's own cursor still works after the direct walks.
      assert.deepEqual(record(tree.walk()), first);
    } finally {
      tree.delete();
    }
  });
});
