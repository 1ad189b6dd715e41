// NAN503 and time series: validating on the latest period (validation_split on data sorted by time,
// or a later slice of a dated series) is the right design for a series, not a mistake. Sorting by
// anything else before validation_split still is one.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS, NO_FILES, type Finding } from '../../src/core/index';

const ROOT = resolve(__dirname, '..', '..');
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });
const MODEL = `
autoencoder = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2, activation="relu"), layers.Dense(3)])
autoencoder.compile(optimizer="adam", loss="mse")
`;
const HEADER = 'import numpy as np\nimport pandas as pd\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

async function nan503(body: string, useHost = true): Promise<Finding[]> {
  const { findings } = await checkFile('test/fixtures/data-rules/series.py', `${HEADER}${body}${MODEL}autoencoder.fit(X, X, epochs=20, batch_size=32, validation_split=0.2)\n`, useHost ? host : NO_FILES, DEFAULT_SETTINGS);
  return findings.filter((f) => f.rule === 'NAN503');
}

test('validation_split on data sorted by its timestamp is a chronological validation: no finding', async () => {
  const body = 'df = pd.read_csv("sensors_clean.csv", parse_dates=["timestamp"])\ndf = df.sort_values("timestamp")\nX = df[["pressure", "temp", "flow"]].values.astype("float32")\n';
  assert.deepEqual(await nan503(body), []);
  const byIndex = 'df = pd.read_csv("sensors_clean.csv", index_col="timestamp", parse_dates=True)\ndf = df.sort_index()\nX = df.values.astype("float32")\n';
  assert.deepEqual(await nan503(byIndex), []);
});

test('validation_split on data sorted by a value is still flagged', async () => {
  const body = 'df = pd.read_csv("sensors_clean.csv")\ndf = df.sort_values("temp")\nX = df[["pressure", "temp", "flow"]].values.astype("float32")\n';
  const [hit] = await nan503(body);
  assert.ok(hit);
  assert.equal(hit.severity, 'warning');
  assert.match(hit.message, /the data is sorted/);
});

test('a later slice of a dated series outside the training range is a note, not a warning', async () => {
  const series = (dated: boolean) => `${HEADER}${dated ? 'dates = pd.date_range("2024-01-01", periods=6, freq="D")\n' : ''}X_train = np.array([[1.0, 2.0, 3.0], [1.5, 2.5, 3.5], [2.0, 3.0, 4.0], [2.5, 3.5, 4.5]])
X_val = np.array([[9.0, 10.0, 11.0], [9.5, 10.5, 11.5]])
${MODEL}autoencoder.fit(X_train, X_train, epochs=20, validation_data=(X_val, X_val))
`;
  const dated = (await checkFile('series.py', series(true), NO_FILES, DEFAULT_SETTINGS)).findings.filter((f) => f.rule === 'NAN503');
  assert.equal(dated.length, 1);
  assert.equal(dated[0].severity, 'info');
  assert.match(dated[0].message, /expected when a time series is validated on a later period/);
  const plain = (await checkFile('plain.py', series(false), NO_FILES, DEFAULT_SETTINGS)).findings.filter((f) => f.rule === 'NAN503');
  assert.equal(plain[0]?.severity, 'warning');
});
