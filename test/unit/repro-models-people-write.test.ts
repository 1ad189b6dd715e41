/**
 * The models people write (issue 14): subclassed models, `model_from_json`, layer sizes from
 * configs, input shapes from data, Lambda layers, custom losses, Conv1DTranspose, every
 * optimizer; each written as users write it, then planned and trained (the loss falls) or
 * refused with a sentence that names the line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import { describeBuildFailure, describeFailure } from '../../src/repro/engine/errors';
import { evaluateExpr } from '../../src/repro/engine/expr';
import { tf } from '../../src/repro/engine/tf';
import type { ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { planned, refusalOf, trainOnCpu as train } from './repro-plans';
import type { ReproSummary } from '../../src/repro/summary';

/** The first model of a program, from a folder of its own with the files it reads. */
async function modelOf(source: string, files: Record<string, string> = {}, name?: string): Promise<ModelSpec> {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-people-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'train.py'), source);
  const host = Object.keys(files).length > 0 ? createFileSystemHost({ cwd: dir, workspaceRoot: dir }) : NO_FILES;
  const analysis = await analyzeFile('train.py', source, host);
  const model = name ? analysis.models.find((m) => m.name === name) : analysis.models[0];
  assert.ok(model, `no model found: ${analysis.problems.map((p) => p.message).join('; ')}`);
  return model;
}

function planOf(model: ModelSpec, epochs?: number): ReproPlan {
  return planned(model, epochs ? { epochs } : {});
}

function assertFalls(s: ReproSummary): void {
  const losses = s.history.loss.map(fromWire);
  assert.ok(losses.every(Number.isFinite), `finite losses: ${losses.join(', ')}`);
  assert.ok(losses.at(-1)! < losses[0], `the loss falls: ${losses.join(', ')}`);
}

const layerSummary = (plan: ReproPlan) => plan.kerasJson.config.layers.map((l) => `${l.class_name}${typeof l.config.units === 'number' ? `(${l.config.units})` : ''}`);

describe('subclassed models', () => {
  const TUTORIAL = `
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, losses
from tensorflow.keras.models import Model

x_train = np.random.rand(512, 28, 28).astype('float32')

class Autoencoder(Model):
  def __init__(self, latent_dim, shape):
    super(Autoencoder, self).__init__()
    self.latent_dim = latent_dim
    self.shape = shape
    self.encoder = tf.keras.Sequential([
      layers.Flatten(),
      layers.Dense(latent_dim, activation='relu'),
    ])
    self.decoder = tf.keras.Sequential([
      layers.Dense(tf.math.reduce_prod(shape).numpy(), activation='sigmoid'),
      layers.Reshape(shape)
    ])

  def call(self, x):
    encoded = self.encoder(x)
    decoded = self.decoder(encoded)
    return decoded

shape = x_train.shape[1:]
latent_dim = 64
autoencoder = Autoencoder(latent_dim, shape)
autoencoder.compile(optimizer='adam', loss=losses.MeanSquaredError())
autoencoder.fit(x_train, x_train, epochs=10, shuffle=True)
`;

  it("the TensorFlow tutorial's Autoencoder(Model) becomes the same Keras JSON as the functional model, and trains", async () => {
    const model = await modelOf(TUTORIAL);
    assert.equal(model.kind, 'subclassed');
    assert.equal(model.definitionProblem, undefined);
    const plan = planOf(model, 3);
    assert.deepEqual(plan.inputShape, [28, 28]);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Flatten', 'Dense(64)', 'Dense(784)', 'Reshape']);
    const functional = planOf(
      await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x_train = np.random.rand(512, 28, 28).astype('float32')
inputs = keras.Input(shape=(28, 28))
x = layers.Flatten()(inputs)
x = layers.Dense(64, activation='relu')(x)
x = layers.Dense(784, activation='sigmoid')(x)
outputs = layers.Reshape((28, 28))(x)
autoencoder = keras.Model(inputs, outputs)
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(x_train, x_train, epochs=10)
`),
      3,
    );
    const configs = (p: ReproPlan) => p.kerasJson.config.layers.map((l) => ({ ...l.config, name: undefined }));
    assert.deepEqual(configs(plan), configs(functional));
    assertFalls(await train(plan));
  });

  it('layers kept as attributes and chained in call (dropout under training=True) train too', async () => {
    const model = await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

class DenseAE(keras.Model):
    def __init__(self, n_features, **kwargs):
        super().__init__(**kwargs)
        self.d1 = layers.Dense(16, activation="relu")
        self.drop = layers.Dropout(0.1)
        self.d2 = layers.Dense(4, activation="relu")
        self.d3 = layers.Dense(16, activation="relu")
        self.out = layers.Dense(n_features)

    def call(self, inputs, training=False):
        x = self.d1(inputs)
        if training:
            x = self.drop(x, training=training)
        x = self.d2(x)
        x = self.d3(x)
        return self.out(x)

X = np.random.normal(size=(400, 10))
model = DenseAE(X.shape[1])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=20, batch_size=32)
`);
    const plan = planOf(model, 15);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Dense(16)', 'Dropout', 'Dense(4)', 'Dense(16)', 'Dense(10)']);
    assertFalls(await train(plan));
  });

  it('a call that is not a chain of layers is refused, naming the line', async () => {
    const model = await modelOf(`
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class Scaled(keras.Model):
    def __init__(self):
        super().__init__()
        self.enc = layers.Dense(8, activation="relu")
        self.dec = layers.Dense(20)

    def call(self, x):
        h = self.enc(x)
        h = tf.nn.l2_normalize(h, axis=-1) * 3.0
        return self.dec(h)

model = Scaled()
model.compile(optimizer="adam", loss="mse")
model.fit(tf.random.normal((100, 20)), tf.random.normal((100, 20)), epochs=2)
`);
    const refusal = refusalOf(model);
    assert.match(refusal, /^Scaled\.call \(line 12\) is not a chain of its layers: line 14, `h = tf\.nn\.l2_normalize\(h, axis=-1\) \* 3\.0`|^Scaled\.call \(line 12\) is not a chain of its layers: line 14, `tf\.nn\.l2_normalize/);
  });

  it('a VAE whose train_step differentiates no loss nanguard can follow is refused, naming the line', async () => {
    const model = await modelOf(`
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
        return {}

encoder = keras.Sequential([layers.Dense(4)])
decoder = keras.Sequential([layers.Dense(8)])
vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam())
vae.fit(tf.zeros((10, 8)), epochs=1)
`);
    assert.match(refusalOf(model), /^VAE trains in its own train_step \(line 12\), and nanguard found no tape\.gradient\(loss, \.\.\.\) in it whose loss it could follow$/);
  });
});

describe('model_from_json', () => {
  it('reads the topology of the JSON file the program opens, and trains it with its compile and fit', async () => {
    const topology = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 6], name: 'input_layer' } },
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', units: 3, activation: 'tanh' } },
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense_1', units: 6, activation: 'linear' } },
        ],
      },
    };
    const model = await modelOf(
      `
import numpy as np
from keras.models import model_from_json

json_file = open('model.json', 'r')
loaded_model_json = json_file.read()
json_file.close()
loaded_model = model_from_json(loaded_model_json)

data = np.random.normal(size=(300, 6))
loaded_model.compile(loss='mean_squared_error', optimizer='adam')
loaded_model.fit(data, data, epochs=30, batch_size=32)
`,
      { 'model.json': JSON.stringify(topology, null, 2) },
    );
    const plan = planOf(model, 20);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Dense(3)', 'Dense(6)']);
    assert.equal(plan.compile.optimizer.className, 'Adam');
    assertFalls(await train(plan));
  });

  it('a JSON string nanguard cannot follow is refused with the line', async () => {
    const model = await modelOf(`
import tensorflow as tf
json_string = download_architecture()
model = tf.keras.models.model_from_json(json_string)
model.compile(optimizer='adam', loss='mse')
model.fit(x, x)
`);
    assert.match(refusalOf(model), /topology comes from model_from_json on line 4, and nanguard could not follow its argument `json_string` to a JSON file in the workspace/);
  });
});

describe('layer sizes from configs', () => {
  it('a dict literal, module constants, class attributes and a dataclass', async () => {
    const model = await modelOf(`
import numpy as np
from dataclasses import dataclass
from tensorflow import keras
from tensorflow.keras import layers

INPUT_DIM = 30
params = {"hidden": 24, "act": "relu"}

class Config:
    bottleneck = 4

@dataclass
class DecoderConfig:
    hidden: int = 12
    out_activation: str = "linear"

dec = DecoderConfig(hidden=20)
model = keras.Sequential()
model.add(layers.Dense(params["hidden"], activation=params["act"], input_shape=(INPUT_DIM,)))
model.add(layers.Dense(Config.bottleneck, activation="relu"))
model.add(layers.Dense(dec.hidden, activation="relu"))
model.add(layers.Dense(INPUT_DIM, activation=dec.out_activation))
model.compile(optimizer="adam", loss="mse")
X = np.random.rand(200, INPUT_DIM)
model.fit(X, X, epochs=5)
`);
    assert.deepEqual(layerSummary(planOf(model)), ['InputLayer', 'Dense(24)', 'Dense(4)', 'Dense(20)', 'Dense(30)']);
  });

  it('a JSON config read with json.load, a YAML config with yaml.safe_load, and argparse defaults', async () => {
    const model = await modelOf(
      `
import argparse
import json
import yaml
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

parser = argparse.ArgumentParser()
parser.add_argument("--latent-dim", type=int, default=3)
parser.add_argument("--epochs", type=int, default=25)
args = parser.parse_args()

with open("config.json") as f:
    cfg = json.load(f)
arch = yaml.safe_load(open("arch.yaml"))

X = np.random.rand(300, 16)
encoder = keras.Sequential([
    keras.Input(shape=(16,)),
    layers.Dense(cfg["hidden_units"], activation="relu"),
    layers.Dense(args.latent_dim, activation="relu"),
])
decoder = keras.Sequential([
    layers.Dense(arch["decoder"]["units"][0], activation="relu"),
    layers.Dense(16, activation=arch["decoder"]["output_activation"]),
])
autoencoder = keras.Sequential([encoder, decoder])
autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=cfg["lr"]), loss="mse")
autoencoder.fit(X, X, epochs=args.epochs, batch_size=cfg["batch_size"])
`,
      {
        'config.json': '{"hidden_units": 12, "lr": 0.01, "batch_size": 16}',
        'arch.yaml': '# decoder settings\ndecoder:\n  units: [10, 16]   # hidden first\n  output_activation: sigmoid\n',
      },
    );
    const plan = planOf(model);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Dense(12)', 'Dense(3)', 'Dense(10)', 'Dense(16)']);
    assert.equal(plan.kerasJson.config.layers.at(-1)!.config.activation, 'sigmoid');
    assert.equal(plan.compile.optimizer.config.learning_rate, 0.01);
    assert.equal(plan.fit.epochs, 25);
    assert.equal(plan.fit.batchSize, 16);
  });

  it('absl flags: DEFINE_* defaults read through FLAGS, in a main that app.run calls', async () => {
    const model = await modelOf(`
from absl import app
from absl import flags
import numpy as np
from tensorflow import keras

flags.DEFINE_integer("epochs", 7, "number of epochs")
flags.DEFINE_integer("batch_size", 16, "batch size")
flags.DEFINE_float("learning_rate", 0.0005, "learning rate")
flags.DEFINE_integer("latent_dim", "5", "size of latent vector Z")
flags.DEFINE_string("activation", "tanh", "hidden activation")
FLAGS = flags.FLAGS


def build(latent_dim):
    inp = keras.Input(shape=(20,))
    h = keras.layers.Dense(12, activation=FLAGS.activation)(inp)
    z = keras.layers.Dense(latent_dim)(h)
    out = keras.layers.Dense(20)(z)
    return keras.Model(inp, out)


def main(argv):
    del argv
    x = np.random.rand(300, 20)
    model = build(FLAGS.latent_dim)
    model.compile(optimizer=keras.optimizers.Adam(FLAGS.learning_rate), loss="mse")
    model.fit(x, x, epochs=FLAGS.epochs, batch_size=FLAGS.batch_size)


if __name__ == "__main__":
    app.run(main)
`);
    const plan = planOf(model);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Dense(12)', 'Dense(5)', 'Dense(20)']);
    assert.equal(plan.kerasJson.config.layers[1].config.activation, 'tanh');
    assert.equal(plan.compile.optimizer.config.learning_rate, 0.0005);
    assert.equal(plan.fit.epochs, 7);
    assert.equal(plan.fit.batchSize, 16);
  });

  it('a size that cannot be followed is refused naming the layer, the argument and the line, before TensorFlow.js sees it', async () => {
    const model = await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
import json

cfg = json.load(open(get_config_path()))
X = np.random.rand(100, 8)
model = keras.Sequential([
    keras.Input(shape=(8,)),
    layers.Dense(cfg['hidden'], activation='relu'),
    layers.Dense(8),
])
model.compile(optimizer='adam', loss='mse')
model.fit(X, X)
`);
    assert.equal(refusalOf(model), "layer dense (Dense, line 11): units must be a positive whole number, and nanguard could not work out `cfg['hidden']` on line 11 without running the code");
    // An Embedding's vocabulary counted from a text file (keras#2009): the same sentence, where TensorFlow.js failed to build it.
    const embedding = await modelOf(`
import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense
text = open('books.txt').read().split()
vocsize = len(sorted(set(text)))
x = np.random.randint(0, 50, size=(100, 10))
model = Sequential([Embedding(vocsize, 16), LSTM(8), Dense(1)])
model.compile(optimizer='adam', loss='mse')
model.fit(x, np.random.rand(100, 1))
`);
    assert.equal(refusalOf(embedding), 'layer embedding (Embedding, line 8): input_dim must be a positive whole number, and nanguard could not work out `vocsize` on line 8 without running the code');
    // A size from `from params import *` of a module not in the workspace: not the name taken for a size.
    const starred = await modelOf(`
import numpy as np
from keras.layers import Input, Dense
from keras.models import Model
from mnist_params import *
x = Input(shape=(784,))
h = Dense(intermediate_dim, activation='relu')(x)
model = Model(x, Dense(784)(h))
model.compile(optimizer='adam', loss='mse')
model.fit(np.random.rand(100, 784), np.random.rand(100, 784))
`);
    assert.equal(refusalOf(starred), 'layer dense (Dense, line 7): units must be a positive whole number, and nanguard could not work out `intermediate_dim` on line 7 without running the code');
  });

  it('an optimizer taken from a config that is not in the workspace is refused naming the expression and the line', async () => {
    const model = await modelOf(`
import json
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

cfg = json.load(open("missing.json"))
X = np.random.rand(100, 8)
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4), layers.Dense(8)])
model.compile(optimizer=cfg["optimizer"], loss="mse")
model.fit(X, X)
`);
    assert.equal(refusalOf(model), 'the optimizer is given by `cfg["optimizer"]` on line 10, which nanguard could not work out without running the code');
  });

  it('a size read as None from a config is named as such', async () => {
    const model = await modelOf(
      `
import json
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
cfg = json.load(open("config.json"))
X = np.random.rand(100, 8)
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(cfg.get("hidden"), activation="relu"), layers.Dense(8)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X)
`,
      { 'config.json': '{"units": 4}' },
    );
    assert.match(refusalOf(model), /^layer dense \(Dense, line 8\): units must be a positive whole number, and nanguard read None from `cfg\.get\("hidden"\)` on line 8$/);
  });

  it('a Sequential built in a loop over the layers of a JSON config, branching on each entry (the LSTM time-series repository)', async () => {
    const config = {
      data: { sequence_length: 50, columns: ['Close', 'Volume'] },
      training: { epochs: 2, batch_size: 32 },
      model: {
        loss: 'mse',
        optimizer: 'adam',
        layers: [
          { type: 'lstm', neurons: 16, input_timesteps: 49, input_dim: 2, return_seq: true },
          { type: 'dropout', rate: 0.2 },
          { type: 'lstm', neurons: 8, return_seq: false },
          { type: 'dense', neurons: 1, activation: 'linear' },
        ],
      },
    };
    const model = await modelOf(
      `
import json
import numpy as np
from keras.layers import Dense, Dropout, LSTM
from keras.models import Sequential

class Model():
    def __init__(self):
        self.model = Sequential()

    def build_model(self, configs):
        for layer in configs['model']['layers']:
            neurons = layer['neurons'] if 'neurons' in layer else None
            dropout_rate = layer['rate'] if 'rate' in layer else None
            activation = layer['activation'] if 'activation' in layer else None
            return_seq = layer['return_seq'] if 'return_seq' in layer else None
            input_timesteps = layer['input_timesteps'] if 'input_timesteps' in layer else None
            input_dim = layer['input_dim'] if 'input_dim' in layer else None
            if layer['type'] == 'dense':
                self.model.add(Dense(neurons, activation=activation))
            if layer['type'] == 'lstm':
                self.model.add(LSTM(neurons, input_shape=(input_timesteps, input_dim), return_sequences=return_seq))
            if layer['type'] == 'dropout':
                self.model.add(Dropout(dropout_rate))
        self.model.compile(loss=configs['model']['loss'], optimizer=configs['model']['optimizer'])

configs = json.load(open('config.json', 'r'))
model = Model()
model.build_model(configs)
x = np.random.rand(300, configs['data']['sequence_length'] - 1, len(configs['data']['columns']))
y = np.random.rand(300, 1)
model.model.fit(x, y, epochs=configs['training']['epochs'], batch_size=configs['training']['batch_size'])
`,
      { 'config.json': JSON.stringify(config, null, 2) },
    );
    const plan = planOf(model);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'LSTM(16)', 'Dropout', 'LSTM(8)', 'Dense(1)']);
    assert.deepEqual(plan.inputShape, [49, 2]);
    assert.deepEqual(
      plan.kerasJson.config.layers.filter((l) => l.class_name === 'LSTM').map((l) => l.config.return_sequences),
      [true, false],
    );
    assert.equal(plan.fit.epochs, 2);
    assert.equal(plan.fit.batchSize, 32);
  });

  it('entries written into a dict or a loaded config, merged dicts, EasyDict attributes, enumerate and len of a config list', async () => {
    const model = await modelOf(
      `
import json
import numpy as np
from easydict import EasyDict
from tensorflow import keras
from tensorflow.keras import layers

with open('config.json') as f:
    cfg = json.load(f)
X = np.random.rand(200, 10)
cfg['data']['features'] = X.shape[1]
cfg['hidden'] = 6
defaults = {'act': 'relu', 'latent': 2}
params = {**defaults, 'latent': 3}
params.update({'decoder': 5})
params.setdefault('act', 'tanh')
extra = dict(defaults, out='linear')
e = EasyDict(cfg)
model = keras.Sequential([keras.Input(shape=(cfg['data']['features'],))])
model.add(layers.Dense(cfg['hidden'], activation=params['act']))
model.add(layers.Dense(params.get('latent', 8)))
for i, layer in enumerate(cfg['model']['layers']):
    if i < len(cfg['model']['layers']) - 1 and layer['type'] != 'dropout':
        model.add(layers.Dense(layer['neurons'] + params['decoder']))
model.add(layers.Dense(e.data.features, activation=extra['out']))
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=e.training.epochs)
`,
      {
        'config.json': JSON.stringify({
          data: { features: 4 },
          training: { epochs: 3 },
          model: { layers: [{ type: 'dense', neurons: 8 }, { type: 'dropout', rate: 0.1 }, { type: 'dense', neurons: 1 }, { type: 'dense', neurons: 99 }] },
        }),
      },
    );
    const plan = planOf(model);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Dense(6)', 'Dense(3)', 'Dense(13)', 'Dense(6)', 'Dense(10)']);
    assert.deepEqual(plan.inputShape, [10]);
    assert.equal(plan.kerasJson.config.layers[1].config.activation, 'relu');
    assert.equal(plan.kerasJson.config.layers.at(-1)!.config.activation, 'linear');
    assert.equal(plan.fit.epochs, 3);
  });

  it('a dataclass with fields without defaults, field(default=...), default_factory and __post_init__; a config instance; SimpleNamespace; environment and argparse defaults', async () => {
    const model = await modelOf(`
import os
import argparse
from dataclasses import dataclass, field
from types import SimpleNamespace
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

@dataclass
class Params:
    input_dim: int
    hidden: int = 24
    latent: int = field(default=3)
    decoder: list = field(default_factory=lambda: [10, 6])

    def __post_init__(self):
        self.output_dim = self.input_dim

class Config:
    dropout = 0.5
    def __init__(self):
        self.epochs = 4

p = Params(16, latent=2)
cfg = Config()
ns = SimpleNamespace(batch=8)
hidden = int(os.environ.get("HIDDEN", "12"))
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=os.getenv("LR", "0.02"))
args = parser.parse_args()
X = np.random.rand(200, p.input_dim)
model = keras.Sequential([
    keras.Input(shape=(p.input_dim,)),
    layers.Dense(p.hidden, activation="relu"),
    layers.Dropout(cfg.dropout),
    layers.Dense(p.latent),
    layers.Dense(p.decoder[0] + hidden),
    layers.Dense(p.output_dim),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=args.lr), loss="mse")
model.fit(X, X, epochs=cfg.epochs, batch_size=ns.batch)
`);
    const plan = planOf(model);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Dense(24)', 'Dropout', 'Dense(2)', 'Dense(22)', 'Dense(16)']);
    assert.equal(plan.kerasJson.config.layers[2].config.rate, 0.5);
    assert.equal(plan.compile.optimizer.config.learning_rate, 0.02);
    assert.equal(plan.fit.epochs, 4);
    assert.equal(plan.fit.batchSize, 8);
  });

  it("a config's lists are Python lists: sliced, reversed, appended to, and column names selecting a CSV frame's columns", async () => {
    const lines = ['Date,Close,Volume,Open'];
    for (let i = 0; i < 50; i++) lines.push(`2020-01-${i},${100 + i},${5000 + i},${99 + i}`);
    const model = await modelOf(
      `
import json
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

cfg = json.load(open("config.json"))
df = pd.read_csv(cfg["data"]["filename"])
X = df.get(cfg["data"]["columns"]).values
cfg["units"].append(2)
model = keras.Sequential([keras.Input(shape=(len(cfg["data"]["columns"]),))])
for u in cfg["units"][1:]:
    model.add(layers.Dense(u, activation="relu"))
model.add(layers.Dense(max(cfg["units"])))
model.add(layers.Dense(X.shape[1]))
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=2)
`,
      { 'config.json': '{"data": {"filename": "prices.csv", "columns": ["Close", "Volume"]}, "units": [16, 8, 4]}', 'prices.csv': `${lines.join('\n')}\n` },
    );
    const plan = planOf(model);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Dense(8)', 'Dense(4)', 'Dense(2)', 'Dense(16)', 'Dense(2)']);
    assert.deepEqual(plan.inputShape, [2]);
    assert.deepEqual(model.data.train?.source, { ...model.data.train?.source, kind: 'file', path: 'prices.csv', columns: ['Close', 'Volume'] });
  });

  it("OmegaConf.load of a YAML file: keys read as attributes and as items", async () => {
    const model = await modelOf(
      `
import numpy as np
from omegaconf import OmegaConf
from tensorflow import keras
from tensorflow.keras import layers

cfg = OmegaConf.load("conf.yaml")
X = np.random.rand(100, cfg.data.features)
model = keras.Sequential([keras.Input(shape=(cfg.data.features,)), layers.Dense(cfg.model.hidden, activation=cfg["model"]["act"]), layers.Dense(cfg.data.features)])
model.compile(optimizer=keras.optimizers.Adam(cfg.train.lr), loss="mse")
model.fit(X, X, epochs=cfg.train.epochs)
`,
      { 'conf.yaml': 'data:\n  features: 6\nmodel:\n  hidden: 3\n  act: tanh\ntrain:\n  lr: 0.005\n  epochs: 2\n' },
    );
    const plan = planOf(model);
    assert.deepEqual(layerSummary(plan), ['InputLayer', 'Dense(3)', 'Dense(6)']);
    assert.equal(plan.kerasJson.config.layers[1].config.activation, 'tanh');
    assert.equal(plan.compile.optimizer.config.learning_rate, 0.005);
    assert.equal(plan.fit.epochs, 2);
  });

  it('continue and break in a loop over config entries act when their condition is known, and not under one that is not', async () => {
    const model = await modelOf(
      `
import sys
import json
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

cfg = json.load(open("config.json"))
X = np.random.rand(100, 8)
model = keras.Sequential([keras.Input(shape=(8,))])
for layer in cfg["layers"]:
    if layer["type"] == "dropout":
        continue
    if layer["type"] == "stop":
        break
    model.add(layers.Dense(layer["units"], activation="relu"))
for width in [5, 6, 7]:
    if sys.argv[1] == "small":
        break
    model.add(layers.Dense(width))
model.add(layers.Dense(8))
model.compile(optimizer="adam", loss="mse")
model.fit(X, X)
`,
      { 'config.json': '{"layers": [{"type": "dense", "units": 16}, {"type": "dropout", "rate": 0.1}, {"type": "dense", "units": 4}, {"type": "stop"}, {"type": "dense", "units": 99}]}' },
    );
    assert.deepEqual(layerSummary(planOf(model)), ['InputLayer', 'Dense(16)', 'Dense(4)', 'Dense(5)', 'Dense(6)', 'Dense(7)', 'Dense(8)']);
  });

  it('a comparison nanguard cannot decide still runs its branch, and a dict with a key it could not read is not taken to lack a key', async () => {
    const model = await modelOf(`
import sys
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

mode = sys.argv[1]
params = {sys.argv[2]: 1, 'units': 12}
X = np.random.rand(100, 8)
model = keras.Sequential([keras.Input(shape=(8,))])
if mode == 'deep':
    model.add(layers.Dense(16, activation='relu'))
if 'latent' in params:
    model.add(layers.Dense(2))
if 'units' not in params:
    model.add(layers.Dense(99))
model.add(layers.Dense(params['units'] if params else 3))
model.add(layers.Dense(8))
model.compile(optimizer='adam', loss='mse')
model.fit(X, X)
`);
    assert.deepEqual(layerSummary(planOf(model)), ['InputLayer', 'Dense(16)', 'Dense(2)', 'Dense(12)', 'Dense(8)']);
  });

  it("the decoder sized from K.int_shape of the encoder's output (the Packt book's autoencoders)", async () => {
    const model = await modelOf(
      `
import numpy as np
from tensorflow.keras.layers import Dense, Input, Conv2D, Flatten, Reshape, Conv2DTranspose
from tensorflow.keras.models import Model
from tensorflow.keras import backend as K

x_train = np.random.rand(64, 28, 28)
image_size = x_train.shape[1]
x_train = np.reshape(x_train, [-1, image_size, image_size, 1])
input_shape = (image_size, image_size, 1)
kernel_size = 3
latent_dim = 16
layer_filters = [32, 64]

inputs = Input(shape=input_shape, name='encoder_input')
x = inputs
for filters in layer_filters:
    x = Conv2D(filters=filters, kernel_size=kernel_size, activation='relu', strides=2, padding='same')(x)
shape = K.int_shape(x)
x = Flatten()(x)
latent = Dense(latent_dim, name='latent_vector')(x)
encoder = Model(inputs, latent, name='encoder')

latent_inputs = Input(shape=(latent_dim,), name='decoder_input')
x = Dense(shape[1] * shape[2] * shape[3])(latent_inputs)
x = Reshape((shape[1], shape[2], shape[3]))(x)
for filters in layer_filters[::-1]:
    x = Conv2DTranspose(filters=filters, kernel_size=kernel_size, activation='relu', strides=2, padding='same')(x)
outputs = Conv2DTranspose(filters=1, kernel_size=kernel_size, activation='sigmoid', padding='same', name='decoder_output')(x)
decoder = Model(latent_inputs, outputs, name='decoder')

autoencoder = Model(inputs, decoder(encoder(inputs)), name='autoencoder')
autoencoder.compile(loss='mse', optimizer='adam')
autoencoder.fit(x_train, x_train, epochs=1, batch_size=32)
`,
      {},
      'autoencoder',
    );
    const plan = planOf(model);
    const reshape = plan.kerasJson.config.layers.find((l) => l.class_name === 'Reshape')!;
    assert.deepEqual(reshape.config.target_shape, [7, 7, 64]);
    assert.deepEqual(layerSummary(plan).slice(4, 6), ['Dense(16)', 'Dense(3136)']);
  });
});

describe('input shapes from data', () => {
  it('Input(shape=(X.shape[1],)) and input_dim=x_train.shape[1] after train_test_split', async () => {
    const functional = await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
X = np.random.normal(0, 1, (500, 13))
inp = keras.Input(shape=(X.shape[1],))
h = layers.Dense(6, activation="relu")(inp)
out = layers.Dense(X.shape[1])(h)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=3)
`);
    assert.deepEqual(planOf(functional).inputShape, [13]);
    const sequential = await modelOf(`
import numpy as np
from sklearn.model_selection import train_test_split
from keras.models import Sequential
from keras.layers import Dense
data = np.random.rand(400, 9)
x_train, x_test = train_test_split(data, test_size=0.2)
model = Sequential()
model.add(Dense(4, input_dim=x_train.shape[1], activation='relu'))
model.add(Dense(x_train.shape[1], activation='sigmoid'))
model.compile(loss='mse', optimizer='adam')
model.fit(x_train, x_train, epochs=3, validation_data=(x_test, x_test))
`);
    assert.deepEqual(planOf(sequential).inputShape, [9]);
  });

  it('images reshaped for a conv net, and lengths taken from a list of column names', async () => {
    const conv = await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(100, 784)
x = x.reshape(-1, 28, 28, 1)
model = keras.Sequential([
    layers.Conv2D(8, 3, padding="same", activation="relu", input_shape=x.shape[1:]),
    layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, x, epochs=1)
`);
    assert.deepEqual(planOf(conv).inputShape, [28, 28, 1]);
    const lstm = await modelOf(`
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import LSTM, Dense
cols = ['unit', 'cycle'] + ['s%d' % i for i in range(1, 22)]
feature_cols = cols[2:]
sequence_length = 50
model = Sequential()
model.add(LSTM(units=16, input_shape=(sequence_length, len(feature_cols))))
model.add(Dense(units=1))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(seq_array, label_array, epochs=5, batch_size=200)
`);
    const plan = planOf(lstm);
    assert.deepEqual(plan.inputShape, [50, 21]);
    // The targets are a stand-in too: shaped like the model's output (one value), not like its input.
    assert.ok(plan.data.y.kind === 'synthetic' && plan.data.y.shape[1] === 1);
  });

  it("an autoencoder fitted on data nanguard cannot see takes its input shape from its output layer (the ECG tutorial's AnomalyDetector)", async () => {
    const model = await modelOf(`
import pandas as pd
import tensorflow as tf
from tensorflow.keras import layers, losses
from tensorflow.keras.models import Model

dataframe = pd.read_csv('http://storage.googleapis.com/download.tensorflow.org/data/ecg.csv', header=None)
raw_data = dataframe.values
normal_train_data = tf.cast(raw_data[:, 0:-1], tf.float32)

class AnomalyDetector(Model):
  def __init__(self):
    super(AnomalyDetector, self).__init__()
    self.encoder = tf.keras.Sequential([
      layers.Dense(32, activation="relu"),
      layers.Dense(16, activation="relu"),
      layers.Dense(8, activation="relu")])
    self.decoder = tf.keras.Sequential([
      layers.Dense(16, activation="relu"),
      layers.Dense(32, activation="relu"),
      layers.Dense(140, activation="sigmoid")])

  def call(self, x):
    encoded = self.encoder(x)
    decoded = self.decoder(encoded)
    return decoded

autoencoder = AnomalyDetector()
autoencoder.compile(optimizer='adam', loss='mae')
history = autoencoder.fit(normal_train_data, normal_train_data, epochs=20, batch_size=512, shuffle=True)
`);
    const plan = planOf(model);
    assert.deepEqual(plan.inputShape, [140]);
    assert.ok(plan.notes.some((n) => n.kind === 'assumed' && /taken from the output layer dense_5/.test(n.text)));
  });

  it('a shape taken from data that is not in the workspace is refused naming the expression', async () => {
    const model = await modelOf(`
import pandas as pd
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
df = pd.read_csv('https://example.com/anomaly.csv')
df.drop(['Date'], axis=1, inplace=True)
x_good = df.values
model = Sequential()
model.add(Dense(10, input_dim=x_good.shape[1], activation='relu'))
model.add(Dense(x_good.shape[1]))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(x_good, x_good, epochs=100)
`);
    assert.match(refusalOf(model), /the input shape of model is given by `x_good\.shape\[1\]` on line 9, which nanguard could not work out without running the code/);
  });
});

describe('Lambda layers and custom losses', () => {
  it('a root-mean-squared-error loss and a scaling Lambda are translated, and the model trains', async () => {
    const model = await modelOf(`
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Lambda
from keras import backend as K

def root_mean_squared_error(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1) + K.epsilon())

X = np.random.rand(400, 5)
y = X[:, :2] * 4
model = Sequential()
model.add(Dense(16, input_dim=5, activation='tanh'))
model.add(Dense(2))
model.add(Lambda(lambda x: x * 2.0))
model.compile(loss=root_mean_squared_error, optimizer='adam')
model.fit(X, y, epochs=30, batch_size=32)
`);
    const plan = planOf(model, 15);
    assert.equal(plan.compile.loss, 'custom');
    assert.equal(plan.compile.lossExpression?.op, 'sqrt');
    assert.deepEqual(plan.kerasJson.config.layers.at(-1)!.config.nanguard_expression, { op: 'mul', a: { op: 'arg', index: 0 }, b: { op: 'const', value: 2 } });
    assertFalls(await train(plan));
  });

  it('keras.ops and tf functions: clip, exp, a mean over the feature axis with keepdims', async () => {
    const model = await modelOf(`
import numpy as np
import keras
from keras import ops, layers
import tensorflow as tf

inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
x = layers.Lambda(lambda t: tf.clip_by_value(t, -5.0, 5.0))(x)
x = layers.Lambda(lambda t: t - ops.mean(t, axis=-1, keepdims=True))(x)
x = layers.Lambda(lambda t: ops.exp(t / 10))(x)
outputs = layers.Dense(8)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=lambda y_true, y_pred: tf.reduce_mean(tf.abs(y_true - y_pred)))
X = np.random.rand(300, 8)
model.fit(X, X, epochs=20)
`);
    assertFalls(await train(planOf(model, 10)));
  });

  it('numpy and math of numbers in a loss (a Gaussian log-density\'s np.log(2 * math.pi)) are the numbers they give', async () => {
    const model = await modelOf(`
import math
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras import backend as K

def gaussian_nll(y_true, y_pred):
    return K.mean(0.5 * np.log(2 * math.pi) + 0.5 * K.square(y_true - y_pred) + np.sqrt(np.square(0.0)), axis=-1)

X = np.random.rand(300, 4)
model = Sequential([Dense(8, input_dim=4, activation='tanh'), Dense(4)])
model.compile(loss=gaussian_nll, optimizer='adam')
model.fit(X, X, epochs=10)
`);
    const plan = planOf(model, 10);
    assert.equal(plan.compile.loss, 'custom');
    assert.match(JSON.stringify(plan.compile.lossExpression), new RegExp(`"value":${0.5 * Math.log(2 * Math.PI)}|"value":${Math.log(2 * Math.PI)}`));
    assertFalls(await train(plan));
  });

  it("items of the targets and outputs in a loss (`y_pred[:, 1]`, `y_true[..., 0]`): a Gaussian negative log-likelihood of a mean and a log-variance", async () => {
    const model = await modelOf(`
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras import ops as K

def gaussian_nll(y_true, y_pred):
    mean, log_var = y_pred[:, 0], y_pred[..., 1]
    return K.mean(0.5 * K.exp(-log_var) * K.square(y_true[..., 0] - mean) + 0.5 * log_var)

X = np.random.rand(300, 4)
y = X[:, :1] * 3
model = Sequential([Dense(16, input_dim=4, activation='tanh'), Dense(2)])
model.compile(loss=gaussian_nll, optimizer='adam')
model.fit(X, y, epochs=10)
`);
    const plan = planOf(model, 10);
    assert.equal(plan.compile.loss, 'custom');
    const text = JSON.stringify(plan.compile.lossExpression);
    assert.match(text, /"op":"index","x":\{"op":"arg","index":1\},"axes":\[\{"index":0\}\]\}/);
    assert.match(text, /"op":"index","x":\{"op":"arg","index":1\},"axes":\[\{"index":1\}\],"fromEnd":true/);
    // The loss of known tensors, as numpy computes it: targets [[1], [2]], outputs [[0.5, 0], [1, ln 2]].
    const value = tf.tidy(() => evaluateExpr(plan.compile.lossExpression!, [tf.tensor2d([[1], [2]]), tf.tensor2d([[0.5, 0], [1, Math.log(2)]])]).dataSync()[0]);
    const expected = (0.5 * 1 * 0.25 + 0 + 0.5 * 0.5 * 1 + 0.5 * Math.log(2)) / 2;
    assert.ok(Math.abs(value - expected) < 1e-6, `${value} vs ${expected}`);
    assertFalls(await train(plan));
  });

  it('parameters of a loss past the targets and outputs keep their defaults; one nanguard cannot read refuses only a loss that reads it', async () => {
    const model = await modelOf(`
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras import ops as K
from settings import CLASS_WEIGHTS

def mse_eps(y_true, y_pred, epsilon=keras.backend.epsilon(), weights=CLASS_WEIGHTS):
    return K.mean(K.square(y_true - y_pred)) + epsilon

X = np.random.rand(300, 4)
model = Sequential([Dense(8, input_dim=4, activation='tanh'), Dense(4)])
model.compile(loss=mse_eps, optimizer='adam')
model.fit(X, X, epochs=10)
`);
    const plan = planOf(model, 10);
    assert.deepEqual(plan.compile.lossExpression?.op, 'add');
    assert.match(JSON.stringify(plan.compile.lossExpression), /"value":1e-7/);
  });

  it('a Lambda or loss of other code is refused, naming the line and what is not translated', async () => {
    const lambda = await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
import tensorflow as tf
inputs = keras.Input(shape=(4,))
z = layers.Dense(2)(inputs)
z = layers.Lambda(lambda t: t + tf.cumsum(t, axis=1))(z)
outputs = layers.Dense(4)(z)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(10, 4), np.random.rand(10, 4))
`);
    assert.match(refusalOf(lambda), /^layer lambda \(Lambda, line 8\) cannot be reproduced: line 8: `tf\.cumsum\(t, axis=1\)` calls cumsum, which nanguard does not translate/);
    const loss = await modelOf(`
import numpy as np
import tensorflow as tf
from tensorflow import keras
def masked_mse(y_true, y_pred):
    mask = tf.not_equal(y_true, 0)
    return tf.reduce_mean(tf.square(tf.boolean_mask(y_true, mask) - tf.boolean_mask(y_pred, mask)))
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3)])
model.compile(optimizer="adam", loss=masked_mse)
model.fit(np.random.rand(10, 3), np.random.rand(10, 3))
`);
    assert.match(refusalOf(loss), /^the custom loss masked_mse cannot be reproduced: line 7: `tf\.boolean_mask\(y_true, mask\)` calls boolean_mask, which nanguard does not translate/);
  });
});

describe('Conv1DTranspose', () => {
  it('a 1-D convolutional autoencoder decoding with Conv1DTranspose trains, with the output length Keras computes', async () => {
    const model = await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
seqs = np.random.rand(128, 24, 2)
inp = keras.Input(shape=(24, 2))
x = layers.Conv1D(8, 3, strides=2, padding="same", activation="relu")(inp)
x = layers.Conv1D(4, 3, padding="valid", activation="relu")(x)
x = layers.Conv1DTranspose(4, 3, padding="valid", activation="relu")(x)
x = layers.Conv1DTranspose(8, 3, strides=2, padding="same", activation="relu")(x)
out = layers.Conv1D(2, 3, padding="same")(x)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="mse")
model.fit(seqs, seqs, epochs=20, batch_size=16)
`);
    const plan = planOf(model, 10);
    const s = await train(plan);
    assertFalls(s);
    // Keras's kernel layout, (kernel_size, filters, input channels): 3 * 4 * 4 + 4 and 3 * 8 * 4 + 8 parameters.
    assert.equal(s.model.parameters, 8 * 2 * 3 + 8 + 4 * 8 * 3 + 4 + (3 * 4 * 4 + 4) + (3 * 8 * 4 + 8) + (2 * 8 * 3 + 2));
  });
});

describe('optimizers', () => {
  it('AdamW and Lion with the arguments the code gives (weight decay, betas), Keras defaults for the rest', async () => {
    const model = await modelOf(`
import numpy as np
from tensorflow import keras
model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(6)])
model.compile(optimizer=keras.optimizers.AdamW(learning_rate=3e-3, weight_decay=1e-4, beta_2=0.99), loss="mse")
X = np.random.rand(200, 6)
model.fit(X, X, epochs=20)
`);
    const plan = planOf(model, 10);
    assert.deepEqual(plan.compile.optimizer, {
      className: 'AdamW',
      config: { learning_rate: 3e-3, weight_decay: 1e-4, beta_1: 0.9, beta_2: 0.99, epsilon: 1e-7, amsgrad: false, clipnorm: null, clipvalue: null, global_clipnorm: null },
    });
    assertFalls(await train(plan));
    const lion = await modelOf(`
import numpy as np
from tensorflow import keras
model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(6)])
model.compile(optimizer="lion", loss="mse")
X = np.random.rand(200, 6)
model.fit(X, X, epochs=20)
`);
    const lionPlan = planOf(lion, 10);
    assert.deepEqual(lionPlan.compile.optimizer.config, { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.99, clipnorm: null, clipvalue: null, global_clipnorm: null });
    assertFalls(await train(lionPlan));
  });
});

describe('losses', () => {
  it('categorical cross-entropy on a softmax output (computed from its logits, as Keras does) trains', async () => {
    const model = await modelOf(`
import numpy as np
from tensorflow import keras
X = np.array([[0.1, 0.9, 0.2], [0.8, 0.1, 0.3], [0.2, 0.2, 0.9], [0.9, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.1, 0.7]] * 20)
y = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]] * 20)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(0.01), metrics=["accuracy"])
model.fit(X, y, epochs=30, batch_size=16)
`);
    const plan = planOf(model, 15);
    assert.equal(plan.compile.loss, 'categorical_crossentropy');
    assertFalls(await train(plan));
  });
});

describe('TensorFlow.js errors become sentences', () => {
  it('a layer TensorFlow.js cannot build is named, with the reason in Keras terms; the raw text is only the detail', () => {
    const plan = planOf(
      {
        name: 'model',
        path: 'model.json',
        kind: 'json',
        layers: [],
        data: {},
        numerics: [],
        inputShape: [4],
        kerasJson: {
          class_name: 'Sequential',
          config: {
            name: 'model',
            layers: [
              { class_name: 'InputLayer', config: { batch_shape: [null, 4], name: 'input_layer' } },
              { class_name: 'Dense', config: { name: 'dense', units: 2, kernel_regularizer: 'sparseReg' } },
            ],
          },
        },
      } as ModelSpec,
    );
    const failure = describeBuildFailure(new Error('Unknown regularizer: sparseReg. This may be due to one of the following reasons: ...'), plan);
    assert.equal(failure.message, "layer dense (Dense, line 1 of model.json) could not be built in TensorFlow.js: the regularizer sparseReg is not one that TensorFlow.js has (code of the program's own cannot be reproduced)".replace(', line 1 of model.json', ''));
    assert.match(failure.detail ?? '', /Unknown regularizer: sparseReg/);
    const run = describeFailure(new Error("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"));
    assert.equal(run.message, 'the run failed: the wasm backend cannot compute Conv2DBackpropFilter; another backend (--backend cpu) can');
    assert.doesNotMatch(describeFailure(new Error('Something internal broke: x.y is undefined')).message, /x\.y/);
    // A layer given more tensors than it takes is nanguard's reading of the graph at fault, and is said to be.
    const wiring = describeBuildFailure(new Error('Layer dense expects 1 inputs, but it received 2 input tensors. Input received: [object Object],[object Object]'), plan);
    assert.equal(wiring.message, "layer dense (Dense) could not be built in TensorFlow.js: nanguard's reading of the graph gives it 2 inputs where it takes 1, a mistake of nanguard's and not of the program");
  });

  it("Keras's own initializers and regularizers keep their arguments; a regularizer class of the program's own is refused", async () => {
    const model = await modelOf(`
import numpy as np
from keras import regularizers
from keras.initializers import RandomNormal
from keras.layers import Input, Dense
from keras.models import Model

class SparseReg(regularizers.Regularizer):
    def __init__(self, beta, p):
        self.beta = beta
        self.p = p

winit = RandomNormal(mean=0.0, stddev=0.1)
inp = Input(shape=(16,))
h = Dense(8, activation='sigmoid', kernel_initializer=winit, kernel_regularizer=regularizers.l2(0.001))(inp)
h = Dense(4, activation='sigmoid', activity_regularizer=SparseReg(beta=0.5, p=0.01))(h)
out = Dense(16, activation='sigmoid')(h)
model = Model(inp, out)
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(np.random.rand(64, 16), np.random.rand(64, 16), epochs=2)
`);
    const dense = model.layers.find((l) => l.name === 'dense')!;
    assert.deepEqual(dense.config.kernel_initializer, { class_name: 'RandomNormal', config: { mean: 0, stddev: 0.1 } });
    assert.deepEqual(dense.config.kernel_regularizer, { class_name: 'L2', config: { l2: 0.001 } });
    // Its penalty would be SparseReg's __call__, which this class does not write (one that does is translated: repro-activity-regularizer.test.ts).
    assert.equal(
      refusalOf(model),
      'layer dense_1 (Dense, line 16): its activity_regularizer `SparseReg(beta=0.5, p=0.01)` cannot be reproduced: line 16: `SparseReg(beta=0.5, p=0.01)` is an object of the class SparseReg, which has no __call__ of its own that nanguard can read; nanguard translates regularizers made of element-wise tf, K (keras.backend) and keras.ops operations, means and sums',
    );
  });

  it('layer arguments the reproduction does not have are refused before any TensorFlow.js code runs', async () => {
    const model = await modelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers, regularizers

def sparse_reg(w):
    return 0.01 * keras.ops.sum(keras.ops.abs(w))

model = keras.Sequential([
    keras.Input(shape=(8,)),
    layers.Dense(4, activation="relu", kernel_regularizer=sparse_reg),
    layers.Dense(8),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(10, 8), np.random.rand(10, 8))
`);
    assert.equal(refusalOf(model), "layer dense (Dense, line 11): its kernel_regularizer `sparse_reg` is code of the program's own (nanguard reproduces the l1, l2 and l1_l2 regularizers)");
  });
});
