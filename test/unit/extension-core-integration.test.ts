// The extension's pure pieces against the real analysis core: the notebook it builds from
// editor cells, and the "ignore on this line" quick fix, re-linted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile, NO_FILES, resolveSettings } from '../../src/core/index';
import { applyLineEdits, suppressionEdit } from '../../src/core/edits/suppression';
import { notebookJson, type NotebookCellInput } from '../../src/extension/logic/notebook';
import { lensTargets } from '../../src/extension/logic/presentation';
import { parseWith, pythonParser } from '../../src/core/frontends/python/parser';

const SEED1 = readFileSync(join(__dirname, '..', 'vscode', 'workspace', 'seed1_unscaled.py'), 'utf8');
const settings = resolveSettings();

const DATA_CELL = [
  'import numpy as np',
  'from tensorflow import keras',
  'from tensorflow.keras.layers import Input, Dense',
  'X_train = np.array([[1, 1000], [2, 2000], [3, 3000]])',
  'X_val = np.array([[4, 4000], [5, 5000]])',
].join('\n');
const MODEL_CELL = [
  'input_layer = Input(shape=(2,))',
  "encoder = Dense(1, activation='sigmoid')(input_layer)",
  "decoder = Dense(2, activation='sigmoid')(encoder)",
  'autoencoder = keras.Model(inputs=input_layer, outputs=decoder)',
  "autoencoder.compile(optimizer='adam', loss='mse')",
  'autoencoder.fit(X_train, X_train, epochs=100, validation_data=(X_val, X_val))',
].join('\n');

test('a notebook built from editor cells is understood across cells, findings on the editor\'s cell indices', async () => {
  const cells: NotebookCellInput[] = [
    { kind: 'markup', language: 'markdown', text: '# An autoencoder' },
    { kind: 'code', language: 'python', text: DATA_CELL },
    { kind: 'code', language: 'shellscript', text: 'pip install tensorflow' },
    { kind: 'code', language: 'python', text: MODEL_CELL },
  ];
  const { analysis, findings } = await checkFile('/w/nb.ipynb', notebookJson(cells), NO_FILES, settings);
  assert.ok(findings.length > 0, 'the split model is analysed');
  const byRule = new Map(findings.map((f) => [f.rule, f]));
  const unscaled = byRule.get('NAN101');
  assert.ok(unscaled, 'unscaled input found');
  assert.equal(unscaled.cell, 1, 'the data finding is on the data cell');
  assert.equal(DATA_CELL.split('\n')[unscaled.range.start.line].startsWith('X_train'), true);
  const output = byRule.get('NAN201');
  assert.ok(output);
  assert.equal(output.cell, 3, 'the layer finding is on the model cell');
  assert.ok(MODEL_CELL.split('\n')[output.range.start.line].includes("Dense(2, activation='sigmoid')"));
  for (const f of findings) assert.ok(f.cell === 1 || f.cell === 3, `${f.rule} is on a Python cell`);
  const [lens] = lensTargets(analysis, findings);
  assert.equal(lens.location.cell, 3);
  assert.ok(MODEL_CELL.split('\n')[lens.location.range.start.line].startsWith('autoencoder.fit('));
  assert.equal(lens.findings, findings.length);
});

test('"Ignore on this line" on each finding of the seed example keeps valid Python and silences exactly that finding', async () => {
  const { findings } = await checkFile('/w/seed1.py', SEED1, NO_FILES, settings);
  assert.ok(findings.length >= 3);
  const parser = await pythonParser();
  for (const finding of findings) {
    const line = finding.range.start.line;
    const edit = suppressionEdit(SEED1.split('\n')[line], line, finding.rule);
    assert.ok(edit, `${finding.rule} can be ignored on line ${line + 1}`);
    const edited = applyLineEdits(SEED1, [edit]);
    const tree = parseWith(parser, edited);
    assert.ok(tree && !tree.rootNode.hasError, 'still valid Python');
    tree?.delete();
    const after = await checkFile('/w/seed1.py', edited, NO_FILES, settings);
    const key = (f: typeof finding) => `${f.rule}@${f.range.start.line}`;
    assert.ok(!after.findings.some((f) => key(f) === key(finding)), `${key(finding)} is gone`);
    const others = findings.filter((f) => key(f) !== key(finding)).map(key).sort();
    assert.deepEqual(after.findings.map(key).sort(), others, 'the other findings remain');
  }
});

test('a half-typed file raises no finding the intact file does not have', async () => {
  const intact = await checkFile('/w/seed1.py', SEED1, NO_FILES, settings);
  const known = new Set(intact.findings.map((f) => f.rule));
  for (const cut of ["loss='mse')", "Dense(input_dim, activation='sigmoid')(encoder)", '[3, 3000]])']) {
    const broken = SEED1.replace(cut, cut.slice(0, Math.ceil(cut.length / 2)));
    assert.notEqual(broken, SEED1);
    const result = await checkFile('/w/seed1.py', broken, NO_FILES, settings);
    for (const f of result.findings) assert.ok(known.has(f.rule), `${f.rule} (${f.message}) after cutting ${cut}`);
  }
});
