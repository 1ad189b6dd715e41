import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLineEdits, suppressionEdit } from '../../src/core/edits/suppression';
import { isSuppressed, parsePythonSuppressions } from '../../src/core/suppressions';
import { parseWith, pythonParser } from '../../src/core/frontends/python/parser';

const SOURCE = [
  'import numpy as np',
  'X = np.array([[1, 1000], [2, 2000]])  # raw readings',
  'encoded = Dense(1, activation="sigmoid")(inp)',
  'model.compile(optimizer="adam",',
  '              loss="mse")',
  'y = X + \\',
  '    1',
  'model.fit(X, X)  # nanguard: ignore[NAN201]',
  'model.fit(X, X)  # nanguard: ignore',
  '',
].join('\n');

function lineOf(text: string, line: number): string {
  return text.split(/\r?\n/)[line];
}

async function assertValidPython(text: string): Promise<void> {
  const parser = await pythonParser();
  const tree = parseWith(parser, text);
  assert.ok(tree, 'parse finished');
  try {
    assert.equal(tree.rootNode.hasError, false, `edited text parses without errors:\n${text}`);
  } finally {
    tree.delete();
  }
}

for (const [line, rule] of [
  [1, 'NAN101'],
  [2, 'NAN301'],
  [3, 'NAN401'],
  [7, 'NAN101'],
] as const) {
  test(`suppressing ${rule} on line ${line} silences it, keeps the program valid and changes only that line`, async () => {
    const edit = suppressionEdit(lineOf(SOURCE, line), line, rule);
    assert.ok(edit);
    const edited = applyLineEdits(SOURCE, [edit]);
    assert.equal(isSuppressed(parsePythonSuppressions(SOURCE), line, rule), false);
    assert.equal(isSuppressed(parsePythonSuppressions(edited), line, rule), true);
    await assertValidPython(edited);
    const before = SOURCE.split('\n');
    const after = edited.split('\n');
    assert.equal(after.length, before.length);
    after.forEach((l, i) => {
      if (i !== line) assert.equal(l, before[i]);
    });
  });
}

test('an existing rule list is extended, not duplicated', () => {
  const edit = suppressionEdit(lineOf(SOURCE, 7), 7, 'nan101');
  assert.ok(edit);
  assert.equal(lineOf(applyLineEdits(SOURCE, [edit]), 7), 'model.fit(X, X)  # nanguard: ignore[NAN201, NAN101]');
  const again = applyLineEdits(SOURCE, [edit]);
  assert.equal(suppressionEdit(lineOf(again, 7), 7, 'NAN101'), undefined);
});

test('a comment is appended after code and trailing spaces are dropped', () => {
  const edit = suppressionEdit('x = 1   ', 0, 'NAN101');
  assert.ok(edit);
  assert.equal(applyLineEdits('x = 1   ', [edit]), 'x = 1  # nanguard: ignore[NAN101]');
  const blank = suppressionEdit('', 0, 'NAN101');
  assert.ok(blank);
  assert.equal(applyLineEdits('', [blank]), '# nanguard: ignore[NAN101]');
});

test('no edit where a comment would break the statement or the line is already silenced', () => {
  assert.equal(suppressionEdit(lineOf(SOURCE, 5), 5, 'NAN101'), undefined);
  assert.equal(suppressionEdit(lineOf(SOURCE, 8), 8, 'NAN101'), undefined);
});

test('CRLF text keeps its line endings', () => {
  const text = 'a = 1\r\nb = 2\r\n';
  const edit = suppressionEdit('b = 2', 1, 'NAN101');
  assert.ok(edit);
  assert.equal(applyLineEdits(text, [edit]), 'a = 1\r\nb = 2  # nanguard: ignore[NAN101]\r\n');
});
