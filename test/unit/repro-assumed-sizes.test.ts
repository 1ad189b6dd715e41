/**
 * Models whose sizes come from data nanguard cannot see (a CSV that is not in the workspace, the
 * data a library module's `fit(self, data)` is given by another program): the findings never
 * assume a size; the reproduction, whose data would be a stand-in anyway, builds the model at an
 * assumed size, says so, and trains it for real.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { AnalysisHost } from '../../src/core/host';
import type { FileAnalysis, ModelSpec } from '../../src/core/ir';
import { ASSUMED_SIZE, planAssumingUnseenSizes } from '../../src/repro/assumedSizes';
import { buildPlan, type PlanResult } from '../../src/repro/plan';
import { onStandInData } from '../../src/repro/summary';
import { trainOnCpu } from './repro-plans';

const CSV_NOT_HERE = `
import pandas as pd
from tensorflow import keras
from tensorflow.keras.layers import Dense
from sklearn.model_selection import train_test_split

df = pd.read_csv('anomaly.csv')
x = df.values
x_train, x_test = train_test_split(x, test_size=0.25, random_state=42)
model = keras.Sequential()
model.add(Dense(10, input_dim=x.shape[1], activation='relu'))
model.add(Dense(3, activation='relu'))
model.add(Dense(x.shape[1]))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(x_train, x_train, epochs=3)
`;

// A library module in the style of keras-anomaly-detection: the class trains on data another script passes.
const LIBRARY_MODULE = `
from keras.models import Sequential
from keras.layers import Conv1D, GlobalMaxPool1D, Dense

class Conv1DAutoEncoder(object):
    def __init__(self):
        self.model = None
        self.time_window_size = None

    @staticmethod
    def create_model(time_window_size):
        model = Sequential()
        model.add(Conv1D(filters=256, kernel_size=5, padding='same', activation='relu', input_shape=(time_window_size, 1)))
        model.add(GlobalMaxPool1D())
        model.add(Dense(units=time_window_size, activation='linear'))
        model.compile(optimizer='adam', loss='mean_squared_error')
        return model

    def fit(self, dataset, batch_size=8, epochs=100, validation_split=0.1):
        self.time_window_size = dataset.shape[1]
        input_timeseries_dataset = np.expand_dims(dataset, axis=2)
        self.model = self.create_model(self.time_window_size)
        self.model.fit(x=input_timeseries_dataset, y=dataset, batch_size=batch_size, epochs=epochs, validation_split=validation_split)
`;

function fitted(analysis: FileAnalysis): ModelSpec {
  const model = analysis.models.find((m) => m.fit);
  assert.ok(model, 'a fitted model');
  return model;
}

/** The plan the reproduction makes of the file's fitted model, with the reanalyses it asked for counted. */
async function planOf(source: string, host: AnalysisHost = NO_FILES, workspaceRoot = mkdtempSync(join(tmpdir(), 'nanguard-assumed-'))): Promise<{ result: PlanResult; reanalyses: number }> {
  const model = fitted(await analyzeFile('train.py', source, host));
  let reanalyses = 0;
  const result = await planAssumingUnseenSizes(model, { epochs: 2, workspaceRoot }, (assumeUnseenSize) => {
    reanalyses++;
    return analyzeFile('train.py', source, host, { assumeUnseenSize });
  });
  return { result, reanalyses };
}

describe('sizes assumed where the data is not seen', () => {
  it('the findings never assume: the analysis leaves the size unknown, and the plan alone is refused for it', async () => {
    const analysis = await analyzeFile('train.py', CSV_NOT_HERE, NO_FILES);
    assert.equal(analysis.assumedSizes, undefined);
    const refused = buildPlan(fitted(analysis));
    assert.ok('refused' in refused);
    assert.equal(refused.cause, 'unseen-size');
    assert.match(refused.refused, /`x\.shape\[1\]`/);
  });

  it('a CSV that is not in the workspace: built at the assumed size, said with the code and its line, and trained on stand-in data', async () => {
    const { result, reanalyses } = await planOf(CSV_NOT_HERE);
    assert.equal(reanalyses, 1);
    if ('refused' in result) assert.fail(result.refused);
    const plan = result.plan;
    assert.deepEqual(plan.inputShape, [ASSUMED_SIZE]);
    assert.equal(plan.data.provenance.train, 'synthetic');
    const note = plan.notes.find((n) => n.text.includes('assumed to be'));
    assert.ok(note, 'a note on the assumed size');
    assert.equal(note.kind, 'stand-in');
    assert.match(note.text, /`x\.shape` \(line 11\)/);
    assert.match(note.text, /anomaly\.csv, which is not in the workspace/);
    assert.match(note.text, /with the data in the workspace, the run uses your sizes/);
    // The output layer takes the same assumed size: the model gives back its input.
    const units = plan.kerasJson.config.layers.map((l) => (l.config as { units?: number }).units).filter((u) => u !== undefined);
    assert.deepEqual(units, [10, 3, ASSUMED_SIZE]);
    const summary = await trainOnCpu(plan);
    assert.equal(summary.epochsRun, 2);
    assert.ok(summary.history.loss.every((l) => typeof l === 'number' && Number.isFinite(l)), "a real run, with finite losses");
    assert.ok(onStandInData(summary), 'the verdict is said to be on stand-in data');
  });

  it("a conv autoencoder sized by `x.shape[1:]` of unseen images: the image gets a channel axis of 1, and `input_shape[2]` filters give it back (DCEC's CAE)", async () => {
    const { result } = await planOf(`
from keras.models import Sequential
from keras.layers import Conv2D, Conv2DTranspose, Dense, Flatten, Reshape
from datasets import load_usps

def CAE(input_shape=(28, 28, 1), filters=[8, 16, 10]):
    model = Sequential()
    model.add(Conv2D(filters[0], 5, strides=2, padding='same', activation='relu', input_shape=input_shape))
    model.add(Conv2D(filters[1], 5, strides=2, padding='same', activation='relu'))
    model.add(Flatten())
    model.add(Dense(units=filters[2]))
    model.add(Dense(units=filters[1] * int(input_shape[0] / 4) * int(input_shape[0] / 4), activation='relu'))
    model.add(Reshape((int(input_shape[0] / 4), int(input_shape[0] / 4), filters[1])))
    model.add(Conv2DTranspose(filters[0], 5, strides=2, padding='same', activation='relu'))
    model.add(Conv2DTranspose(input_shape[2], 5, strides=2, padding='same'))
    return model

x, y = load_usps('data/usps')
model = CAE(input_shape=x.shape[1:])
model.compile(optimizer='adam', loss='mse')
model.fit(x, x, batch_size=256, epochs=2)
`);
    if ('refused' in result) assert.fail(result.refused);
    assert.deepEqual(result.plan.inputShape, [ASSUMED_SIZE, ASSUMED_SIZE, 1]);
    // The note says where the 1 came from, not only the unseen size.
    const note = result.plan.notes.find((n) => n.text.includes('assumed to be'));
    assert.ok(note);
    assert.match(note.text, new RegExp(`Each unseen dimension is assumed to be ${ASSUMED_SIZE}, and the channel axis an image layer needs past such a shape to be 1 \\(a grey image\\)`));
    const summary = await trainOnCpu(result.plan);
    assert.equal(summary.history.loss.length, 2, summary.verdict);
  });

  it('an `Input(shape=x.shape[1:])` of unseen images before a Conv2D, or before an encoder model sized by `x.shape[3]`: the input gets the channel axis of 1 (izikgo/AnomalyDetectionTransformations)', async () => {
    for (const body of [
      `x_in = Input(shape=x_train.shape[1:])
h = Conv2D(8, 3, strides=2, padding='same', activation='relu')(x_in)
x_rec = Conv2DTranspose(1, 3, strides=2, padding='same')(h)`,
      `def conv_encoder(side, channels):
    inp = Input(shape=(side, side, channels))
    h = Conv2D(8, 3, strides=2, padding='same', activation='relu')(inp)
    return Model(inp, Conv2DTranspose(channels, 3, strides=2, padding='same')(h))

enc = conv_encoder(x_train.shape[2], x_train.shape[3])
x_in = Input(shape=x_train.shape[1:])
x_rec = enc(x_in)`,
    ]) {
      const { result } = await planOf(`
from keras.models import Model
from keras.layers import Input, Conv2D, Conv2DTranspose

def experiment(dataset_load_fn):
    (x_train, y_train), (x_test, y_test) = dataset_load_fn()
${body.replace(/^/gm, '    ')}
    cae = Model(x_in, x_rec)
    cae.compile('adam', 'mse')
    cae.fit(x_train, x_train, batch_size=128, epochs=2)
`);
      if ('refused' in result) assert.fail(result.refused);
      assert.deepEqual(result.plan.inputShape, [ASSUMED_SIZE, ASSUMED_SIZE, 1]);
      assert.ok(result.plan.notes.some((n) => /the channel axis an image layer needs past such a shape to be 1/.test(n.text)));
    }
  });

  it("a sequence length the code leaves to data nanguard cannot see (`input_shape=(None, 1)`): the stand-in takes the assumed length, said as such (Cross Validated 329619)", async () => {
    const { result, reanalyses } = await planOf(`
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import SimpleRNN, Dense

x = np.random.randint(0, 100, size=2000)
df = pd.DataFrame({'X': x})
df['Y'] = df['X'].shift(2)
df = df.dropna()
xtrain = np.reshape(df['X'].values, (df.shape[0], 1, 1))
model = Sequential()
model.add(SimpleRNN(2, input_shape=(None, 1)))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
model.fit(x=xtrain, y=df['Y'], epochs=200, batch_size=5)
`);
    if ('refused' in result) assert.fail(result.refused);
    assert.equal(reanalyses, 0);
    assert.deepEqual(result.plan.inputShape, [ASSUMED_SIZE, 1]);
    assert.ok(result.plan.notes.some((n) => n.kind === 'stand-in' && n.text.startsWith(`The input shape [None,1] leaves a dimension to the data (None: any size), which nanguard could not see: the stand-in data takes [${ASSUMED_SIZE},1]`)));
    assert.equal(result.plan.data.provenance.train, 'synthetic');
  });

  it('the data in the workspace: its own width, and no reanalysis', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nanguard-assumed-'));
    const rows = Array.from({ length: 40 }, (_, i) => [i, i * 2, i % 7, 1 + i / 10, 3].join(','));
    writeFileSync(join(root, 'anomaly.csv'), ['a,b,c,d,e', ...rows].join('\n'));
    const { result, reanalyses } = await planOf(CSV_NOT_HERE, createFileSystemHost({ cwd: root, workspaceRoot: root }), root);
    if ('refused' in result) assert.fail(result.refused);
    assert.equal(reanalyses, 0);
    assert.deepEqual(result.plan.inputShape, [5]);
    assert.ok(!result.plan.notes.some((n) => n.text.includes('assumed to be')));
  });

  it("a library module's class whose fit nothing calls: the window length assumed, and the note sends the user to the program that calls it", async () => {
    const { result } = await planOf(`import numpy as np\n${LIBRARY_MODULE}`);
    if ('refused' in result) assert.fail(result.refused);
    assert.deepEqual(result.plan.inputShape, [ASSUMED_SIZE, 1]);
    const note = result.plan.notes.find((n) => n.text.includes('assumed to be'));
    assert.ok(note);
    assert.match(note.text, /`dataset\.shape` \(line \d+\)/);
    assert.match(note.text, /a run of the program that calls Conv1DAutoEncoder\.fit uses your sizes/);
  });

  it('a module whose builder returns the model and whose trainer is given it: paired, the sizes from a missing config module assumed', async () => {
    // In the style of an LSTM anomaly-detection project: neither function is called in the module; another script does.
    const source = [
      'from tensorflow.keras.models import Model',
      'from tensorflow.keras.layers import Input, LSTM, Dense, RepeatVector',
      'from utils.config import PER_MODEL',
      '',
      'def create_lstm_autoencoder(seq_length, model_type):',
      "    n_features = PER_MODEL[model_type]['required_feature_num']",
      '    inputs = Input(shape=(seq_length, n_features))',
      '    encoded = LSTM(16)(inputs)',
      '    decoded = RepeatVector(seq_length)(encoded)',
      '    decoded = LSTM(16, return_sequences=True)(decoded)',
      '    decoded = Dense(n_features)(decoded)',
      '    autoencoder = Model(inputs, decoded)',
      "    autoencoder.compile(optimizer='adam', loss='mse')",
      '    return autoencoder',
      '',
      'def train_model(model, train_data, epochs=50, batch_size=32):',
      '    return model.fit(x=train_data, y=train_data, epochs=epochs, batch_size=batch_size, validation_split=0.1)',
      '',
    ].join('\n');
    const analysis = await analyzeFile('train.py', source, NO_FILES);
    const model = fitted(analysis);
    assert.equal(model.name, 'autoencoder');
    assert.equal(model.fit?.location?.range.start.line, 16, 'the fit of train_model, on the model create_lstm_autoencoder returns');
    assert.ok(!analysis.problems.some((p) => /did not find/.test(p.message)), 'no "trains a model nanguard did not find"');
    const { result } = await planOf(source);
    if ('refused' in result) assert.fail(result.refused);
    assert.deepEqual(result.plan.inputShape, [ASSUMED_SIZE, ASSUMED_SIZE]);
    const note = result.plan.notes.find((n) => n.text.includes('assumed to be'));
    assert.ok(note);
    assert.match(note.text, /`seq_length` \(line 7\), `n_features` \(line 7\)/);
    const summary = await trainOnCpu(result.plan);
    assert.ok(summary.history.loss.every((l) => Number.isFinite(l)), 'a real run, with finite losses');
    assert.ok(onStandInData(summary));
  });

  it("a class whose build_model sets an encoder and the autoencoder, and whose train_model is given one: the autoencoder, the class's sizes assumed", async () => {
    const source = [
      'from keras.layers import Input, Dense',
      'from keras.models import Model',
      '',
      'class AutoEncoder:',
      '    def __init__(self, encoding_dim, input_shape):',
      '        self.encoding_dim = encoding_dim',
      '        self.input_shape = input_shape',
      '',
      '    def build_model(self):',
      '        input_data = Input(shape=(self.input_shape,))',
      "        encoded = Dense(self.encoding_dim, activation='relu')(input_data)",
      "        decoded = Dense(self.input_shape, activation='sigmoid')(encoded)",
      '        self.autoencoder = Model(inputs=input_data, outputs=decoded)',
      '        self.encoder = Model(input_data, encoded)',
      '',
      '    def train_model(self, model, data, epochs):',
      "        model.compile(loss='mean_squared_error', optimizer='adam')",
      '        model.fit(data, data, epochs=epochs)',
      '',
    ].join('\n');
    const { result } = await planOf(source);
    if ('refused' in result) assert.fail(result.refused);
    assert.deepEqual(result.plan.inputShape, [ASSUMED_SIZE]);
    const units = result.plan.kerasJson.config.layers.map((l) => (l.config as { units?: number }).units).filter((u) => u !== undefined);
    assert.deepEqual(units, [ASSUMED_SIZE, ASSUMED_SIZE], 'both Dense layers: the autoencoder, not the encoder');
    assert.ok(
      result.plan.notes.some((n) => n.kind === 'assumed' && /Nothing in this file calls AutoEncoder\.train_model \(line 16\).*the model AutoEncoder\.build_model \(line 9\) builds/.test(n.text)),
      result.plan.notes.map((n) => n.text).join('\n'),
    );
  });

  it('a kernel size nanguard cannot follow is not assumed: 32 of a window is no guess', async () => {
    const source = CSV_NOT_HERE.replace('from sklearn', 'from params import *\nfrom sklearn').replace("model.add(Dense(3, activation='relu'))", "model.add(Dense(3, activation='relu'))\nmodel.add(Reshape((3, 1)))\nmodel.add(Conv1D(4, KERNEL))\nmodel.add(Flatten())");
    const analysis = await analyzeFile('train.py', source, NO_FILES, { assumeUnseenSize: ASSUMED_SIZE });
    assert.ok(analysis.assumedSizes?.some((a) => a.text === 'x.shape'), JSON.stringify(analysis.assumedSizes));
    assert.ok(!analysis.assumedSizes?.some((a) => a.text === 'KERNEL'), JSON.stringify(analysis.assumedSizes));
    const conv = fitted(analysis).layers.find((l) => l.className === 'Conv1D');
    assert.deepEqual(conv?.unresolved?.map((u) => u.text), ['KERNEL']);
  });

  it('windows of a list filled in a loop over a file that the analysis follows to no rows: a stand-in, not "0 features per sample"', async () => {
    // In the style of a music-generation notebook: note and velocity pairs scaled in place, then cut into windows.
    const root = mkdtempSync(join(tmpdir(), 'nanguard-assumed-'));
    writeFileSync(join(root, 'notes.csv'), ['note,velocity', ...Array.from({ length: 200 }, (_, i) => `${40 + (i % 30)},${60 + (i % 7)}`)].join('\n'));
    const source = [
      'import numpy as np',
      'from keras.layers import LSTM, Dense, Input',
      'from keras.models import Sequential',
      'pairs = np.loadtxt("notes.csv", delimiter=",", skiprows=1, dtype=int)',
      'notes = []',
      'velocities = []',
      'for note, velocity in pairs:',
      '    notes.append(note)',
      '    velocities.append(velocity)',
      'combine = [[float(i), float(j)] for i, j in zip(notes, velocities)]',
      'X = []',
      'Y = []',
      'n_prev = 30',
      'for i in range(len(combine)-n_prev):',
      '    X.append(combine[i:i+n_prev])',
      '    Y.append(combine[i+n_prev])',
      'model = Sequential()',
      'model.add(Input(shape=(n_prev, 2)))',
      'model.add(LSTM(16))',
      'model.add(Dense(2))',
      "model.compile(loss='mse', optimizer='adam')",
      'model.fit(np.array(X), np.array(Y), 32, 2)',
      '',
    ].join('\n');
    const host = createFileSystemHost({ cwd: root, workspaceRoot: root });
    const model = fitted(await analyzeFile('train.py', source, host));
    const train = model.data.train?.source;
    assert.ok(train?.kind === 'literal' && train.values.length === 0, 'the analysis follows the windows to an empty list');
    const planned = buildPlan(model, { epochs: 2, workspaceRoot: root });
    if ('refused' in planned) assert.fail(planned.refused);
    assert.equal(planned.plan.data.provenance.train, 'synthetic');
    assert.ok(planned.plan.notes.some((n) => n.kind === 'stand-in' && /followed the code that builds it to no rows/.test(n.text)), planned.plan.notes.map((n) => n.text).join('\n'));
  });

  it('a refusal for another reason is not retried, and stands as it was', async () => {
    const source = CSV_NOT_HERE.replace("optimizer='adam'", "optimizer=MyOptimizer()");
    const { result, reanalyses } = await planOf(source);
    assert.ok('refused' in result);
    assert.equal(reanalyses, 0);
  });

  it("a loss scaled by the same unseen size (reconstruction_loss *= n_features in a VAE class nothing instantiates) takes the size assumed for the model", async () => {
    const source = `
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Model
from tensorflow.keras.losses import mse
from tensorflow.keras import backend as K

class VAEModel():
    def __init__(self, n_features, latent_dim=2):
        inputs = Input(shape=(n_features,))
        h = Dense(8, activation='relu')(inputs)
        z_mean = Dense(latent_dim)(h)
        z_log_var = Dense(latent_dim)(h)
        z = Lambda(lambda a: a[0] + K.exp(0.5 * a[1]) * K.random_normal(shape=(K.shape(a[0])[0], latent_dim)))([z_mean, z_log_var])
        outputs = Dense(n_features)(Dense(8, activation='relu')(z))
        self.model = Model(inputs, outputs)
        reconstruction_loss = mse(inputs, outputs)
        reconstruction_loss *= n_features
        kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        self.model.add_loss(K.mean(reconstruction_loss + kl_loss))
        self.model.compile(optimizer='adam')

    def train(self, X_train):
        self.model.fit(X_train, epochs=2, batch_size=32)
`;
    const { result, reanalyses } = await planOf(source);
    assert.equal(reanalyses, 1);
    if ('refused' in result) assert.fail(result.refused);
    assert.deepEqual(result.plan.inputShape, [ASSUMED_SIZE]);
    assert.ok(JSON.stringify(result.plan.compile.addedLosses).includes(`{"op":"const","value":${ASSUMED_SIZE}}`), JSON.stringify(result.plan.compile.addedLosses));
    const summary = await trainOnCpu(result.plan);
    assert.ok(summary.history.loss.every((l) => typeof l === 'number' && Number.isFinite(l)), 'finite losses');
  });
});
