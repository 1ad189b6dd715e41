import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { AnalysisHost } from '../../src/core/host';
import { NO_FILES } from '../../src/core/host';
import type { DataSpec, FileAnalysis, ModelSpec } from '../../src/core/ir';
import { analyzePython } from '../../src/core/frontends/python/index';

const root = join(__dirname, '..', '..');

/** Reads files relative to the analysed file's folder, as the CLI's host does. */
const fixtureHost: AnalysisHost = {
  readText: async (relative, from) => {
    const full = join(dirname(join(root, from)), relative);
    try {
      return { path: full.slice(root.length + 1), text: readFileSync(full, 'utf8') };
    } catch {
      return undefined;
    }
  },
};

async function analyse(code: string, host: AnalysisHost = NO_FILES, path = 'test/fixtures/python/inline.py'): Promise<FileAnalysis> {
  return analyzePython(path, code, host);
}

async function firstModel(code: string, host?: AnalysisHost): Promise<ModelSpec> {
  const analysis = await analyse(code, host);
  assert.ok(analysis.models.length > 0, 'expected a model');
  return analysis.models[0];
}

function ranges(data: DataSpec | undefined): Array<[number, number]> {
  assert.ok(data?.stats, 'expected statistics');
  return data.stats.map((s) => [s.min, s.max]);
}

function close(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);
}

describe('python front-end: the seed examples', () => {
  it('seed 1: a functional sigmoid autoencoder on unscaled literal data', async () => {
    const path = 'examples/seed1_unscaled.py';
    const analysis = await analyzePython(path, readFileSync(join(root, path), 'utf8'), NO_FILES);
    assert.equal(analysis.models.length, 1);
    const m = analysis.models[0];
    assert.equal(m.name, 'autoencoder');
    assert.equal(m.kind, 'functional');
    assert.deepEqual(m.inputShape, [2]);
    assert.deepEqual(
      m.layers.map((l) => [l.className, l.name, l.config.units, l.config.activation]),
      [
        ['InputLayer', 'input_layer', undefined, undefined],
        ['Dense', 'dense', 1, 'sigmoid'],
        ['Dense', 'dense_1', 2, 'sigmoid'],
      ],
    );
    assert.deepEqual(m.layers[2].inbound, ['dense']);
    // units of the bottleneck come from `encoding_dim = 1` on line 10 (0-based 9).
    const unitsOrigin = m.layers[1].origins?.units;
    assert.equal(unitsOrigin?.kind, 'literal');
    assert.equal(unitsOrigin?.kind === 'literal' && unitsOrigin.location.range.start.line, 9);
    assert.equal(m.compile?.optimizer.className, 'Adam');
    assert.equal(m.compile?.optimizer.learningRate.value, 0.001);
    assert.equal(m.compile?.optimizer.learningRate.origin.kind, 'default');
    assert.equal(m.compile?.optimizer.epsilon?.value, 1e-7);
    assert.equal(m.compile?.loss.name, 'mse');
    assert.equal(m.fit?.epochs.value, 100);
    assert.equal(m.fit?.batchSize.value, 32);
    assert.equal(m.fit?.batchSize.origin.kind, 'default');
    assert.equal(m.fit?.shuffle.value, true);
    assert.equal(m.data.train?.name, 'X_train');
    assert.equal(m.data.train?.source.kind, 'literal');
    assert.equal(m.data.train?.statsKind, 'exact');
    assert.deepEqual(ranges(m.data.train), [
      [1, 3],
      [1000, 3000],
    ]);
    close(m.data.train!.stats![1].std, Math.sqrt(2 / 3) * 1000);
    assert.equal(m.data.train?.location?.range.start.line, 5);
    assert.equal(m.data.target?.name, 'X_train');
    assert.equal(m.fit?.validation.kind, 'data');
    if (m.fit?.validation.kind === 'data') {
      assert.equal(m.fit.validation.x?.name, 'X_val');
      assert.deepEqual(ranges(m.fit.validation.x), [
        [4, 5],
        [4000, 5000],
      ]);
      assert.equal(m.fit.validation.y?.name, 'X_val');
    }
    assert.deepEqual(analysis.problems, []);
  });

  it('seed 2: batch normalization, random data in [0, 1], linear output', async () => {
    const path = 'examples/seed2_batchnorm.py';
    const m = (await analyzePython(path, readFileSync(join(root, path), 'utf8'), NO_FILES)).models[0];
    assert.deepEqual(
      m.layers.map((l) => `${l.className}:${l.name}:${l.config.activation ?? ''}`),
      [
        'InputLayer:input_layer:',
        'Dense:dense:relu',
        'BatchNormalization:batch_normalization:',
        'Dense:dense_1:relu',
        'Dense:dense_2:relu',
        'BatchNormalization:batch_normalization_1:',
        'Dense:dense_3:linear',
      ],
    );
    assert.equal(m.layers[3].config.units, 5);
    assert.equal(m.data.train?.source.kind, 'random');
    if (m.data.train?.source.kind === 'random') {
      assert.equal(m.data.train.source.distribution, 'rand');
      assert.deepEqual(m.data.train.source.shape, [100, 10]);
    }
    assert.equal(m.data.train?.statsKind, 'bounds');
    assert.equal(m.data.train?.stats?.length, 10);
    assert.deepEqual(ranges(m.data.train)[0], [0, 1]);
  });

  it('seed 3: early stopping callback with its config', async () => {
    const path = 'examples/seed3_early_stopping.py';
    const m = (await analyzePython(path, readFileSync(join(root, path), 'utf8'), NO_FILES)).models[0];
    assert.equal(m.fit?.epochs.value, 500);
    assert.deepEqual(
      m.fit?.callbacks.map((c) => [c.className, c.config]),
      [['EarlyStopping', { monitor: 'val_loss', patience: 10, restore_best_weights: true }]],
    );
  });
});

describe('python front-end: import styles', () => {
  const body = (dense: string, input: string, model: string) => `
X = np.random.rand(10, 4)
inp = ${input}(shape=(4,))
h = ${dense}(2, activation="relu")(inp)
out = ${dense}(4)(h)
m = ${model}(inp, out)
m.compile(optimizer="sgd", loss="mean_squared_error")
m.fit(X, X)
`;
  const styles: Record<string, string> = {
    'from tensorflow.keras.layers import Dense': `import numpy as np\nfrom tensorflow.keras.layers import Dense, Input\nfrom tensorflow.keras.models import Model\n${body('Dense', 'Input', 'Model')}`,
    'from keras import layers': `import numpy as np\nimport keras\nfrom keras import layers\n${body('layers.Dense', 'keras.Input', 'keras.Model')}`,
    'import tensorflow as tf': `import numpy as np\nimport tensorflow as tf\n${body('tf.keras.layers.Dense', 'tf.keras.Input', 'tf.keras.Model')}`,
    'from keras.models import Sequential, Model': `import numpy as np\nfrom keras.models import Sequential, Model\nfrom keras.layers import Dense, Input\n${body('Dense', 'Input', 'Model')}`,
    'aliases': `import numpy as np\nimport tensorflow.keras.layers as L\nfrom tensorflow import keras as K3\n${body('L.Dense', 'K3.Input', 'K3.models.Model')}`,
  };
  for (const [style, code] of Object.entries(styles)) {
    it(style, async () => {
      const m = await firstModel(code);
      assert.deepEqual(
        m.layers.map((l) => [l.className, l.config.units ?? null, l.config.activation ?? null]),
        [
          ['InputLayer', null, null],
          ['Dense', 2, 'relu'],
          ['Dense', 4, 'linear'],
        ],
      );
      assert.equal(m.layers[2].origins?.activation?.kind, 'default');
      assert.equal(m.compile?.optimizer.className, 'SGD');
      assert.equal(m.compile?.optimizer.learningRate.value, 0.01);
      assert.equal(m.compile?.loss.name, 'mse');
      assert.equal(m.data.train?.source.kind, 'random');
    });
  }
});

describe('python front-end: model definitions', () => {
  it('Sequential with model.add, input_dim, activations given as functions', async () => {
    const m = await firstModel(`
import tensorflow as tf
from tensorflow import keras
model = keras.Sequential()
model.add(keras.layers.Dense(8, input_dim=16, activation=tf.nn.relu))
model.add(keras.layers.Dense(3, activation=keras.activations.sigmoid, name="code"))
model.add(keras.layers.Activation("tanh"))
model.add(keras.layers.LeakyReLU(0.2))
model.add(keras.layers.Dense(16))
model.compile("adam", "mse")
`);
    assert.equal(m.kind, 'sequential');
    assert.deepEqual(m.inputShape, [16]);
    assert.deepEqual(
      m.layers.map((l) => [l.className, l.name, l.config.activation ?? null]),
      [
        ['Dense', 'dense', 'relu'],
        ['Dense', 'code', 'sigmoid'],
        ['Activation', 'activation', 'tanh'],
        ['LeakyReLU', 'leaky_re_lu', null],
        ['Dense', 'dense_1', 'linear'],
      ],
    );
    assert.equal(m.layers[3].config.negative_slope, 0.2);
  });

  it('layers added in a loop and built in a function', async () => {
    const m = await firstModel(`
from keras.models import Sequential
from keras.layers import Dense, Input
def build(sizes, n_in):
    model = Sequential()
    model.add(Input(shape=(n_in,)))
    for units in sizes:
        model.add(Dense(units, activation="relu"))
    model.add(Dense(n_in, activation="linear"))
    return model
ae = build([32, 8, 32], 64)
ae.compile(optimizer="adam", loss="mse")
`);
    assert.equal(m.name, 'model');
    assert.deepEqual(m.layers.map((l) => l.config.units ?? l.className), ['InputLayer', 32, 8, 32, 64]);
    assert.deepEqual(m.inputShape, [64]);
  });

  it('encoder and decoder composed functionally: layers flattened with their sub-model', async () => {
    const analysis = await analyse(`
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model
inp = Input(shape=(20,))
encoder = Model(inp, Dense(4, activation="relu")(Dense(10, activation="relu")(inp)), name="enc")
code_in = Input(shape=(4,))
decoder = Model(code_in, Dense(20, activation="sigmoid")(Dense(10, activation="relu")(code_in)))
autoencoder = Model(inp, decoder(encoder(inp)))
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
`);
    assert.deepEqual(
      analysis.models.map((m) => m.name),
      ['autoencoder'],
    );
    const m = analysis.models[0];
    assert.deepEqual(
      m.layers.map((l) => [l.className, l.config.units ?? null, l.submodel ?? null]),
      [
        ['InputLayer', null, null],
        ['Dense', 10, 'encoder'],
        ['Dense', 4, 'encoder'],
        ['Dense', 10, 'decoder'],
        ['Dense', 20, 'decoder'],
      ],
    );
    // Python evaluates `Dense(4)` before its argument `Dense(10)(inp)`, so the outer layer is `dense`.
    assert.deepEqual(m.layers[3].inbound, ['dense']);
    assert.deepEqual(m.inputShape, [20]);
  });

  it('Sequential([encoder, decoder])', async () => {
    const analysis = await analyse(`
from keras import Sequential, layers
encoder = Sequential([layers.Input(shape=(30,)), layers.Dense(8, activation="relu")])
decoder = Sequential([layers.Dense(30, activation="sigmoid")])
autoencoder = Sequential([encoder, decoder])
autoencoder.compile(optimizer="adam", loss="mse")
`);
    assert.deepEqual(analysis.models.map((m) => m.name), ['autoencoder']);
    assert.deepEqual(
      analysis.models[0].layers.map((l) => `${l.className}@${l.submodel}`),
      ['InputLayer@encoder', 'Dense@encoder', 'Dense@decoder'],
    );
    assert.deepEqual(analysis.models[0].inputShape, [30]);
  });

  it('uncompiled models are listed when nothing is compiled', async () => {
    const analysis = await analyse(`
from keras import layers, models
a = models.Sequential([layers.Dense(3, input_shape=(5,))])
b = models.Sequential([layers.Dense(2, input_shape=(4,))])
`);
    assert.deepEqual(analysis.models.map((m) => m.name), ['a', 'b']);
  });

  it('conv, recurrent and wrapper layers keep what is written', async () => {
    const m = await firstModel(`
from tensorflow.keras import layers, Sequential
m = Sequential([
    layers.Conv2D(16, (3, 3), strides=2, padding="same", activation="relu", input_shape=(28, 28, 1)),
    layers.Dropout(0.25),
    layers.LSTM(32, activation="relu", return_sequences=True),
    layers.RepeatVector(5),
    layers.TimeDistributed(layers.Dense(2)),
    layers.GRU(4),
])
m.compile(optimizer="adam", loss="mse")
`);
    const [conv, dropout, lstm, repeat, td, gru] = m.layers;
    assert.deepEqual(conv.config, { filters: 16, kernel_size: [3, 3], strides: 2, padding: 'same', activation: 'relu', input_shape: [28, 28, 1], name: 'conv2d' });
    assert.equal(dropout.config.rate, 0.25);
    assert.equal(lstm.config.activation, 'relu');
    assert.equal(lstm.config.recurrent_activation, 'sigmoid');
    assert.equal(repeat.config.n, 5);
    assert.deepEqual((td.config.layer as { class_name: string }).class_name, 'Dense');
    assert.equal(gru.config.activation, 'tanh');
    assert.deepEqual(m.inputShape, [28, 28, 1]);
  });

  it('a subclassed model lists the layers of its attributes', async () => {
    const m = await firstModel(`
import tensorflow as tf
from tensorflow.keras import layers
from tensorflow.keras.models import Model
class Autoencoder(Model):
    def __init__(self, latent_dim):
        super().__init__()
        self.encoder = tf.keras.Sequential([layers.Flatten(), layers.Dense(latent_dim, activation="relu")])
        self.decoder = tf.keras.Sequential([layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28))])
    def call(self, x):
        return self.decoder(self.encoder(x))
autoencoder = Autoencoder(64)
autoencoder.compile(optimizer="adam", loss=tf.keras.losses.MeanSquaredError())
`);
    assert.equal(m.kind, 'subclassed');
    assert.deepEqual(m.layers.map((l) => `${l.className}:${l.config.units ?? ''}@${l.submodel}`), ['Flatten:@encoder', 'Dense:64@encoder', 'Dense:784@decoder', 'Reshape:@decoder']);
    assert.equal(m.compile?.loss.name, 'mse');
  });
});

describe('python front-end: compile', () => {
  const compiled = async (compile: string, prelude = '') =>
    (
      await firstModel(`
from tensorflow import keras
from tensorflow.keras.optimizers import Adam, SGD, RMSprop
${prelude}
m = keras.Sequential([keras.layers.Dense(2, input_shape=(2,))])
${compile}
`)
    ).compile!;

  it('optimizer objects with learning_rate, old lr, epsilon, clipnorm, clipvalue, momentum', async () => {
    const a = await compiled('m.compile(optimizer=Adam(learning_rate=0.5, epsilon=1e-8, clipnorm=1.0), loss="mse")');
    assert.equal(a.optimizer.className, 'Adam');
    assert.equal(a.optimizer.learningRate.value, 0.5);
    assert.equal(a.optimizer.learningRate.origin.kind, 'literal');
    assert.equal(a.optimizer.epsilon?.value, 1e-8);
    assert.equal(a.optimizer.clipnorm?.value, 1.0);
    const b = await compiled('m.compile(keras.optimizers.Adam(lr=0.01), "binary_crossentropy")');
    assert.equal(b.optimizer.learningRate.value, 0.01);
    assert.equal(b.loss.name, 'binary_crossentropy');
    const c = await compiled('m.compile(optimizer=SGD(0.1, momentum=0.9, clipvalue=0.5), loss=keras.losses.BinaryCrossentropy())');
    assert.equal(c.optimizer.learningRate.value, 0.1);
    assert.equal(c.optimizer.momentum?.value, 0.9);
    assert.equal(c.optimizer.clipvalue?.value, 0.5);
    assert.equal(c.loss.name, 'binary_crossentropy');
  });

  it('optimizer strings get Keras default learning rates', async () => {
    for (const [name, className, lr] of [
      ['sgd', 'SGD', 0.01],
      ['rmsprop', 'RMSprop', 0.001],
      ['adagrad', 'Adagrad', 0.001],
      ['nadam', 'Nadam', 0.001],
    ] as const) {
      const c = await compiled(`m.compile(optimizer="${name}", loss="mae")`);
      assert.equal(c.optimizer.className, className);
      assert.equal(c.optimizer.learningRate.value, lr);
      assert.equal(c.optimizer.learningRate.origin.kind, 'default');
      assert.equal(c.loss.name, 'mae');
    }
  });

  it('a custom loss function is named, and its unguarded log is a loss numeric', async () => {
    const analysis = await analyse(`
import tensorflow as tf
from tensorflow import keras
def my_error(y_true, y_pred):
    return -tf.reduce_mean(y_true * tf.math.log(y_pred) + (1 - y_true) * tf.math.log(1 - y_pred + 1e-7))
m = keras.Sequential([keras.layers.Dense(2, input_shape=(2,))])
m.compile(optimizer="adam", loss=my_error)
`);
    const m = analysis.models[0];
    const { expression, ...loss } = m.compile!.loss;
    assert.deepEqual(loss, { name: 'custom', functionName: 'my_error', location: m.compile?.loss.location });
    // Made of tf operations, so it is translated for the reproduction: -mean(t log p + (1 - t) log(1 - p + 1e-7)).
    assert.equal(expression?.op, 'neg');
    assert.deepEqual(
      m.numerics.map((n) => [n.fn, n.context, n.functionName, n.argument, n.guarded]),
      [
        ['log', 'loss', 'my_error', 'y_pred', false],
        ['log', 'loss', 'my_error', '1 - y_pred + 1e-7', true],
      ],
    );
  });
});

describe('python front-end: fit', () => {
  it('batch size, shuffle, validation split, callbacks', async () => {
    const m = await firstModel(`
import numpy as np
from keras import layers, models, callbacks
X = np.random.uniform(-1, 1, size=(500, 6))
m = models.Sequential([layers.Dense(3, input_shape=(6,)), layers.Dense(6)])
m.compile("adam", "mse")
cbs = [callbacks.TerminateOnNaN()]
cbs.append(callbacks.ReduceLROnPlateau(factor=0.5, patience=3))
m.fit(X, X, batch_size=64, epochs=20, shuffle=False, validation_split=0.1, callbacks=cbs)
`);
    assert.equal(m.fit?.batchSize.value, 64);
    assert.equal(m.fit?.batchSize.origin.kind, 'literal');
    assert.equal(m.fit?.shuffle.value, false);
    assert.equal(m.fit?.validation.kind, 'split');
    if (m.fit?.validation.kind === 'split') assert.equal(m.fit.validation.fraction.value, 0.1);
    assert.deepEqual(m.fit?.callbacks.map((c) => [c.className, c.config]), [
      ['TerminateOnNaN', {}],
      ['ReduceLROnPlateau', { factor: 0.5, patience: 3 }],
    ]);
    assert.deepEqual(ranges(m.data.train)[0], [-1, 1]);
  });
});

describe('python front-end: hyperparameters from a JSON config', () => {
  it('resolves cfg[...] and .get through json.load(open()), with-open and Path.read_text', async () => {
    const path = 'test/fixtures/python/train_from_config.py';
    const analysis = await analyzePython(path, readFileSync(join(root, path), 'utf8'), fixtureHost);
    const m = analysis.models[0];
    const configPath = 'test/fixtures/python/config.json';
    const activation = m.layers[0].origins?.activation;
    assert.equal(m.layers[0].config.activation, 'tanh');
    assert.equal(activation?.kind, 'config');
    if (activation?.kind === 'config') {
      assert.equal(activation.key, 'activation');
      assert.equal(activation.location.path, configPath);
      assert.deepEqual(activation.location.range, { start: { line: 7, character: 16 }, end: { line: 7, character: 22 } });
      assert.equal(activation.via?.range.start.line, 13);
    }
    const lr = m.compile?.optimizer.learningRate;
    assert.equal(lr?.value, 0.02);
    assert.equal(lr?.origin.kind, 'config');
    if (lr?.origin.kind === 'config') {
      assert.equal(lr.origin.key, 'optimizer.lr');
      assert.deepEqual(lr.origin.location.range.start, { line: 5, character: 10 });
    }
    assert.equal(m.fit?.epochs.value, 40);
    assert.equal(m.fit?.epochs.origin.kind, 'config');
    // Missing key: the .get default, written in the code.
    assert.equal(m.fit?.batchSize.value, 16);
    assert.equal(m.fit?.batchSize.origin.kind, 'literal');
  });

  it('a config the host cannot read leaves values unresolved, without failing', async () => {
    const m = await firstModel(`
import json
from keras import layers, models
cfg = json.load(open("missing.json"))
m = models.Sequential([layers.Dense(2, input_shape=(2,))])
m.compile(optimizer="adam", loss="mse")
m.fit(None, None, epochs=cfg["epochs"])
`);
    assert.ok(Number.isNaN(m.fit!.epochs.value));
  });
});

describe('python front-end: data transforms and statistics', () => {
  const data = async (code: string): Promise<DataSpec> => {
    const m = await firstModel(`
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler, MinMaxScaler
from sklearn.model_selection import train_test_split
from keras import layers, models
${code}
m = models.Sequential([layers.Dense(2, input_shape=(2,))])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X)
`);
    assert.ok(m.data.train);
    return m.data.train;
  };

  it('StandardScaler fit on the data: mean 0, std 1, bounds scaled', async () => {
    const d = await data('X = np.array([[1, 1000], [2, 2000], [3, 3000]], dtype="float32")\nscaler = StandardScaler()\nX = scaler.fit_transform(X)');
    assert.deepEqual(d.transforms.map((t) => t.kind), ['astype', 'scaler']);
    // float32 data is scaled in float32, as scikit-learn does (its std comes out 0.99999994 and 1.00000004).
    for (const s of d.stats!) {
      close(s.mean, 0, 1e-6);
      close(s.std, 1, 1e-6);
      close(s.max, Math.sqrt(1.5), 1e-6);
    }
  });

  it('MinMaxScaler fit on training data, applied to other data, goes outside [0, 1]', async () => {
    const m = await firstModel(`
import numpy as np
from sklearn.preprocessing import MinMaxScaler
from keras import layers, models
X = np.array([[1, 10], [3, 30]])
V = np.array([[5, 50]])
s = MinMaxScaler()
X = s.fit_transform(X)
V = s.transform(V)
m = models.Sequential([layers.Dense(2, input_shape=(2,))])
m.compile(optimizer="adam", loss="mse")
m.fit(X, X, validation_data=(V, V))
`);
    assert.deepEqual(ranges(m.data.train), [
      [0, 1],
      [0, 1],
    ]);
    assert.ok(m.fit?.validation.kind === 'data');
    if (m.fit?.validation.kind === 'data') assert.deepEqual(ranges(m.fit.validation.x), [
      [2, 2],
      [2, 2],
    ]);
  });

  it('division by 255 and hand-written standardisation, with and without epsilon', async () => {
    const d = await data('X = np.array([[0, 255], [51, 102]]) / 255.');
    assert.deepEqual(d.transforms.map((t) => (t.kind === 'divide' ? `divide:${t.by}` : t.kind)), ['divide:255']);
    assert.deepEqual(ranges(d), [
      [0, 0.2],
      [0.4, 1],
    ]);
    const z = await data('X = np.array([[1, 5], [3, 5]])\nX = (X - X.mean(0)) / X.std(0)');
    assert.deepEqual(z.transforms.map((t) => (t.kind === 'divide' ? `divide:${t.by}:${t.epsilon}` : t.kind === 'subtract' ? `subtract:${t.what}` : t.kind)), ['subtract:mean', 'divide:std:false']);
    // The constant column divides 0 by 0: numpy gives NaN, and so do the statistics.
    assert.equal(z.stats![1].nanCount, 2);
    close(z.stats![0].min, -1);
    const e = await data('X = np.array([[1, 5], [3, 5]])\nX = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)');
    assert.equal(e.transforms[1].kind === 'divide' && e.transforms[1].epsilon, true);
    assert.equal(e.stats![1].nanCount, 0);
  });

  it('range scaling, log, clip, astype, nan handling', async () => {
    const r = await data('X = np.array([[2.0, 4.0], [6.0, 8.0]])\nX = (X - X.min()) / (X.max() - X.min())');
    assert.deepEqual(r.transforms.map((t) => (t.kind === 'divide' ? `divide:${t.by}` : t.kind === 'subtract' ? `subtract:${t.what}` : t.kind)), ['subtract:min', 'divide:range']);
    assert.deepEqual(ranges(r), [
      [0, 4 / 6],
      [2 / 6, 1],
    ]);
    const l = await data('X = np.log(np.array([[1.0, 0.0], [np.e, 1.0]]))');
    assert.deepEqual(l.transforms, [{ kind: 'log', fn: 'log', guarded: false, location: l.transforms[0].location }]);
    assert.equal(l.stats![1].infCount, 1);
    const g = await data('X = np.log1p(np.array([[1.0, 0.0], [2.0, 1.0]]))');
    assert.equal(g.transforms[0].kind === 'log' && g.transforms[0].guarded, true);
    const c = await data('X = np.clip(np.random.normal(0, 10, size=(100, 2)), -5, 5).astype("float32")');
    assert.deepEqual(c.transforms.map((t) => t.kind), ['clip', 'astype']);
    assert.deepEqual(ranges(c)[0], [-5, 5]);
    const n = await data('X = np.array([[1.0, np.nan], [2.0, 3.0]])');
    assert.equal(n.stats![1].nanCount, 1);
    const f = await data('df = pd.read_csv("data.csv")\nX = df.fillna(0).values');
    assert.equal(f.source.kind, 'file');
    if (f.source.kind === 'file') assert.equal(f.source.path, 'data.csv');
    assert.deepEqual(f.transforms.map((t) => t.kind), ['fillna']);
    const dn = await data('df = pd.read_csv("data.csv").dropna()\nX = df.to_numpy()');
    assert.deepEqual(dn.transforms.map((t) => t.kind), ['dropna']);
  });

  it('random sources with bound-based statistics', async () => {
    const n = await data('X = np.random.normal(5, 2, (50, 3))');
    assert.equal(n.statsKind, 'bounds');
    // mean +- 5.8 std: all 150 draws fall inside but with probability 1e-6 (4 std is passed by one draw in 16,000).
    assert.deepEqual(ranges(n)[0], [-6.6, 16.6]);
    const i = await data('X = np.random.randint(0, 256, size=(10, 2)) / 255.0');
    close(ranges(i)[0][1], 1);
    const g = await data('rng = np.random.default_rng(0)\nX = rng.random((40, 2))');
    assert.equal(g.source.kind === 'random' && g.source.distribution, 'random');
    const fl = await data('X = np.loadtxt("x.txt")');
    assert.equal(fl.source.kind === 'file' && fl.source.loader, 'np.loadtxt');
  });

  it('slices derive from the parent, and train_test_split keeps its source with a split to replay, both keeping its statistics', async () => {
    const s = await data('D = np.array([[1, 10], [2, 20], [3, 30], [4, 40]])\nX = D[:2]');
    assert.equal(s.source.kind, 'derived');
    if (s.source.kind === 'derived') assert.equal(s.source.of, 'D');
    assert.deepEqual(ranges(s), [
      [1, 2],
      [10, 20],
    ]);
    const t = await data('D = np.random.rand(100, 2) * 1000\nX, X_test = train_test_split(D, test_size=0.2)');
    assert.equal(t.source.kind, 'random');
    assert.deepEqual(t.transforms.map((x) => x.kind), ['multiply', 'split']);
    assert.deepEqual(t.transforms[1], { kind: 'split', part: 'train', test: 0.2, train: null, seed: 0, location: t.transforms[1].location });
    assert.deepEqual(t.shape, [80, 2]);
    assert.deepEqual(ranges(t)[1], [0, 1000]);
  });

  it('folds constants: shape, arithmetic, tuples', async () => {
    const m = await firstModel(`
import numpy as np
from keras import layers, models
X_train = np.random.rand(10, 12)
input_dim = X_train.shape[1]
n = 3
hidden, code = n * 2, n - 1
m = models.Sequential([layers.Dense(hidden, input_shape=(input_dim,)), layers.Dense(code), layers.Dense(input_dim // 1)])
`);
    assert.deepEqual(m.layers.map((l) => l.config.units), [6, 2, 12]);
    assert.deepEqual(m.inputShape, [12]);
    assert.equal(m.layers[0].origins?.units?.kind, 'inferred');
  });

  it('mixed precision policy', async () => {
    const m = await firstModel(`
from tensorflow.keras import mixed_precision, layers, models
mixed_precision.set_global_policy("mixed_float16")
m = models.Sequential([layers.Dense(2, input_shape=(2,))])
`);
    assert.equal(m.dtypePolicy?.value, 'mixed_float16');
    assert.equal(m.dtypePolicy?.origin.kind, 'literal');
  });

  it('numerics in data preparation and Lambda layers', async () => {
    const m = await firstModel(`
import numpy as np
from keras import layers, models, ops
X = np.random.rand(10, 2)
X = X / X.max(axis=0)
Y = np.sqrt(X)
m = models.Sequential([layers.Dense(2, input_shape=(2,)), layers.Lambda(lambda t: ops.exp(t))])
`);
    assert.deepEqual(
      m.numerics.map((n) => [n.fn, n.context, n.guarded]),
      [
        ['divide', 'data', false],
        ['sqrt', 'data', false],
        ['exp', 'layer', false],
      ],
    );
  });

  it('a VAE sampling function in a Lambda layer: its exp is a layer numeric', async () => {
    const m = await firstModel(`
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Model
def sampling(args):
    z_mean, z_log_var = args
    return z_mean + K.exp(0.5 * z_log_var) * K.random_normal(shape=K.shape(z_mean))
x = Input(shape=(8,))
z_mean = Dense(2)(x)
z_log_var = Dense(2)(x)
z = Lambda(sampling)([z_mean, z_log_var])
vae = Model(x, Dense(8)(z))
vae.compile(optimizer="adam", loss="mse")
`);
    assert.deepEqual(m.numerics.map((n) => [n.fn, n.context, n.functionName, n.argument]), [['exp', 'layer', 'sampling', '0.5 * z_log_var']]);
    assert.deepEqual(m.layers.map((l) => l.className), ['InputLayer', 'Dense', 'Dense', 'Lambda', 'Dense']);
    assert.deepEqual(m.layers[3].inbound, ['dense', 'dense_1']);
  });

  it('suppression comments are reported', async () => {
    const a = await analyse('x = 1  # nanguard: ignore[NAN101]\n');
    assert.deepEqual(a.suppressions.map((s) => [s.line, s.rules]), [[0, ['NAN101']]]);
  });
});

describe('code that trains but is never called in the file (a library module)', () => {
  it('runs a class method that calls fit once with unknown arguments, so its model is found', async () => {
    const analysis = await analyse(
      [
        'from keras.layers import Dense, LSTM',
        'from keras.models import Sequential',
        'import numpy as np',
        '',
        'class LstmAutoEncoder(object):',
        '    def __init__(self):',
        '        self.model = None',
        '',
        '    @staticmethod',
        '    def create_model(time_window_size, metric):',
        '        model = Sequential()',
        "        model.add(LSTM(units=128, input_shape=(time_window_size, 1)))",
        "        model.add(Dense(units=time_window_size, activation='linear'))",
        "        model.compile(optimizer='adam', loss='mean_squared_error', metrics=[metric])",
        '        return model',
        '',
        '    def fit(self, timeseries_dataset, epochs=None):',
        '        x = np.expand_dims(timeseries_dataset, axis=2)',
        "        self.model = LstmAutoEncoder.create_model(timeseries_dataset.shape[1], metric='mae')",
        '        self.model.fit(x=x, y=timeseries_dataset, batch_size=8, epochs=epochs)',
        '',
      ].join('\n'),
    );
    assert.equal(analysis.models.length, 1);
    const [model] = analysis.models;
    assert.deepEqual(model.layers.map((l) => l.className), ['LSTM', 'Dense']);
    assert.deepEqual(model.inputShape, [null, 1]);
    assert.ok(model.fit, 'the fit inside the method is the model\'s');
    assert.deepEqual(analysis.problems.filter((p) => p.code === 'not-understood'), []);
  });

  it('does not run a function twice when the module calls it', async () => {
    const analysis = await analyse(
      [
        'import numpy as np',
        'from tensorflow import keras',
        '',
        'def train(x):',
        '    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2), keras.layers.Dense(4)])',
        "    model.compile(optimizer='adam', loss='mse')",
        '    model.fit(x, x, epochs=2)',
        '',
        'train(np.random.rand(64, 4))',
        '',
      ].join('\n'),
    );
    assert.equal(analysis.models.length, 1);
    assert.equal(analysis.models[0].data.train?.shape?.[0], 64);
  });
});

describe("Keras's short layer names", () => {
  it('are the classes they stand for, as to_json() writes them (MaxPool2D is a MaxPooling2D)', async () => {
    const model = await firstModel(
      [
        'from tensorflow import keras',
        'from tensorflow.keras import layers',
        'inputs = keras.Input(shape=(28, 28, 1))',
        "h = layers.Conv2D(8, 3, activation='relu', padding='same')(inputs)",
        'h = layers.MaxPool2D(2)(h)',
        'h = layers.GlobalAvgPool2D()(h)',
        'model = keras.Model(inputs, layers.Dense(4)(h))',
        '',
      ].join('\n'),
    );
    assert.deepEqual(model.layers.map((l) => l.className), ['InputLayer', 'Conv2D', 'MaxPooling2D', 'GlobalAveragePooling2D', 'Dense']);
  });
});
