import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/core/frontends/notebook';
import { NO_FILES } from '../../src/core/host';
import { checkFile, resolveSettings } from '../../src/core/index';
import { LineIndex } from '../../src/core/text';

const NOTEBOOKS = join(__dirname, '..', 'fixtures', 'notebooks');
const read = (name: string) => readFileSync(join(NOTEBOOKS, name), 'utf8');

/** The text of one line of a cell. */
function cellLine(notebookText: string, cell: number, line: number): string {
  const source = (JSON.parse(notebookText) as { cells: { source: string | string[] }[] }).cells[cell].source;
  return (Array.isArray(source) ? source.join('') : source).split('\n')[line];
}

test('the Python front-end sees one program: model from cell 1, compile and fit from cell 3', async () => {
  const text = read('split_model.ipynb');
  const analysis = await analyzeNotebook('split.ipynb', text, NO_FILES);
  assert.equal(analysis.language, 'notebook');
  assert.ok(analysis.notebook, 'the map travels with the analysis');
  const model = analysis.models.find((m) => m.layers.some((l) => l.className === 'Dense'));
  assert.ok(model, `models: ${analysis.models.map((m) => m.name).join(', ')}`);
  assert.equal(model.compile?.optimizer.className, 'Adam');
  assert.equal(model.fit?.epochs.value, 100);
  // The IR is in the joined text's coordinates: the Dense layer sits on line 9 there (cell 1, line 1).
  const dense = model.layers.find((l) => l.className === 'Dense')!;
  const joinedLine = new LineIndex(analysis.notebook.source);
  const start = dense.location!.range.start;
  assert.match(analysis.notebook.source.slice(joinedLine.offsetAt({ line: start.line, character: 0 })).split('\n')[0], /Dense\(1, activation='sigmoid'\)/);
});

test('checkFile moves findings to their cells, with cell-relative ranges', async () => {
  const text = read('split_model.ipynb');
  const { findings } = await checkFile('split.ipynb', text, NO_FILES, resolveSettings());
  const inNotebook = findings.filter((f) => f.path === 'split.ipynb');
  assert.ok(inNotebook.length > 0, 'the seed example in a notebook has findings');
  // The model cell gets the findings about its layers (the sigmoid output cannot reach 1000-3000), at the layer's line.
  const inModelCell = inNotebook.filter((f) => f.cell === 1);
  assert.ok(inModelCell.length > 0, inNotebook.map((f) => `${f.rule}@${f.cell}`).join(' '));
  for (const f of inModelCell) assert.match(cellLine(text, 1, f.range.start.line), /Dense\(|Model\(|Input\(/);
  for (const f of inNotebook) {
    assert.ok(f.cell === 0 || f.cell === 1 || f.cell === 3, `${f.rule} in cell ${f.cell}`);
    const line = cellLine(text, f.cell!, f.range.start.line);
    assert.ok(line !== undefined && f.range.start.character <= line.length, `${f.rule}: cell ${f.cell} line ${f.range.start.line}`);
  }
});

test('notebooks without code, or broken ones, give a problem or nothing', async () => {
  const none = await analyzeNotebook('n.ipynb', read('no_code_cells.ipynb'), NO_FILES);
  assert.deepEqual([none.models, none.problems], [[], []]);
  const broken = await analyzeNotebook('b.ipynb', '{"cells": [', NO_FILES);
  assert.match(broken.problems[0].message, /invalid JSON/);
  const syntax = await analyzeNotebook('s.ipynb', JSON.stringify({ cells: [{ cell_type: 'markdown', source: 'x' }, { cell_type: 'code', source: 'model = (\n' }, { cell_type: 'code', source: 'def f(:\n  ]]]' }] }), NO_FILES);
  for (const p of syntax.problems) if (p.location) assert.ok(p.location.cell === 1 || p.location.cell === 2, JSON.stringify(p));
});
