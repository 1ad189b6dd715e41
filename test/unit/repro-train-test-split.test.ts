// train_test_split replayed: the rows of each part drawn by nanguard's own generator in
// scikit-learn's sizes, the same rows for the arrays split together, a split of a split too. The
// re-creation of handson-ml2 issue 398 (fresh11): housing.csv's empty total_bedrooms cells, kept by
// two splits and a StandardScaler, reach fit, where Keras 3 goes NaN in the first epoch.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runReproduceCommand } from '../../src/cli/reproduce';
import { splitRows } from '../../src/core/data/transforms';
import { bundledWorker } from '../fixtures/repro/worker-bundle';

async function reproduce(dir: string, file: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runReproduceCommand({ file, backend: 'cpu', workerPath: await bundledWorker(), epochs: 3 }, { cwd: dir, stdout: (s) => (out += s), stderr: () => {} });
  return { code, out };
}

describe('train_test_split, replayed', () => {
  it("gives scikit-learn's sizes, disjoint parts, and the same rows to arrays split together", () => {
    const rows = Array.from({ length: 103 }, (_, i) => i);
    const doubled = rows.map((r) => r * 2);
    const split = { test: 0.2, train: null, seed: 42 };
    const train = splitRows(rows, { part: 'train', ...split });
    const test = splitRows(rows, { part: 'test', ...split });
    // ceil(0.2 x 103) = 21 test rows, the other 82 train.
    assert.equal(test.length, 21);
    assert.equal(train.length, 82);
    assert.deepEqual([...train, ...test].sort((a, b) => a - b), rows);
    assert.deepEqual(splitRows(doubled, { part: 'train', ...split }), train.map((r) => r * 2));
    assert.notDeepEqual(train, rows.slice(0, 82), 'shuffled');
    // Neither size given: a quarter is the test part; a count is a count.
    assert.equal(splitRows(rows, { part: 'test', test: null, train: null, seed: 0 }).length, 26);
    assert.equal(splitRows(rows, { part: 'train', test: 10, train: null, seed: 0 }).length, 93);
  });

  it('the empty cells of a CSV kept through two splits and a scaler make the first batch NaN, as in Keras', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanguard-split-'));
    try {
      const lines = ['rooms,bedrooms,income,value'];
      for (let i = 0; i < 400; i++) lines.push(`${1000 + i},${i % 25 === 0 ? '' : 200 + i},${(i % 13) / 2},${100000 + 500 * i}`);
      writeFileSync(join(dir, 'housing.csv'), lines.join('\n') + '\n');
      writeFileSync(
        join(dir, 'train.py'),
        [
          'import pandas as pd',
          'from sklearn.model_selection import train_test_split',
          'from sklearn.preprocessing import StandardScaler',
          'from tensorflow import keras',
          "housing = pd.read_csv('housing.csv')",
          "X = housing.drop(['value'], axis=1).values",
          "y = housing['value'].values / 100000",
          'X_train_full, X_test, y_train_full, y_test = train_test_split(X, y, test_size=0.2, random_state=42)',
          'X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, test_size=0.2, random_state=42)',
          'X_train_std = StandardScaler().fit_transform(X_train)',
          "model = keras.Sequential([keras.layers.Dense(8, activation='relu', input_shape=X_train_std.shape[1:]), keras.layers.Dense(1)])",
          "model.compile(loss='mean_squared_error')",
          'model.fit(X_train_std, y_train, epochs=3)',
        ].join('\n'),
      );
      const { code, out } = await reproduce(dir, 'train.py');
      assert.match(out, /data: training file/);
      assert.match(out, /The rows train_test_split gives each part are drawn by nanguard's own generator/);
      assert.match(out, /verdict: nan\./);
      assert.match(out, /the inputs were already non-finite/);
      assert.equal(code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inputs and targets split together stay paired: a target that is a column of the inputs is learnt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanguard-split-'));
    try {
      const lines = ['a,b,target'];
      for (let i = 0; i < 600; i++) {
        const a = ((i * 37) % 100) / 100;
        lines.push(`${a},${((i * 11) % 50) / 50},${a}`);
      }
      writeFileSync(join(dir, 'pairs.csv'), lines.join('\n') + '\n');
      writeFileSync(
        join(dir, 'fit.py'),
        [
          'import pandas as pd',
          'from sklearn.model_selection import train_test_split',
          'from tensorflow import keras',
          "df = pd.read_csv('pairs.csv')",
          "X = df[['a', 'b']].values",
          "y = df['target'].values",
          'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=7)',
          "model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])",
          "model.compile(optimizer=keras.optimizers.Adam(0.05), loss='mse')",
          'model.fit(X_train, y_train, epochs=3, batch_size=16, validation_data=(X_test, y_test))',
        ].join('\n'),
      );
      const { out } = await reproduce(dir, 'fit.py');
      assert.match(out, /data: training file, validation file/);
      // Paired rows: y = a is learnt; shuffled apart, the loss would stay near the variance of a (0.083).
      const last = /\n\s+2\s+(\S+)\s+(\S+)\n/.exec(out);
      assert.ok(last, out);
      assert.ok(Number(last[1]) < 0.01 && Number(last[2]) < 0.01, out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
