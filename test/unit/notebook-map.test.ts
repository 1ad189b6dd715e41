import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../src/core/findings';
import { joinNotebook, mapFindingsToCells, mapProblemsToCells, pythonLinesOfCell, toCellLine } from '../../src/core/frontends/notebookMap';

const NOTEBOOKS = join(__dirname, '..', 'fixtures', 'notebooks');
const read = (name: string) => readFileSync(join(NOTEBOOKS, name), 'utf8');

function finding(path: string, startLine: number, startChar: number, endLine: number, endChar: number): Finding {
  return {
    rule: 'NAN000',
    cause: 'unscaled-input',
    severity: 'warning',
    path,
    range: { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } },
    message: 'm',
    related: [],
    fixes: [],
  };
}

/** Line of the joined text whose content matches. */
function lineOf(source: string, pattern: RegExp): number {
  const line = source.split('\n').findIndex((l) => pattern.test(l));
  assert.ok(line >= 0, `no line matches ${pattern}`);
  return line;
}

test('code cells are joined in order; markdown is skipped; magics and shell lines are blanked, line counts kept', () => {
  const { map, problems, ok } = joinNotebook('nb.ipynb', read('split_model.ipynb'));
  assert.ok(ok);
  assert.deepEqual(problems, []);
  assert.deepEqual(map.cells, [
    { cell: 0, startLine: 0, lineCount: 8 },
    { cell: 1, startLine: 8, lineCount: 4 },
    { cell: 3, startLine: 12, lineCount: 3 },
  ]);
  const lines = map.source.split('\n');
  assert.equal(lines.length, map.lineCount);
  assert.equal(lines[0], '');
  assert.equal(lines[1], '');
  assert.equal(lines[2], 'import numpy as np');
  assert.equal(lines[8], 'input_layer = Input(shape=(2,))');
  assert.equal(lines[12], "autoencoder.compile(optimizer='adam', loss='mse')");
  assert.ok(!map.source.includes('Training'));
});

test('a model in cell 1 and its fit in cell 3 (markdown between) map back to those cells', () => {
  const { map } = joinNotebook('nb.ipynb', read('split_model.ipynb'));
  // What a Python front-end would report on the joined text: the Dense call and the fit call.
  const denseLine = lineOf(map.source, /Dense\(1, activation='sigmoid'\)/);
  const fitLine = lineOf(map.source, /autoencoder\.fit\(/);
  const mapped = mapFindingsToCells(
    [
      finding('nb.ipynb', denseLine, 10, denseLine, 40),
      // The fit call spans two lines of cell 3.
      finding('nb.ipynb', fitLine, 10, fitLine + 1, 57),
      finding('config.json', 2, 3, 2, 6),
    ],
    map,
  );
  assert.equal(mapped[0].cell, 1);
  assert.deepEqual(mapped[0].range, { start: { line: 1, character: 10 }, end: { line: 1, character: 40 } });
  assert.equal(mapped[1].cell, 3);
  assert.deepEqual(mapped[1].range, { start: { line: 1, character: 10 }, end: { line: 2, character: 57 } });
  // Another file's finding is untouched.
  assert.equal(mapped[2].cell, undefined);
  assert.deepEqual(mapped[2].range.start, { line: 2, character: 3 });
});

test('related places and fix edits in the notebook get their cell; an edit across cells drops its fix', () => {
  const { map } = joinNotebook('nb.ipynb', read('split_model.ipynb'));
  const f = finding('nb.ipynb', 13, 0, 13, 5);
  f.related = [{ message: 'data defined here', location: { path: 'nb.ipynb', range: { start: { line: 6, character: 0 }, end: { line: 6, character: 7 } } } }];
  f.fixes = [
    { title: 'ok', edits: [{ path: 'nb.ipynb', range: { start: { line: 9, character: 43 }, end: { line: 9, character: 52 } }, newText: "'relu'" }] },
    { title: 'spans cells', edits: [{ path: 'nb.ipynb', range: { start: { line: 7, character: 0 }, end: { line: 8, character: 3 } }, newText: '' }] },
  ];
  const [m] = mapFindingsToCells([f], map);
  assert.deepEqual(m.related[0].location, { path: 'nb.ipynb', cell: 0, range: { start: { line: 6, character: 0 }, end: { line: 6, character: 7 } } });
  assert.equal(m.fixes.length, 1);
  assert.equal(m.fixes[0].edits[0].cell, 1);
  assert.deepEqual(m.fixes[0].edits[0].range.start, { line: 1, character: 43 });
});

test('a range running into the next code cell stops at the end of its own cell', () => {
  const { map } = joinNotebook('nb.ipynb', read('split_model.ipynb'));
  const [m] = mapFindingsToCells([finding('nb.ipynb', 10, 0, 13, 4)], map);
  assert.equal(m.cell, 1);
  assert.deepEqual(m.range.end, { line: 3, character: 'autoencoder = keras.Model(inputs=input_layer, outputs=decoder)'.length });
});

test('toCellLine covers every line of the joined text exactly once', () => {
  const { map } = joinNotebook('nb.ipynb', read('split_model.ipynb'));
  const seen = new Set<string>();
  for (let line = 0; line < map.lineCount; line++) {
    const at = toCellLine(map, line)!;
    seen.add(`${at.cell}:${at.line}`);
  }
  assert.equal(seen.size, map.lineCount);
  assert.equal(toCellLine(map, map.lineCount), undefined);
  assert.equal(toCellLine(map, -1), undefined);
});

test('syntax problems on the joined text move to their cell', () => {
  const { map } = joinNotebook('nb.ipynb', read('split_model.ipynb'));
  const [p] = mapProblemsToCells([{ severity: 'error', message: 'syntax error', location: { path: 'nb.ipynb', range: { start: { line: 14, character: 2 }, end: { line: 14, character: 4 } } } }], map);
  assert.equal(p.location!.cell, 3);
  assert.equal(p.location!.range.start.line, 2);
});

test('cell magics: foreign cells blanked whole, Python ones keep their body; indented shell lines become pass', () => {
  assert.deepEqual(pythonLinesOfCell('%%bash\necho hi\nls'), ['', '', '']);
  assert.deepEqual(pythonLinesOfCell('%%time\nx = 1'), ['', 'x = 1']);
  const { map } = joinNotebook('m.ipynb', read('magics.ipynb'));
  assert.deepEqual(map.source.split('\n'), ['', '', '', '', 'x = 1', 'for i in range(3):', '    pass', '    y = i', '', '']);
  assert.equal(pythonLinesOfCell('a = 5 % 2\nb = x != y')[0], 'a = 5 % 2', 'the modulo operator is not a magic');
  assert.equal(pythonLinesOfCell('a = 5 % 2\nb = x != y')[1], 'b = x != y');
});

test('source as a string or a list of strings; \\r\\n inside cells', () => {
  const nb = { cells: [{ cell_type: 'code', source: 'a = 1\r\nb = 2' }, { cell_type: 'code', source: ['c = 3\n', 'd = 4'] }], nbformat: 4 };
  const { map } = joinNotebook('x.ipynb', JSON.stringify(nb));
  assert.equal(map.source, 'a = 1\nb = 2\nc = 3\nd = 4');
});

test('bad notebooks: a clear problem or nothing, never an exception', () => {
  const cases: [string, RegExp | null][] = [
    ['', /empty notebook/],
    ['{"cells": [', /invalid JSON at line 1, column 12/],
    ['[1, 2]', /not a JSON object/],
    ['{"metadata": {}}', /no 'cells' list/],
    ['{"cells": [null, 5, "x", {"cell_type": "code", "source": 7}, {"cell_type": "code"}]}', null],
    ['{"cells": [], "metadata": {"kernelspec": {"language": "R"}}}', /R notebook/],
    [read('no_code_cells.ipynb'), null],
    ['['.repeat(100_000), /invalid JSON/],
  ];
  for (const [text, expected] of cases) {
    const result = joinNotebook('bad.ipynb', text);
    if (expected) assert.match(result.problems.map((p) => p.message).join('\n'), expected, text.slice(0, 40));
    else assert.deepEqual(result.problems, [], text.slice(0, 40));
  }
  assert.deepEqual(joinNotebook('n.ipynb', read('no_code_cells.ipynb')).map.cells, []);
});

test('nbformat 3 notebooks (worksheets, input) are read too', () => {
  const nb = { nbformat: 3, worksheets: [{ cells: [{ cell_type: 'markdown', source: 'x' }, { cell_type: 'code', input: ['import numpy as np\n', 'x = 1'] }] }] };
  const { map } = joinNotebook('old.ipynb', JSON.stringify(nb));
  assert.deepEqual(map.cells, [{ cell: 1, startLine: 0, lineCount: 2 }]);
});
