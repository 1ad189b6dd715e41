import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_FILES } from '../../src/core/host';
import type { FileAnalysis } from '../../src/core/ir';
import { analyzePython, parsePythonOnly } from '../../src/core/frontends/python/index';
import { MAX_MATERIALISED_NUMBERS } from '../../src/core/frontends/python/literals';

const SEED_1 = `import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense

X_train = np.array([[1, 1000], [2, 2000], [3, 3000]])
input_layer = Input(shape=(2,))
encoder = Dense(1, activation='sigmoid')(input_layer)
decoder = Dense(2, activation='sigmoid')(encoder)
autoencoder = keras.Model(inputs=input_layer, outputs=decoder)
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(X_train, X_train, epochs=100)
`;

// Budgets bound the time (no hang, no blow-up) with room for a busy machine; speed itself is benchmarked elsewhere.
async function timed(text: string, budgetMs: number): Promise<FileAnalysis> {
  const started = performance.now();
  const analysis = await analyzePython('bad.py', text, NO_FILES);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < budgetMs, `took ${elapsed.toFixed(0)} ms, budget ${budgetMs} ms`);
  assert.equal(analysis.language, 'python');
  return analysis;
}

describe('python front-end: bad input is normal input', () => {
  it('empty and whitespace-only files', async () => {
    for (const text of ['', '\n\n', '   ', '# just a comment\n']) {
      const a = await timed(text, 5000);
      assert.deepEqual(a.models, []);
      assert.deepEqual(a.problems, []);
    }
  });

  it('a syntax error is reported once and the rest is still analysed', async () => {
    const broken = SEED_1.replace("encoder = Dense(1, activation='sigmoid')(input_layer)", "encoder = Dense(1, activation='sigmoid')(input_layer)\nif while def ((:\n");
    const a = await timed(broken, 5000);
    assert.equal(a.problems.length, 1);
    assert.match(a.problems[0].message, /syntax error at line \d+/);
    assert.equal(a.models.length, 1);
    assert.deepEqual(a.models[0].data.train?.stats?.map((s) => [s.min, s.max]), [
      [1, 3],
      [1000, 3000],
    ]);
  });

  it('half-typed lines at every prefix of a script never throw', async () => {
    for (let cut = 0; cut <= SEED_1.length; cut += 7) {
      const a = await analyzePython('half.py', SEED_1.slice(0, cut), NO_FILES);
      assert.equal(a.path, 'half.py');
    }
  });

  it('10,000 nested brackets', async () => {
    const a = await timed(`x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\ny = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\n`, 10_000);
    assert.deepEqual(a.models, []);
    const unclosed = await timed(`model.fit(${'['.repeat(10_000)}`, 10_000);
    assert.deepEqual(unclosed.models, []);
  });

  it('a 50,000-line file: analysis stays within a small multiple of parsing it', async () => {
    const block = SEED_1.split('\n');
    const lines: string[] = [];
    while (lines.length < 50_000) lines.push(...block);
    const text = lines.join('\n');
    // Relative to the parse measured here, so that a busy machine does not fail the test.
    let started = performance.now();
    await parsePythonOnly(text);
    const parseMs = performance.now() - started;
    started = performance.now();
    const a = await analyzePython('long.py', text, NO_FILES);
    const analysisMs = performance.now() - started;
    assert.ok(analysisMs < 10 * parseMs + 2000, `analysis ${analysisMs.toFixed(0)} ms, parse ${parseMs.toFixed(0)} ms`);
    assert.ok(a.models.length > 0);
  });

  it('a huge array literal: statistics beyond the materialisation cap', async () => {
    const rows = Math.ceil(MAX_MATERIALISED_NUMBERS / 2) + 5000;
    const values: string[] = [];
    for (let i = 0; i < rows; i++) values.push(`[${i % 7}, ${1000 + (i % 11)}]`);
    const text = `import numpy as np\nfrom keras import layers, models\nX = np.array([${values.join(', ')}])\nm = models.Sequential([layers.Dense(2, input_shape=(2,))])\nm.compile(optimizer="adam", loss="mse")\nm.fit(X, X)\n`;
    const a = await timed(text, 30_000);
    const train = a.models[0].data.train;
    assert.equal(train?.source.kind, 'literal');
    assert.deepEqual(train?.stats?.map((s) => [s.count, s.min, s.max]), [
      [rows, 0, 6],
      [rows, 1000, 1010],
    ]);
  });

  it('unicode identifiers, strings and comments keep positions in UTF-16 units', async () => {
    const text = `# données 😀\nimport numpy as np\nfrom keras import layers, models\névaluation = "日本😀"; X = np.array([[1.0, 2.0], [3.0, 4.0]])\nm = models.Sequential([layers.Dense(2, input_shape=(2,))])\nm.compile(optimizer="adam", loss="mse")\nm.fit(X, X)\n`;
    const a = await timed(text, 5000);
    const location = a.models[0].data.train?.location;
    assert.equal(location?.range.start.line, 3);
    assert.equal(location?.range.start.character, text.split('\n')[3].indexOf('X ='));
  });

  it('binary-looking and hostile text', async () => {
    await timed('\u0000\u0001\u0002 def (((( """ unterminated', 5000);
    await timed("'''".repeat(1000), 5000);
    await timed('x = ' + '1 + '.repeat(20_000) + '1\n', 10_000);
    await timed('def f(:\n  return\nclass (:\n  pass\nmodel.compile(optimizer=, loss=)\nmodel.fit(epochs=\n', 5000);
  });

  it('self-referencing and recursive code terminates', async () => {
    await timed(`
from keras import Sequential, layers
def f(n):
    return f(n + 1)
f(0)
m = Sequential()
m.add(m)
m.compile(optimizer="adam", loss="mse")
while True:
    m.add(layers.Dense(2))
`, 5000);
  });

  it('parsePythonOnly parses and frees the tree', async () => {
    await parsePythonOnly(SEED_1);
    await parsePythonOnly('');
  });
});
