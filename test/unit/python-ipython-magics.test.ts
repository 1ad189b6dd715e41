/**
 * Notebooks exported to `.py` keep a `%%time` cell as `get_ipython().run_cell_magic('time', '',
 * '...')` (greenelab/tybalt's `adage_training.py` trains its autoencoder so): the `fit` in the
 * string is analysed, on the call's line, and no fix edits that line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { decodePythonString, expandIPythonMagics } from '../../src/core/frontends/python/ipythonMagics';
import { pythonParser } from '../../src/core/frontends/python/parser';

const EXPORTED = `#!/usr/bin/env python
# coding: utf-8

# In[1]:

import numpy as np
from keras.models import Sequential
from keras.layers import Input, Dense

get_ipython().run_line_magic('matplotlib', 'inline')
x = np.random.rand(1000, 20) * 1000.0
model = Sequential([Input(shape=(20,)), Dense(8, activation='relu'), Dense(20)])
model.compile(optimizer='sgd', loss='mse')


# In[2]:

get_ipython().run_cell_magic('time', '', "hist = model.fit(x, x,  # the data as it is\\n                 epochs=5,\\n                 batch_size=32)\\nprint('done')")


# In[3]:

get_ipython().run_cell_magic('bash', '', 'ls -l\\n')
`;

describe('IPython magics of an exported notebook', () => {
  it('decodes the string literals nbconvert writes', () => {
    assert.equal(decodePythonString(String.raw`'a\nb\'c\\d\x41é'`), "a\nb'c\\dAé");
    assert.equal(decodePythonString(String.raw`"it's"`), "it's");
    assert.equal(decodePythonString(String.raw`'\q'`), undefined);
    assert.equal(decodePythonString('f'), undefined);
  });

  it('analyses the code of a %%time cell on its line, and keeps every other line', async () => {
    const parser = await pythonParser();
    const { text, rewrittenLines } = expandIPythonMagics(parser, EXPORTED);
    assert.equal(text.split('\n').length, EXPORTED.split('\n').length);
    assert.deepEqual(rewrittenLines, [17]);
    assert.equal(text.split('\n')[17], "hist = model.fit(x, x, epochs=5, batch_size=32); print('done')");
    // A bash cell and a line magic that is not code stay as written.
    assert.equal(text.split('\n')[23], EXPORTED.split('\n')[23]);
    assert.equal(text.split('\n')[9], EXPORTED.split('\n')[9]);
  });

  it('finds the fit in the string, and offers no fix that edits the rewritten line', async () => {
    const { analysis, findings } = await checkFile('adage.py', EXPORTED, NO_FILES, DEFAULT_SETTINGS);
    const model = pickModel(analysis.models);
    if (typeof model === 'string') assert.fail(model);
    assert.deepEqual([model.fit?.epochs.value, model.fit?.batchSize.value, model.fit?.location?.range.start.line], [5, 32, 17]);
    assert.ok(findings.some((f) => f.rule === 'NAN101'), findings.map((f) => f.rule).join());
    for (const finding of findings) for (const fix of finding.fixes) for (const edit of fix.edits) assert.ok(edit.range.start.line !== 17 || edit.range.end.line !== 17 || edit.range.start.character === edit.range.end.character, `${finding.rule}: ${fix.title}`);
    assert.deepEqual(analysis.rewrittenLines?.map((l) => l.range.start.line), [17]);
  });

  it('leaves a cell of compound statements as it is', async () => {
    const parser = await pythonParser();
    const source = `get_ipython().run_cell_magic('time', '', 'for i in range(3):\\n    model.fit(x, x)\\n')\n`;
    assert.equal(expandIPythonMagics(parser, source).text, source);
  });
});
