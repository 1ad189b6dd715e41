// `(x - np.mean(x)) / np.std(x)` with no axis divides by one number of the whole array, which a
// constant column cannot make 0; `df.std()` and `X.std(axis=0)` divide column by column, and can.
// NAN105 tells them apart, and the reproduction replays each as numpy and pandas compute it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolve } from 'node:path';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS, type Finding } from '../../src/core/index';
import { applyTransforms } from '../../src/repro/data';

const ROOT = resolve(__dirname, '..', '..');
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });
// sensors.csv has a column `status` that is 7 in every row.
const PATH = 'test/fixtures/data-rules/whole_array.py';
const HEADER = 'import numpy as np\nimport pandas as pd\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const MODEL = `
autoencoder = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2, activation="relu"), layers.Dense(4)])
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=20, batch_size=32)
`;

async function nan105(data: string): Promise<Finding[]> {
  const { findings } = await checkFile(PATH, `${HEADER}${data}${MODEL}`, host, DEFAULT_SETTINGS);
  return findings.filter((f) => f.rule === 'NAN105');
}

const SENSORS = 'df = pd.read_csv("sensors.csv").dropna()\nX = df[["pressure", "temp", "flow", "status"]].values\n';

test('NAN105: a whole-array std or range is not 0 because one column is constant', async () => {
  assert.deepEqual(await nan105(`${SENSORS}X = (X - np.mean(X)) / np.std(X)\n`), []);
  assert.deepEqual(await nan105(`${SENSORS}X = (X - X.mean()) / X.std()\n`), []);
  assert.deepEqual(await nan105(`${SENSORS}X = (X - X.min()) / (X.max() - X.min())\n`), []);
  // On data nanguard cannot see, a whole-array statistic is no risk worth a warning.
  assert.deepEqual(await nan105('X = np.load("elsewhere.npy")\nX = (X - np.mean(X)) / np.std(X)\n'), []);
});

test('NAN105: per-column statistics still meet the constant column (axis=0, and pandas by default)', async () => {
  const [axis0] = await nan105(`${SENSORS}X = (X - X.mean(axis=0)) / X.std(axis=0)\n`);
  assert.match(axis0.message, /^column `status` .* is constant \(7 in all 2,000 rows\)/);
  const cols = 'df = pd.read_csv("sensors.csv").dropna()\ndf = df[["pressure", "temp", "flow", "status"]]\n';
  const [pandas] = await nan105(`${cols}X = ((df - df.mean()) / df.std()).values\n`);
  assert.ok(pandas, 'df.std() is per column');
  assert.match(pandas.message, /column `status`/);
  // pandas with axis=1 reduces each row instead: not a column statistic.
  assert.deepEqual(await nan105(`${cols}X = (df / df.std(axis=1)).values\n`), []);
  // Once `.values` has made it a numpy array, `.std()` is the whole array's again.
  assert.deepEqual(await nan105(`${cols}V = df.values\nX = (V - V.mean()) / V.std()\n`), []);
  const unknown = await nan105('X = np.load("elsewhere.npy")\nX = (X - X.mean(axis=0)) / X.std(axis=0)\n');
  assert.equal(unknown[0]?.severity, 'info');
});

test('NAN105: a whole-array statistic of an array that is constant throughout is 0, and that is an error', async () => {
  const [hit] = await nan105('X = np.array([[3.0, 3.0, 3.0, 3.0], [3.0, 3.0, 3.0, 3.0]])\nX = (X - np.mean(X)) / np.std(X)\n');
  assert.ok(hit);
  assert.equal(hit.severity, 'error');
  assert.match(hit.message, /is constant \(3 in all 8 values\): np\.std\(X\), one number for the whole array, is 0/);
});

test('the reproduction replays a whole-array standardisation with one mean and one std, as numpy does', () => {
  const x = [
    [1, 7],
    [3, 7],
  ];
  const whole = applyTransforms(x, [
    { kind: 'subtract', what: 'mean', wholeArray: true },
    { kind: 'divide', by: 'std', epsilon: false, wholeArray: true },
  ]).x;
  // numpy: mean 4.5, std 2.5980762; the constant column stays finite.
  const expected = [
    [(1 - 4.5) / 2.598076211353316, (7 - 4.5) / 2.598076211353316],
    [(3 - 4.5) / 2.598076211353316, (7 - 4.5) / 2.598076211353316],
  ];
  whole.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) < 1e-12, `${v} vs ${expected[i][j]}`)));
  const perColumn = applyTransforms(x, [
    { kind: 'subtract', what: 'mean' },
    { kind: 'divide', by: 'std', epsilon: false },
  ]).x;
  assert.ok(Number.isNaN(perColumn[0][1]), 'per column, the constant column is 0/0');
});
