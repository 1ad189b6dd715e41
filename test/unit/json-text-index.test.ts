import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, lineIndexOf, offsetToPosition } from '../../src/core/text';

test('offsetToPosition counts lines and characters from 0', () => {
  const text = 'ab\ncd\n\nef';
  assert.deepEqual(offsetToPosition(text, 0), { line: 0, character: 0 });
  assert.deepEqual(offsetToPosition(text, 2), { line: 0, character: 2 });
  assert.deepEqual(offsetToPosition(text, 3), { line: 1, character: 0 });
  assert.deepEqual(offsetToPosition(text, 7), { line: 3, character: 0 });
  assert.deepEqual(offsetToPosition(text, 9), { line: 3, character: 2 });
});

test('\\r\\n and lone \\r end lines as in VS Code', () => {
  const index = new LineIndex('a\r\nb\rc');
  assert.equal(index.lineCount, 3);
  assert.deepEqual(index.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(5), { line: 2, character: 0 });
});

test('offsets outside the text are clamped, not thrown', () => {
  const index = new LineIndex('abc\nde');
  assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(1000), { line: 1, character: 2 });
  assert.deepEqual(index.positionAt(NaN), { line: 0, character: 0 });
  assert.equal(index.offsetAt({ line: 1, character: 99 }), 6);
  assert.equal(index.offsetAt({ line: 7, character: 0 }), 6);
});

test('positionAt and offsetAt are inverse on every offset of a mixed text', () => {
  const text = 'x = 1\r\n\n  y = [\r\n 2]\rz\n';
  const index = new LineIndex(text);
  for (let offset = 0; offset <= text.length; offset++) {
    // Offsets between \r and \n are not positions of their own.
    if (text[offset - 1] === '\r' && text[offset] === '\n') continue;
    assert.equal(index.offsetAt(index.positionAt(offset)), offset, `offset ${offset}`);
  }
});

test('a 100,000-line text is indexed once and looked up fast', () => {
  const text = 'layer = Dense(8)\n'.repeat(100_000);
  const started = performance.now();
  const index = new LineIndex(text);
  for (let i = 0; i < 100_000; i++) index.positionAt(i * 17 + 3);
  const ms = performance.now() - started;
  assert.deepEqual(index.positionAt(17 * 99_999 + 3), { line: 99_999, character: 3 });
  assert.ok(ms < 1000, `took ${ms} ms`);
});

test('a line\'s text leaves out its terminator, whichever it is', () => {
  const index = new LineIndex('a = 1\r\nb = 2\rc = 3\n\nd');
  assert.deepEqual([0, 1, 2, 3, 4].map((l) => index.lineText(l)), ['a = 1', 'b = 2', 'c = 3', '', 'd']);
  assert.equal(index.lineText(5), undefined);
  assert.equal(index.lineText(-1), undefined);
  assert.equal(index.linesBetween(0, 2), 'a = 1\r\nb = 2\rc = 3');
  assert.equal(index.linesBetween(3, 99), '\nd');
  assert.equal(index.linesBetween(2, 1), '');
});

test('lineIndexOf keeps the index of the last text, and a new text gets its own', () => {
  const first = lineIndexOf('x\ny');
  assert.equal(lineIndexOf('x\ny'), first);
  assert.equal(lineIndexOf('x\ny\nz').lineCount, 3);
});
