/**
 * Models built in the program's own modules (`from models import build_autoencoder`): the module
 * is read through the host and its code run where the script calls it, so the script's model is
 * the one the module builds. Findings stay in the script, at the call; no fix edits the call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';

const MODELS = `from tensorflow import keras
from tensorflow.keras import layers

LATENT = 4


def build_autoencoder(input_dim, lr=0.01):
    inputs = keras.Input(shape=(input_dim,))
    h = layers.Dense(16, activation="relu")(inputs)
    z = layers.Dense(LATENT, activation="relu")(h)
    h = layers.Dense(16, activation="relu")(z)
    outputs = layers.Dense(input_dim)(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse")
    return model


class Autoencoder(keras.Model):
    def __init__(self, dim):
        super().__init__()
        self.enc = layers.Dense(8, activation="relu")
        self.dec = layers.Dense(dim)

    def call(self, x):
        return self.dec(self.enc(x))
`;

function workspace(files: Record<string, string>): { root: string; check: (name: string) => ReturnType<typeof checkFile> } {
  const root = mkdtempSync(join(tmpdir(), 'nanguard-modules-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  const host = createFileSystemHost({ cwd: root, workspaceRoot: root });
  return { root, check: (name) => checkFile(join(root, name), files[name], host, DEFAULT_SETTINGS) };
}

test('a builder imported from models.py builds the script\'s model; findings point at the call in the script', async () => {
  const script = `import numpy as np
from models import build_autoencoder

x = np.random.rand(2000, 12) * 5000
model = build_autoencoder(x.shape[1])
model.fit(x, x, epochs=10, batch_size=32)
`;
  const { root, check } = workspace({ 'models.py': MODELS, 'train.py': script });
  try {
    const { findings, analysis } = await check('train.py');
    const model = analysis.models.find((m) => m.fit);
    assert.ok(model, 'the model the module builds is found');
    assert.deepEqual(model.layers.filter((l) => l.className === 'Dense').map((l) => l.config.units), [16, 4, 16, 12]);
    assert.equal(model.compile?.optimizer.learningRate.value, 0.01);
    assert.ok(findings.some((f) => f.rule === 'NAN101'), findings.map((f) => f.rule).join(' '));
    for (const f of findings) assert.equal(f.path, join(root, 'train.py'));
    // SGD's missing clipnorm is in models.py: no fix may edit the call `build_autoencoder(x.shape[1])`.
    const clip = findings.find((f) => f.rule === 'NAN304');
    assert.ok(clip);
    assert.equal(clip.range.start.line, 4);
    assert.deepEqual(clip.fixes, []);
    const planned = buildPlan(pickModel(analysis.models) as Exclude<ReturnType<typeof pickModel>, string>, { seed: 0 });
    assert.ok(!('refused' in planned), 'refused' in planned ? planned.refused : '');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('import models as m; m.Autoencoder(12): a subclassed model of the module, and its module constant', async () => {
  const script = `import numpy as np
import models as m
from tensorflow import keras

x = np.random.rand(2000, 12) * 5000
ae = m.Autoencoder(12)
ae.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
ae.fit(x, x, epochs=10)
print(m.LATENT)
`;
  const { root, check } = workspace({ 'models.py': MODELS, 'train.py': script });
  try {
    const { findings, analysis } = await check('train.py');
    const model = analysis.models.find((mm) => mm.fit);
    assert.ok(model);
    assert.equal(model.kind, 'subclassed');
    assert.deepEqual(model.layers.filter((l) => l.className === 'Dense').map((l) => l.config.units), [8, 12]);
    assert.ok(findings.some((f) => f.rule === 'NAN101'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a module in a package folder, a module that does not parse, and a binary file named like a module', async () => {
  const script = `import numpy as np
from nets.dense import build_autoencoder
from broken import helper
from blob import thing

x = np.random.rand(2000, 12)
model = build_autoencoder(12)
model.fit(x, x, epochs=10, batch_size=32)
`;
  const { root, check } = workspace({ 'nets/dense.py': MODELS, 'broken.py': 'def helper(:\n  return (\n', 'blob.py': '\u0000\u0001\u0002binary', 'train.py': script });
  try {
    const { analysis } = await check('train.py');
    assert.ok(analysis.models.some((m) => m.fit && m.layers.some((l) => l.config.units === 4)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('from params import *: the settings a sibling file defines size the model (chaitanya100100/VAE-for-Image-Generation)', async () => {
  const params = `img_rows, img_cols, img_chns = 32, 32, 3
latent_dim = 2
intermediate_dim = 128
_private = 7
`;
  const script = `import numpy as np
from keras.layers import Input, Dense, Flatten, Conv2D
from keras.models import Model
from params import *

x = Input(shape=(img_rows, img_cols, img_chns))
h = Dense(intermediate_dim, activation='relu')(Flatten()(Conv2D(img_chns, kernel_size=(2, 2), padding='same')(x)))
out = Dense(latent_dim)(h)
model = Model(x, out)
model.compile(optimizer='adam', loss='mse')
model.fit(np.random.rand(64, 32, 32, 3), np.random.rand(64, 2), epochs=1)
`;
  const { root, check } = workspace({ 'params.py': params, 'train.py': script });
  try {
    const { analysis } = await check('train.py');
    const model = pickModel(analysis.models);
    if (typeof model === 'string') assert.fail(model);
    assert.deepEqual(model.inputShape, [32, 32, 3]);
    assert.deepEqual(model.layers.filter((l) => l.className === 'Dense').map((l) => l.config.units), [128, 2]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("modules' own imports: a package whose __init__.py imports .model, which imports the script's sibling config, and a module imported twice runs once", async () => {
  const script = `import numpy as np
from lstm_ae import build
from lstm_ae.model import build as same_build

x = np.random.rand(500, 12)
model = build(x.shape[1])
model.fit(x, x, epochs=4, batch_size=32)
`;
  const files = {
    'train.py': script,
    'lstm_ae/__init__.py': 'from .model import build\n',
    'lstm_ae/model.py': `from tensorflow import keras
from settings import HIDDEN
from .layers import bottleneck


def build(dim):
    inputs = keras.Input(shape=(dim,))
    h = keras.layers.Dense(HIDDEN, activation="relu")(inputs)
    z = bottleneck()(h)
    outputs = keras.layers.Dense(dim)(z)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model
`,
    'lstm_ae/layers.py': 'from tensorflow import keras\n\ndef bottleneck():\n    return keras.layers.Dense(3, activation="tanh")\n',
    'settings.py': 'HIDDEN = 10\n',
  };
  const { root, check } = workspace(files);
  try {
    const { analysis } = await check('train.py');
    const model = analysis.models.find((m) => m.fit);
    assert.ok(model, analysis.problems.map((p) => p.message).join('; '));
    assert.deepEqual(model.layers.filter((l) => l.className === 'Dense').map((l) => l.config.units), [10, 3, 12]);
    assert.equal(analysis.models.length, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a config file a module opens (common.py's yaml_load of baseline.yaml) is read as the script's own: it sizes the model (DCASE 2022 task 2 baseline)", async () => {
  const script = `import common as com
import numpy as np
from tensorflow import keras

param = com.yaml_load()
x = np.random.rand(300, param["feature"]["n_mels"] * param["feature"]["n_frames"])
inputs = keras.Input(shape=(param["feature"]["n_mels"] * param["feature"]["n_frames"],))
outputs = keras.layers.Dense(param["feature"]["n_mels"] * param["feature"]["n_frames"])(keras.layers.Dense(8, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=param["fit"]["lr"]), loss="mse")
model.fit(x, x, epochs=param["fit"]["epochs"], batch_size=param["fit"]["batch_size"])
`;
  const files = {
    'train.py': script,
    'common.py': 'import yaml\n\ndef yaml_load():\n    with open("baseline.yaml") as stream:\n        param = yaml.safe_load(stream)\n    return param\n',
    'baseline.yaml': 'feature:\n  n_mels: 16\n  n_frames: 5\nfit:\n  lr: 0.001\n  epochs: 7\n  batch_size: 64\n',
  };
  const { root, check } = workspace(files);
  try {
    const { analysis } = await check('train.py');
    const model = analysis.models.find((m) => m.fit);
    assert.ok(model);
    assert.deepEqual(model.layers.filter((l) => l.className === 'Dense').map((l) => l.config.units), [8, 80]);
    assert.equal(model.fit?.epochs.value, 7);
    assert.equal(model.fit?.batchSize.value, 64);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
