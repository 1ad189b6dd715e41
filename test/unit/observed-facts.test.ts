// `check --observe`: facts measured at the program's first fit take the place of what the static
// reading lost (a loader function it cannot follow), and the findings they alone give say so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolve } from 'node:path';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS } from '../../src/core/index';
import type { FeatureStats } from '../../src/core/ir';
import { OBSERVED_WORDS, type ObservedArray, type ObservedFit } from '../../src/core/observed';

const ROOT = resolve(__dirname, '..', '..');
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });
const PATH = 'train_sensors.py';

// The data come from a function of another module: the analysis cannot know them.
const PROGRAM = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
from loaders import load_sensor_frame

X_train = load_sensor_frame("plant_7")
autoencoder = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2, activation="relu"), layers.Dense(3)])
autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
autoencoder.fit(X_train, X_train, epochs=20, batch_size=32)
`;
const FIT_LINE = 8;

function column(min: number, max: number, extra: Partial<FeatureStats> = {}): FeatureStats {
  return { count: 1000, nanCount: 0, infCount: 0, min, max, mean: (min + max) / 2, std: (max - min) / 4, ...extra };
}

function observedX(features: FeatureStats[]): ObservedFit {
  const x: ObservedArray = { shape: [1000, features.length], features, featureCount: features.length };
  return { line: FIT_LINE, modelName: 'autoencoder', x, y: null, validation: null, yIsX: true };
}

test('without observation the loader hides the data: no data finding', async () => {
  const { findings } = await checkFile(PATH, PROGRAM, host, DEFAULT_SETTINGS);
  assert.deepEqual(findings.filter((f) => ['NAN101', 'NAN104'].includes(f.rule)), []);
});

test('NaN cells observed at fit are reported, and said to be observed', async () => {
  const observed = observedX([column(0, 1), column(0, 1, { nanCount: 37, count: 963 }), column(0, 1)]);
  const { findings } = await checkFile(PATH, PROGRAM, host, DEFAULT_SETTINGS, { observed });
  const nan = findings.find((f) => f.rule === 'NAN104');
  assert.ok(nan, `no NAN104 in ${findings.map((f) => f.rule).join(', ')}`);
  assert.equal(nan.observed, true);
  assert.match(nan.message, /37 NaN values/);
  assert.ok(nan.message.endsWith(`(${OBSERVED_WORDS})`), nan.message);
});

test('unscaled values observed at fit: NAN101 with the observed range', async () => {
  const observed = observedX([column(0, 4000), column(0, 1), column(0, 1)]);
  const { findings } = await checkFile(PATH, PROGRAM, host, DEFAULT_SETTINGS, { observed });
  const unscaled = findings.find((f) => f.rule === 'NAN101');
  assert.ok(unscaled, `no NAN101 in ${findings.map((f) => f.rule).join(', ')}`);
  assert.equal(unscaled.observed, true);
  assert.match(unscaled.message, /0-4000/);
  assert.equal(unscaled.range.start.line, FIT_LINE, 'anchored at the fit that received the values');
});

test('clean observed data adds nothing, and the static findings are kept unmarked', async () => {
  const plain = await checkFile(PATH, PROGRAM, host, DEFAULT_SETTINGS);
  const observed = await checkFile(PATH, PROGRAM, host, DEFAULT_SETTINGS, { observed: observedX([column(-1, 1), column(-1, 1), column(-1, 1)]) });
  assert.deepEqual(
    observed.findings.map((f) => [f.rule, f.message, f.observed ?? false]),
    plain.findings.map((f) => [f.rule, f.message, false]),
  );
});

test('a fit the analysis did not find becomes a model of its own, so that its data are still checked', async () => {
  const program = `import numpy as np\nfrom my_project.training import run_training\n\nrun_training("config.yaml")\n`;
  const observed: ObservedFit = { ...observedX([column(0, 1, { nanCount: 5, count: 995 })]), line: null, modelName: 'vae' };
  const { findings, analysis } = await checkFile('run.py', program, host, DEFAULT_SETTINGS, { observed });
  assert.ok(analysis.models.some((m) => m.name === 'vae'));
  // No line in this file to anchor to: nothing is invented.
  assert.ok(findings.every((f) => f.rule !== 'NAN104' || f.observed));
});

test('a static finding about the code stays when the observed data no longer shows its cause (a zero std already divided into NaN)', async () => {
  const program = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

X = np.array([[1.0, 5.0, 2.0], [2.0, 5.0, 3.0], [3.0, 5.0, 4.0], [4.0, 5.0, 5.0]])
X = (X - X.mean(axis=0)) / X.std(axis=0)
model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2, activation="relu"), layers.Dense(3)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=5)
`;
  const plain = await checkFile(PATH, program, host, DEFAULT_SETTINGS);
  assert.ok(plain.findings.some((f) => f.rule === 'NAN105'), 'the division by a zero std is found statically');
  // What fit really receives: the constant column became 0/0 = NaN in every row.
  const observed: ObservedFit = { ...observedX([column(-1.34, 1.34), column(NaN, NaN, { count: 0, nanCount: 4 }), column(-1.34, 1.34)]), line: 8, modelName: 'model' };
  const { findings } = await checkFile(PATH, program, host, DEFAULT_SETTINGS, { observed });
  const nan105 = findings.find((f) => f.rule === 'NAN105');
  assert.ok(nan105 && !nan105.observed, 'the static NAN105 is kept');
  assert.ok(findings.some((f) => f.rule === 'NAN104' && f.observed), 'the NaN it made, observed at fit, is reported beside it');
});
