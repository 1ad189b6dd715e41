/**
 * Models whose input shape the code decides although the rows or the values are not known: the
 * front-end carries the partial shape (rows unknown, the other dimensions the code's), the plan
 * trains on stand-in data of that shape, said as such; where a dimension truly cannot be known,
 * the refusal names the expression and its line. Training that the analysis cannot follow (a
 * model built by the program's own module, or inside a package) is refused by its sentence.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { DataSpec, ModelSpec } from '../../src/core/ir';
import { pickTrainedModel } from '../../src/core/modelHandles';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { onStandInData } from '../../src/repro/summary';
import { planned, refusalOf, trainOnCpu } from './repro-plans';

async function analysisOf(source: string) {
  return analyzeFile('train.py', source, NO_FILES);
}

async function modelOf(source: string): Promise<ModelSpec> {
  const analysis = await analysisOf(source);
  const model = [...analysis.models].reverse().find((m) => m.fit);
  assert.ok(model, 'a fitted model');
  return model;
}

/** The shape the analysis gives the data a model is fitted on. */
async function trainShapeOf(source: string): Promise<DataSpec['shape']> {
  return (await modelOf(source)).data.train?.shape;
}

function planOf(model: ModelSpec): ReproPlan {
  return planned(model, { epochs: 3 });
}

const FIT_DENSE = `
model = keras.Sequential([layers.Dense(4)])
model.compile(optimizer="adam", loss="mse")
model.fit(q, q, epochs=1)
`;
const IMPORTS = `
import numpy as np
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers
`;

describe('partial shapes in the front-end', () => {
  it('windows of TIME_STEPS cut in a loop inside a function, over a CSV read from a URL, stacked with np.stack', async () => {
    const shape = await trainShapeOf(`${IMPORTS}
df = pd.read_csv("https://example.com/series.csv", parse_dates=True, index_col="timestamp")
values = ((df - df.mean()) / df.std()).values
TIME_STEPS = 48
def create_sequences(values, time_steps=TIME_STEPS):
    output = []
    for i in range(len(values) - time_steps + 1):
        output.append(values[i : (i + time_steps)])
    return np.stack(output)
q = create_sequences(values)
${FIT_DENSE}`);
    assert.deepEqual(shape, [null, 48, null]);
  });

  it('windows cut in a comprehension over data of unknown length: np.stack and np.array give their shape (a program that trains has some)', async () => {
    const source = (stacker: string) => `${IMPORTS}
x = pd.read_csv("https://example.com/s.csv", usecols=["a", "b", "c"]).values
q = ${stacker}([x[i:i + 10] for i in range(len(x) - 10)])
${FIT_DENSE}`;
    assert.deepEqual(await trainShapeOf(source('np.stack')), [null, 10, 3]);
    // np.array of no windows is (0,), but fit raises on no samples: the windows of a fit are some.
    assert.deepEqual(await trainShapeOf(source('np.array')), [null, 10, 3]);
  });

  it('windows behind the loop variable (x[i - 60:i, 0] from i = 60, as stock-price LSTM tutorials cut them), of known and unknown count', async () => {
    const known = await trainShapeOf(`${IMPORTS}
prices = np.random.rand(300, 4)
X = []
for i in range(60, len(prices)):
    X.append(prices[i - 60:i, 0])
q = np.array(X)
${FIT_DENSE}`);
    assert.deepEqual(known, [240, 60]);
    const unknown = await trainShapeOf(`${IMPORTS}
prices = pd.read_csv("https://example.com/prices.csv", usecols=["Open", "Close"]).values
q = np.stack([prices[i - 60:i] for i in range(60, len(prices))])
${FIT_DENSE}`);
    assert.deepEqual(unknown, [null, 60, 2]);
  });

  it("a CSV read from a URL is a frame of unknown rows; names= and usecols= give its columns, less index_col's", async () => {
    const read = (args: string) => trainShapeOf(`${IMPORTS}
q = pd.read_csv("https://example.com/s.csv"${args})
${FIT_DENSE}`);
    assert.deepEqual(await read(''), [null, null]);
    assert.deepEqual(await read(', names=["t", "a", "b"]'), [null, 3]);
    assert.deepEqual(await read(', names=["t", "a", "b"], index_col="t"'), [null, 2]);
    assert.deepEqual(await read(', names=["t", "a", "b"], index_col=0'), [null, 2]);
    assert.deepEqual(await read(', usecols=["a", "b"]'), [null, 2]);
    // An index column that is not among the listed ones: what pandas does then is not followed.
    assert.deepEqual(await read(', usecols=["a", "b"], index_col="t"'), [null, null]);
  });

  it('a DataFrame of values of unknown shape given its column names, and columns selected by name', async () => {
    const frame = (expression: string) => trainShapeOf(`${IMPORTS}
q = ${expression}
${FIT_DENSE}`);
    assert.deepEqual(await frame("pd.DataFrame(np.load('features.npy'), columns=['pressure', 'temp'])"), [null, 2]);
    assert.deepEqual(await frame("pd.read_csv('https://example.com/s.csv')[['a', 'b', 'c']].values"), [null, 3]);
    // Known values keep their own shape.
    assert.deepEqual(await frame("pd.DataFrame(np.random.rand(5, 2), columns=['a', 'b'])"), [5, 2]);
  });

  it('reshape(-1, 28, 28, 1) of data of unknown rows', async () => {
    assert.deepEqual(
      await trainShapeOf(`${IMPORTS}
q = pd.read_csv("https://example.com/digits.csv").values.reshape(-1, 28, 28, 1)
${FIT_DENSE}`),
      [null, 28, 28, 1],
    );
  });
});

describe('plans on partial shapes', () => {
  const TIMESERIES = (lastLayer: string) => `${IMPORTS}
df = pd.read_csv("https://example.com/series.csv", parse_dates=True, index_col="timestamp")
values = ((df - df.mean()) / df.std()).values
TIME_STEPS = 32
def create_sequences(values, time_steps=TIME_STEPS):
    output = []
    for i in range(len(values) - time_steps + 1):
        output.append(values[i : (i + time_steps)])
    return np.stack(output)
x_train = create_sequences(values)
model = keras.Sequential([
    layers.Input(shape=(x_train.shape[1], x_train.shape[2])),
    layers.Conv1D(filters=8, kernel_size=7, padding="same", strides=2, activation="relu"),
    layers.Conv1DTranspose(filters=8, kernel_size=7, padding="same", strides=2, activation="relu"),
    ${lastLayer},
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
model.fit(x_train, x_train, epochs=50, batch_size=32, validation_split=0.1)
`;

  it("the Keras timeseries-anomaly autoencoder: the features come from the output layer (it gives back its input), it trains on a stand-in, and the verdict says so", async () => {
    const model = await modelOf(TIMESERIES('layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same")'));
    // The front-end names what it could not see: the Input's shape part, by its text.
    assert.deepEqual(model.layers[0].unresolved?.map((u) => [u.key, u.text]), [['shape', 'x_train.shape[2]']]);
    const plan = planOf(model);
    assert.deepEqual(plan.inputShape, [32, 1]);
    assert.ok(plan.notes.some((n) => n.kind === 'assumed' && /takes its last dimension from the output layer conv1d_transpose_1 \(filters=1\).*`x_train\.shape\[2\]` on line 17/.test(n.text)), JSON.stringify(plan.notes));
    assert.equal(plan.data.provenance.train, 'synthetic');
    assert.ok(plan.data.x.kind === 'synthetic' && plan.data.x.shape.join() === '256,32,1');
    const summary = await trainOnCpu(plan);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite));
    assert.ok(onStandInData(summary), 'the verdict is said to be on stand-in data');
  });

  it('an output that does not give back a shape equal to the input leaves the dimension unknown: refused, naming the expression and its line', async () => {
    // Two channels out for one assumed in: the model's output would not match its input.
    const model = await modelOf(TIMESERIES('layers.Conv1D(filters=2, kernel_size=3, strides=2, padding="same")'));
    assert.match(refusalOf(model), /^the input shape of model is given by `x_train\.shape\[2\]` on line 17, which nanguard could not work out without running the code \(the training data is read from https:\/\/example\.com\/series\.csv, which nanguard does not download\)$/);
  });

  it('None written in the shape is a dimension of any size, not one to fill', async () => {
    const model = await modelOf(`${IMPORTS}
x = np.random.rand(64, 16, 1)
model = keras.Sequential([layers.Input(shape=(16, None)), layers.Conv1D(filters=1, kernel_size=3, padding="same")])
model.compile(optimizer="adam", loss="mse")
model.fit(x, x, epochs=1)
`);
    assert.equal(model.layers[0].unresolved, undefined);
    assert.ok(!planOf(model).notes.some((n) => n.kind === 'assumed'));
  });

  it("a Dense autoencoder's output width is not assumed for windows of a known rank", async () => {
    const model = await modelOf(`${IMPORTS}
x = pd.read_csv("https://example.com/s.csv").values
q = np.stack([x[i:i + 10] for i in range(len(x) - 10)])
${FIT_DENSE}`);
    assert.match(refusalOf(model), /^the input shape of model is taken from its training data, whose shape nanguard could not work out \(the training data is read from https:\/\/example\.com\/s\.csv, which nanguard does not download\)$/);
  });

  it('a size taken from a CSV the reproduction cannot read names the file: a URL is not downloaded, a file not in the workspace is said to be missing', async () => {
    const source = (path: string) => `import pandas as pd
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
df = pd.read_csv('${path}')
df.drop(['Date'], axis=1, inplace=True)
x_good = df.values
model = Sequential()
model.add(Dense(10, input_dim=x_good.shape[1], activation='relu'))
model.add(Dense(x_good.shape[1]))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(x_good, x_good, epochs=100)
`;
    const fromUrl = buildPlan(await modelOf(source('https://example.com/anomaly.csv')));
    assert.ok('refused' in fromUrl);
    assert.equal(fromUrl.refused, 'the input shape of model is given by `x_good.shape[1]` on line 8, which nanguard could not work out without running the code (the training data is read from https://example.com/anomaly.csv, which nanguard does not download)');
    const missing = buildPlan(await modelOf(source('anomaly.csv')), { workspaceRoot: mkdtempSync(join(tmpdir(), 'nanguard-partial-')) });
    assert.ok('refused' in missing);
    assert.match(missing.refused, /\(the training data is read from anomaly\.csv, which is not in the workspace\)$/);
  });

  it("a library module's trainer that nothing calls: the refusal says the size comes from its arguments", async () => {
    const model = await modelOf(`
from keras.layers import Conv1D, GlobalMaxPool1D, Dense
from keras.models import Sequential
import numpy as np

class Conv1DAutoEncoder(object):
    @staticmethod
    def create_model(time_window_size, metric):
        model = Sequential()
        model.add(Conv1D(filters=16, kernel_size=5, padding='same', activation='relu',
                         input_shape=(time_window_size, 1)))
        model.add(GlobalMaxPool1D())
        model.add(Dense(units=time_window_size, activation='linear'))
        model.compile(optimizer='adam', loss='mean_squared_error', metrics=[metric])
        return model

    def fit(self, dataset, batch_size=8, epochs=100, metric='mean_absolute_error'):
        self.time_window_size = dataset.shape[1]
        input_timeseries_dataset = np.expand_dims(dataset, axis=2)
        self.model = self.create_model(self.time_window_size, metric=self.metric)
        return self.model.fit(x=input_timeseries_dataset, y=dataset, batch_size=batch_size, epochs=epochs)
`);
    assert.equal(model.uncalledTrainer?.name, 'Conv1DAutoEncoder.fit');
    assert.equal(
      refusalOf(model),
      'the input shape of model is given by `time_window_size` on line 11, which nanguard could not work out without running the code (it comes from the arguments of Conv1DAutoEncoder.fit (line 17), which nothing in this file calls: the program that imports this module passes the data)',
    );
  });
});

describe('training the analysis cannot follow', () => {
  it("a model built by a function of the program's own module: the fit names the builder and the module, and reproduce picks that training over an encoder never compiled", async () => {
    const analysis = await analysisOf(`import numpy as np
from tensorflow.keras.layers import Input
from keras.models import Model
from models import build_autoencoder, build_encoder

img_array = np.random.rand(20, 64, 64, 3)
autoencoder_model = build_autoencoder((64, 64, 3))
autoencoder_model.compile(optimizer='adam', loss='mean_squared_error')
autoencoder_model.fit(img_array, img_array, epochs=100, verbose=1)

input_img = Input(shape=(64, 64, 3))
encoder_model = Model(input_img, build_encoder(input_img))
`);
    const picked = pickTrainedModel(analysis.models, analysis.problems);
    assert.equal(picked, '`autoencoder_model`.fit(...) trains a model nanguard did not find (built by build_autoencoder on line 7, imported from models (line 4), a module not found in the workspace)');
  });

  it('a builder whose tuple is unpacked (vae, enc, gen = create_lstm_vae(...)) is named as well', async () => {
    const analysis = await analysisOf(`import numpy as np
from lstm_vae import create_lstm_vae

x = np.random.rand(400, 3, 13)
vae, enc, gen = create_lstm_vae(13, timesteps=3, batch_size=1, intermediate_dim=32, latent_dim=100, epsilon_std=1.)
vae.fit(x, x, epochs=20)
`);
    assert.equal(pickTrainedModel(analysis.models, analysis.problems), 'no Keras model found in the file: `vae`.fit(...) trains a model nanguard did not find (built by create_lstm_vae on line 5, imported from lstm_vae (line 2), a module not found in the workspace)');
  });

  it('a model class of a package trained with .train(...), in a file with no Keras model: the sentence names the class and the package', async () => {
    const analysis = await analysisOf(`import numpy as np
from n2v.models import N2VConfig, N2V
X = np.random.rand(10, 64, 64, 3)
config = N2VConfig(X, unet_kern_size=3, train_loss='mse')
model = N2V(config, 'n2v_2D', basedir='models')
history = model.train(X, X)
`);
    assert.deepEqual(analysis.models, []);
    const [note, ...rest] = analysis.problems.filter((p) => p.code === 'not-understood');
    assert.deepEqual(rest, []);
    assert.equal(note.location?.range.start.line, 5);
    assert.equal(pickTrainedModel(analysis.models, analysis.problems), 'no Keras model found in the file: `model`.train(...) trains a model nanguard did not find (built by N2V on line 5, imported from n2v.models (line 2), a module not found in the workspace)');
  });

  it('.train(...) of other objects, and a fitted model found, are left as they were', async () => {
    const other = await analysisOf(`from trainer import Trainer
t = Trainer()
t.train()
`);
    // A train() given no data is some other library's loop; and a Keras model in the file keeps the usual pick.
    assert.deepEqual(other.problems.filter((p) => p.code === 'not-understood'), []);
    const found = await analysisOf(`${IMPORTS}
x = np.random.rand(40, 4)
${FIT_DENSE.replace(/\bq\b/g, 'x')}
from n2v.models import N2V
m = N2V(None, 'x')
m.train(x, x)
`);
    const picked = pickTrainedModel(found.models, found.problems);
    assert.ok(typeof picked !== 'string' && picked.name === 'model');
  });
});
