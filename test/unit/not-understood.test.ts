// A file that trains what nanguard did not follow says so on that line (an info problem with
// code `not-understood`), in the CLI's output and the editor, instead of a silent "no findings".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES } from '../../src/core/index';
import { buildReport, formatJson } from '../../src/core/output/index';

const notes = async (source: string) => (await checkFile('train.py', source, NO_FILES, DEFAULT_SETTINGS)).analysis.problems.filter((p) => p.code === 'not-understood');

test('a fit on a model built where nanguard cannot follow is named on its line; scikit-learn fits are not', async () => {
  const source = `import numpy as np
from models import build_autoencoder
from sklearn.decomposition import PCA

X = np.random.uniform(0, 1, size=(100, 8))
PCA(n_components=2).fit(X)
model = build_autoencoder(8)
model.fit(X, X, epochs=10, batch_size=32)
`;
  const [note, ...rest] = await notes(source);
  assert.deepEqual(rest, []);
  assert.equal(note.severity, 'info');
  assert.equal(note.location?.range.start.line, 7);
  assert.match(note.message, /^`model`\.fit\(\.\.\.\) trains a model nanguard did not find/);
  // The JSON report carries the code, so pipelines can tell "not checked" from "checked, fine".
  const { analysis, findings } = await checkFile('train.py', source, NO_FILES, DEFAULT_SETTINGS);
  const json = JSON.parse(formatJson(buildReport([{ path: 'train.py', findings, problems: analysis.problems }])));
  assert.equal(json.files[0].problems[0].code, 'not-understood');
});

test('a model nanguard found, and a hand-written step where it found one, give no note', async () => {
  const found = `import numpy as np
from tensorflow import keras
X = np.random.uniform(0, 1, size=(100, 8))
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(2), keras.layers.Dense(8)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=10, batch_size=32)
`;
  assert.deepEqual(await notes(found), []);
  const loop = `import tensorflow as tf
from models import make_model
model = make_model()
optimizer = tf.keras.optimizers.Adam()
for x in batches:
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
`;
  const [step] = await notes(loop);
  assert.match(step.message, /hand-written training step \(apply_gradients\)/);
  assert.equal(step.location?.range.start.line, 8);
});

test('a half-typed file (it does not parse) gets no note: the lost model is the typing\'s doing', async () => {
  const source = `import numpy as np
from tensorflow import keras
X = np.random.uniform(0, 1, size=(100, 8))
bottleneck = keras.layers.Dense(2, activation=
model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(2), keras.layers.Dense(8)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=10, batch_size=32)
`;
  assert.deepEqual(await notes(source), []);
});
