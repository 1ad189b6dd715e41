/**
 * Patterns from real NaN and stall reports, as their reporters wrote them, run through the Python
 * front-end and the rules: each fires on the reported code and not on the reported fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS, NO_FILES, type Finding } from '../../src/core/index';

async function findings(source: string, rule: string): Promise<{ hits: Finding[]; text: string }> {
  const { findings: all } = await checkFile('report.py', source, NO_FILES, DEFAULT_SETTINGS);
  return { hits: all.filter((f) => f.rule === rule), text: source };
}

const show = (fs: Finding[]) => fs.map((f) => `${f.range.start.line + 1}: ${f.rule} ${f.message}`).join('\n');

function applyFix(text: string, finding: Finding): string {
  const lines = text.split('\n');
  const [edit] = finding.fixes?.[0]?.edits ?? [];
  assert.ok(edit, 'a fix');
  const line = lines[edit.range.start.line];
  lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
  return lines.join('\n');
}

// keras-team/keras#13203: a Lambda sqrt right after a relu layer.
const SQRT_AFTER_RELU = (argument: string) => `import numpy as np
import keras
from keras import ops

inputs = keras.Input(shape=(10, 10))
h = keras.layers.Dense(units=64, activation='relu', name='middle')(inputs)
h = keras.layers.Flatten()(h)
h = keras.layers.Lambda(lambda x: ops.sqrt(${argument}), name='error_point')(h)
outputs = keras.layers.Dense(units=1, activation='sigmoid')(h)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer='adam', loss='binary_crossentropy')
x = np.random.randn(1000, 10, 10)
y = np.random.randint(0, 2, (1000, 1))
model.fit(x, y, epochs=5, batch_size=32)
`;

test('NAN106: sqrt in a Lambda on a relu output is an error (inf gradient at 0), fixed by an epsilon; sqrt of a sigmoid output is fine', async () => {
  const { hits, text } = await findings(SQRT_AFTER_RELU('x'), 'NAN106');
  assert.equal(hits.length, 1, show(hits));
  assert.equal(hits[0].severity, 'error');
  assert.match(hits[0].message, /^sqrt\(x\) in error_point on the relu output of middle: .*inf × relu's zero gradient is NaN/);
  assert.match(applyFix(text, hits[0]), /ops\.sqrt\(x \+ 1e-6\)/);
  assert.deepEqual((await findings(SQRT_AFTER_RELU('x + 1e-6'), 'NAN106')).hits, []);
  const sigmoid = SQRT_AFTER_RELU('x').replace("activation='relu', name='middle'", "activation='sigmoid', name='middle'");
  assert.deepEqual((await findings(sigmoid, 'NAN106')).hits, []);
});

// keras-team/keras#4967: the classic VAE example's loss, original_dim * binary_crossentropy, on data outside [0, 1].
const VAE_XENT = (scale: string) => `import numpy as np
from keras.layers import Input, Dense
from keras.models import Model
from keras import metrics

x_train = np.random.uniform(0, 12, (400, 100))${scale}
original_dim = 100


def xent(x, x_decoded_mean):
    return original_dim * metrics.binary_crossentropy(x, x_decoded_mean)


x_in = Input(shape=(original_dim,))
h = Dense(64, activation='relu')(x_in)
out = Dense(original_dim, activation='sigmoid')(h)
vae = Model(x_in, out)
vae.compile(optimizer='rmsprop', loss=xent)
vae.fit(x_train, x_train, epochs=20, batch_size=100)
`;

test('NAN402: a custom loss built on binary cross-entropy checks the targets like the loss itself', async () => {
  const { hits } = await findings(VAE_XENT(''), 'NAN402');
  assert.equal(hits.length, 1, show(hits));
  assert.match(hits[0].message, /^binary cross-entropy needs targets in \[0, 1\], but feature \d+ of x_train spans 0-12/);
  assert.deepEqual((await findings(VAE_XENT(' / 12.0'), 'NAN402')).hits, []);
});

// keras-team/keras#6615: a KL sparsity activity regularizer on conv layers whose LeakyReLU comes after them.
const SPARSE_REG = (activation: string) => `import numpy as np
from keras import ops, regularizers
from keras.layers import Input, Conv2D, LeakyReLU, MaxPooling2D, UpSampling2D
from keras.models import Model


class SparseReg(regularizers.Regularizer):
    def __init__(self, beta, p):
        self.beta = beta
        self.p = p

    def __call__(self, x):
        p_hat = ops.mean(x, axis=0)
        kl = self.p * ops.log(self.p / p_hat) + (1 - self.p) * ops.log((1 - self.p) / (1 - p_hat))
        return self.beta * ops.sum(kl)


x_train = np.random.rand(1024, 28, 28, 1)
input_img = Input(shape=(28, 28, 1))
x = Conv2D(64, (3, 3), padding='same', ${activation}activity_regularizer=SparseReg(beta=5e-1, p=1e-2), name='lay1')(input_img)
x = LeakyReLU(negative_slope=1e-1)(x)
x = MaxPooling2D((2, 2), padding='same')(x)
x = UpSampling2D((2, 2))(x)
decoded = Conv2D(1, (3, 3), activation='sigmoid', padding='same')(x)
autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(x_train, x_train, epochs=5, batch_size=128)
`;

test('NAN106: a log in a custom activity regularizer on a linear conv output is NaN, on a relu conv output inf; on a sigmoid output, nothing', async () => {
  const { hits } = await findings(SPARSE_REG(''), 'NAN106');
  assert.equal(hits.length, 1, show(hits));
  assert.equal(hits[0].severity, 'error');
  assert.match(hits[0].message, /^log\(self\.p \/ p_hat\) in the activity regularizer SparseReg\(beta=5e-1, p=1e-2\) of lay1, whose output is linear: .* NaN from the first batch/);
  const relu = (await findings(SPARSE_REG("activation='relu', "), 'NAN106')).hits;
  assert.equal(relu.length, 1, show(relu));
  assert.equal(relu[0].severity, 'error');
  assert.match(relu[0].message, /whose output is relu: a unit whose mean over the batch is exactly 0 .* inf from the first batch/);
  assert.deepEqual((await findings(SPARSE_REG("activation='sigmoid', "), 'NAN106')).hits, []);
});

// jadhavhninad/Sparse_autoencoder#1: the regularizer calls a KL helper of the file; the activations reach it as rho_hat.
const SPARSE_DENSE = (code: string) => `import numpy as np
from keras import ops
from keras.layers import Input, Dense
from keras.models import Model

rho = 0.01
beta = 3


def kl_divergence(rho, rho_hat):
    return rho * ops.log(rho) - rho * ops.log(rho_hat) + (1 - rho) * ops.log(1 - rho) - (1 - rho) * ops.log(1 - rho_hat)


def sparse_reg(activ_matrix):
    rho_hat = ${code}
    return beta * ops.sum(kl_divergence(rho, rho_hat))


x_train = np.random.rand(1024, 784)
input_img = Input(shape=(784,))
encoded = Dense(196, activation='relu', activity_regularizer=sparse_reg)(input_img)
decoded = Dense(784, activation='sigmoid')(encoded)
autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(x_train, x_train, epochs=5, batch_size=256)
`;

test('NAN106: a log in a helper the activity regularizer calls is found on the argument that carries the activations, not on log(rho) of a constant', async () => {
  const { hits } = await findings(SPARSE_DENSE('ops.mean(activ_matrix, axis=0)'), 'NAN106');
  assert.equal(hits.length, 1, show(hits));
  assert.match(hits[0].message, /^log\(rho_hat\) in the activity regularizer sparse_reg of dense, whose output is relu: a unit whose mean over the batch is exactly 0 .* log\(0\) = -inf/);
  // The helper fed a constant instead of the activations: the logs read no activation.
  assert.deepEqual((await findings(SPARSE_DENSE('0.05'), 'NAN106')).hits, []);
});

// WorldModels#9: frames standardised as a whole, reconstructed through a sigmoid output.
const STANDARDISED_FRAMES = (output: string) => `import numpy as np
from keras.layers import Input, Dense
from keras.models import Model

data = np.load('rollouts.npz')['obs']
data = (data - data.mean()) / data.std()
x_in = Input(shape=(64,))
h = Dense(32, activation='relu')(x_in)
out = Dense(64, activation='${output}')(h)
vae = Model(x_in, out)
vae.compile(optimizer='rmsprop', loss='mse')
vae.fit(data, data, epochs=3, batch_size=32)
`;

test('NAN201: standardised targets of unknown values through a sigmoid output stall (warning); a linear output is fine', async () => {
  const { hits } = await findings(STANDARDISED_FRAMES('sigmoid'), 'NAN201');
  assert.equal(hits.length, 1, show(hits));
  assert.equal(hits[0].severity, 'warning');
  assert.match(hits[0].message, /^sigmoid output can only produce \(0, 1\) but the targets \(data\) are centred by standardisation/);
  assert.deepEqual((await findings(STANDARDISED_FRAMES('linear'), 'NAN201')).hits, []);
});

// keras-team/keras#11832 and #11853: float16 everywhere with K.set_floatx, Adam at its default epsilon.
const FLOATX = (line: string, optimizer: string) => `import numpy as np
from keras import backend as K
from keras.layers import Input, Dense
from keras.models import Model
from keras.optimizers import Adam

${line}
x = np.random.rand(256, 64).astype('float16')
inputs = Input(shape=(64,))
h = Dense(16, activation='relu')(inputs)
model = Model(inputs, Dense(64)(h))
model.compile(optimizer=${optimizer}, loss='mse')
model.fit(x, x, epochs=5)
`;

test('NAN303: K.set_floatx("float16") is read as float16 everywhere; Adam at its default epsilon there is an error, at 1e-4 or under mixed_float16 not', async () => {
  const { hits, text } = await findings(FLOATX("K.set_floatx('float16')", 'Adam(learning_rate=1e-4)'), 'NAN303');
  assert.equal(hits.length, 1, show(hits));
  assert.equal(hits[0].severity, 'error');
  assert.match(hits[0].message, /^Adam with epsilon 1e-7 .* under float16 \(set at report\.py:7\)/);
  assert.match(applyFix(text, hits[0]), /Adam\(learning_rate=1e-4, epsilon=0\.0001\)/);
  assert.deepEqual((await findings(FLOATX("K.set_floatx('float16')", 'Adam(learning_rate=1e-4, epsilon=1e-4)'), 'NAN303')).hits, []);
  assert.deepEqual((await findings(FLOATX("keras.mixed_precision.set_global_policy('mixed_float16')", 'Adam()'), 'NAN303')).hits, []);
  assert.deepEqual((await findings(FLOATX("K.set_floatx('float32')", 'Adam()'), 'NAN303')).hits, []);
});

// keras-team/keras#6004: windows of a CSV's rows built in a loop, then sliced and reshaped.
test('NAN101/NAN102: windows cut from a CSV in a loop carry the file\'s column ranges as bounds', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nanguard-windows-'));
  try {
    const rows = Array.from({ length: 300 }, (_, i) => `2010-01-${i},${300 + (i % 600)},${310 + (i % 500)},${1e6 + 1e4 * i}`);
    writeFileSync(join(root, 'prices.csv'), `Date,Open,Close,Volume\n${rows.join('\n')}\n`);
    const source = `import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, LSTM

df = pd.read_csv('prices.csv', index_col='Date')
df = df[['Open', 'Close', 'Volume']]
data = df.values
result = []
for index in range(len(data) - 23):
    result.append(data[index: index + 23])
result = np.array(result)
X_train = result[:200, :-1]
y_train = result[:200, -1][:, -2]
model = Sequential()
model.add(LSTM(16, input_shape=(22, 3)))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
model.fit(X_train, y_train, epochs=2)
`;
    const path = join(root, 'stock.py');
    writeFileSync(path, source);
    const host = createFileSystemHost({ cwd: root, workspaceRoot: root });
    const { findings: all, analysis } = await checkFile(path, source, host, DEFAULT_SETTINGS);
    const train = analysis.models[0].data.train!;
    assert.deepEqual(train.shape, [200, 22, 3]);
    assert.equal(train.statsKind, 'bounds');
    assert.deepEqual(train.stats?.map((s) => s.name), ['Open', 'Close', 'Volume']);
    const unscaled = all.filter((f) => f.rule === 'NAN101');
    assert.equal(unscaled.length, 1, show(all));
    assert.match(unscaled[0].message, /^X_train reaches the network unscaled: feature 2 \('Volume'\) spans 1e6-3\.99e6 \(within prices\.csv's column range\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// blog.csdn.net/Five_L/article/details/149088309: a subclassed model standardises its numeric input
// in call with the mean and variance of the training columns; one column is 0 in every row.
const STANDARDISED_IN_CALL = (divisor: string) => `import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow.keras import Model, layers

df = pd.read_csv("samples.csv")
num_cols = ["price", "coupon_amount", "dwell_time"]
y = df["label"].values.astype("float32")


class customModel(Model):
    def __init__(self, mean, var):
        super().__init__()
        self.mean = tf.constant(mean, dtype=tf.float32)
        self.var = tf.constant(var, dtype=tf.float32)
        self.fc = layers.Dense(16, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        x = (x - self.mean) / ${divisor}
        return self.out(self.fc(x))


nums = df[num_cols].values.astype("float32")
model = customModel(nums.mean(axis=0), nums.var(axis=0))
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(nums, y, batch_size=64, epochs=5)
`;

test('NAN105: a subclassed model dividing its input by tf.sqrt of a column variance computed from the data names the constant column', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nanguard-in-call-'));
  try {
    const rows = Array.from({ length: 200 }, (_, i) => `${10 + (i % 37)},0.0,${(i * 7) % 90},${i % 2}`);
    writeFileSync(join(root, 'samples.csv'), `price,coupon_amount,dwell_time,label\n${rows.join('\n')}\n`);
    const host = createFileSystemHost({ cwd: root, workspaceRoot: root });
    const check = async (divisor: string) => (await checkFile(join(root, 'model.py'), STANDARDISED_IN_CALL(divisor), host, DEFAULT_SETTINGS)).findings.filter((f) => f.rule === 'NAN105');
    const hits = await check('tf.sqrt(self.var)');
    assert.equal(hits.length, 1, show(hits));
    assert.equal(hits[0].severity, 'error');
    assert.match(hits[0].message, /^column `coupon_amount` of .*samples\.csv is constant \(0 in all 200 rows\): tf\.sqrt\(self\.var\) is 0 there/);
    assert.equal(hits[0].range.start.line + 1, 20);
    assert.deepEqual(await check('tf.sqrt(self.var + 1e-8)'), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// A hand-written binary cross-entropy clipped at 1 - 1e-8: 1.0 in float32, so the clip keeps nothing off 1.
const CLIPPED_BCE = (bound: string, inline: boolean) => `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import backend as K


def my_bce(y_true, y_pred):
${inline ? '' : `    y_pred = K.clip(y_pred, 1e-8, ${bound})\n`}    return -K.mean(y_true * K.log(${inline ? `K.clip(y_pred, 1e-8, ${bound})` : 'y_pred'}) + (1 - y_true) * K.log(1 - ${inline ? `K.clip(y_pred, 1e-8, ${bound})` : 'y_pred'}))


x = (np.random.rand(1000, 20) > 0.5).astype("float32")
model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(8, activation="relu"), layers.Dense(20, activation="sigmoid")])
model.compile(optimizer="adam", loss=my_bce)
model.fit(x, x, epochs=5)
`;

test('NAN404: log(1 - p) with p clipped at 1 - 1e-8 (1.0 in float32) is an error, and the fix clips at 1 - 1e-7', async () => {
  for (const inline of [false, true]) {
    const { hits, text } = await findings(CLIPPED_BCE('1 - 1e-8', inline), 'NAN404');
    assert.equal(hits.length, 1, show(hits));
    assert.equal(hits[0].severity, 'error');
    assert.match(hits[0].message, /^custom loss `my_bce` takes log\(1 - .*\) of a prediction clipped at 1 - 1e-8, which is 1\.0 in float32/);
    const fixed = applyFix(text, hits[0]);
    assert.match(fixed, /K\.clip\(y_pred, 1e-8, 1 - 1e-7\)/);
    assert.deepEqual((await findings(fixed, 'NAN404')).hits.filter((f) => /float32/.test(f.message)), []);
  }
  assert.deepEqual((await findings(CLIPPED_BCE('1 - 1e-7', false), 'NAN404')).hits, []);
  assert.deepEqual((await findings(CLIPPED_BCE('1 - K.epsilon()', false), 'NAN404')).hits, []);
});

// A channel the code zeroes before standardising: constant whatever the other columns are.
const ZEROED_CHANNEL = (divisor: string) => `import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(3)
X = 50 + 10 * (rng.normal(size=(512, 3)) @ rng.normal(size=(3, 10)))
X[:, 7] = 0.0
X = (X - X.mean(axis=0)) / ${divisor}
inputs = keras.Input(shape=(10,))
outputs = layers.Dense(10)(layers.Dense(4, activation="relu")(inputs))
autoencoder = keras.Model(inputs, outputs)
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=12, batch_size=64)
`;

test('NAN105: a column set to a constant before the division is an error naming it; unseen data without one is only a note', async () => {
  const { hits } = await findings(ZEROED_CHANNEL('X.std(axis=0)'), 'NAN105');
  assert.equal(hits.length, 1, show(hits));
  assert.equal(hits[0].severity, 'error');
  assert.match(hits[0].message, /^column 7 of X is set to 0 in every row \(`X\[:, 7\] = 0\.0`, line 7\): X\.std\(axis=0\) is 0 there/);
  assert.deepEqual((await findings(ZEROED_CHANNEL('(X.std(axis=0) + 1e-8)'), 'NAN105')).hits, []);
  const unseen = (await findings(ZEROED_CHANNEL('X.std(axis=0)').replace('X[:, 7] = 0.0\n', ''), 'NAN105')).hits;
  assert.equal(unseen.length, 1, show(unseen));
  assert.equal(unseen[0].severity, 'info');
});

// keras-team/keras#590: a count regression compiled with loss='poisson' on a linear Dense(1) output.
const POISSON = (output: string) => `import numpy as np
from keras.models import Model
from keras.layers import Input, LSTM, Dense

x = np.random.normal(size=(1500, 10, 8)).astype('float32')
y = np.random.poisson(3.0, size=(1500,)).astype('float32')
inputs = Input(shape=(10, 8))
h = LSTM(32)(inputs)
out = ${output}(h)
model = Model(inputs, out)
model.compile(loss='poisson', optimizer='adam')
model.fit(x, y, batch_size=256, epochs=20)
`;

test('NAN106: the poisson loss on an output that goes below 0 is NaN at the first batch; the fix is a softplus output', async () => {
  const { hits, text } = await findings(POISSON("Dense(1, activation='linear')"), 'NAN106');
  assert.equal(hits.length, 1, show(hits));
  assert.equal(hits[0].severity, 'error');
  assert.match(hits[0].message, /^the poisson loss takes log\(y_pred \+ 1e-7\) of dense's linear output/);
  assert.match(applyFix(text, hits[0]), /Dense\(1, activation='softplus'\)/);
  // No activation written: the same finding, without an edit to make.
  const bare = await findings(POISSON('Dense(1)'), 'NAN106');
  assert.deepEqual([bare.hits.length, bare.hits[0]?.fixes?.length ?? 0], [1, 0]);
  for (const safe of ["Dense(1, activation='softplus')", "Dense(1, activation='exponential')", "Dense(1, activation='relu')"]) {
    assert.deepEqual((await findings(POISSON(safe), 'NAN106')).hits, [], safe);
  }
});

// Mastering TensorFlow 1.x's Keras VAE: -K.sum(y * K.log(1e-10 + y_hat) + (1 - y) * K.log(1e-10 + 1 - y_hat)).
const EPSILON_BCE = (logs: string) => `import numpy as np
from keras import backend as K
from keras.layers import Input, Dense
from keras.models import Model

x = (np.random.rand(512, 64) > 0.5).astype('float32')
inputs = Input(shape=(64,))
y_hat = Dense(64, activation='sigmoid')(Dense(32, activation='relu')(inputs))
model = Model(inputs, y_hat)

def bce_loss(y, y_hat):
    return -K.sum(${logs}, axis=-1)

model.compile(loss=bce_loss, optimizer='adam')
model.fit(x, x, epochs=15)
`;

test('NAN404: an epsilon added to 1 before p is subtracted is lost in float32 and said so; 1e-10 added is backed by the Keras runs', async () => {
  const { hits } = await findings(EPSILON_BCE('y * K.log(1e-10 + y_hat) + (1 - y) * K.log(1e-10 + 1 - y_hat)'), 'NAN404');
  assert.equal(hits.length, 2, show(hits));
  const [first, absorbed] = [...hits].sort((a, b) => a.range.start.character - b.range.start.character);
  assert.match(absorbed.message, /takes log\(1e-10 \+ 1 - y_hat\), whose epsilon 1e-10 is lost in float32 \(1 \+ 1e-10 rounds to 1\.0, leaving 1 - p\): the sigmoid output reaches exactly 1\.0/);
  assert.equal(absorbed.severity, 'error');
  assert.match(first.message, /takes log\(1e-10 \+ y_hat\) with no clip: in Keras a hand-written cross-entropy with 1e-10 added inside its logs went NaN in 8 of 8 seeds/);
  // Subtracted first, the epsilon is kept by float32 (and counted as a guard, as before).
  const after = await findings(EPSILON_BCE('y * K.log(y_hat + 1e-10) + (1 - y) * K.log(1 - y_hat + 1e-10)'), 'NAN404');
  assert.deepEqual(after.hits.filter((f) => /lost in float32/.test(f.message)), []);
});
