/**
 * The rules decide from code, never from comments or strings: each case runs real source through
 * the Python front-end, once where the trigger (or the guard) is code, and once where the same
 * words sit only in a comment or a string.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile, DEFAULT_SETTINGS, NO_FILES, type Finding } from '../../src/core/index';

const HEADER = 'import numpy as np\nimport pandas as pd\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\nfrom tensorflow.keras import backend as K\n';
const DENSE_AE = (width: number, output = 'linear') =>
  `autoencoder = keras.Sequential([keras.Input(shape=(${width},)), layers.Dense(8, activation="relu"), layers.Dense(2, activation="relu"), layers.Dense(8, activation="relu"), layers.Dense(${width}, activation="${output}")])\n`;

async function findingsOf(rule: string, body: string): Promise<Finding[]> {
  const { findings } = await checkFile('decide.py', `${HEADER}${body}`, NO_FILES, DEFAULT_SETTINGS);
  return findings.filter((f) => f.rule === rule);
}

const show = (fs: Finding[]) => fs.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('\n');

test('NAN104: pct_change() in code fires; in a comment it does not, and a dropna() in a comment does not hide the real one', async () => {
  const fit = `${DENSE_AE(3)}autoencoder.compile(optimizer="adam", loss="mse")\nautoencoder.fit(X, X, epochs=20)\n`;
  const real = await findingsOf('NAN104', `prices = pd.read_csv("prices.csv")\nreturns = prices.pct_change()\nX = returns.values.astype("float32")\n${fit}`);
  assert.equal(real.length, 1, show(real));
  assert.match(real[0].message, /^pct_change\(\) leaves the first row/);
  const commented = await findingsOf('NAN104', `prices = pd.read_csv("prices.csv")\nreturns = prices.rolling(3).mean()  # was prices.pct_change()\nX = returns.values.astype("float32")\n${fit}`);
  assert.deepEqual(commented.filter((f) => /pct_change/.test(f.message)), [], show(commented));
  const dropInComment = await findingsOf('NAN104', `prices = pd.read_csv("prices.csv")\nreturns = prices.pct_change()\nreturns = returns  # TODO .dropna()\nX = returns.values.astype("float32")\n${fit}`);
  assert.equal(dropInComment.length, 1, show(dropInComment));
});

test('NAN106: a fractional exponent and a counts generator count in code, not in a comment', async () => {
  const fit = `${DENSE_AE(4)}autoencoder.compile(optimizer="adam", loss="mse")\nautoencoder.fit(X, X, epochs=20)\n`;
  const std = 'X = np.random.uniform(0, 10, size=(1000, 4))\nX = (X - X.mean(axis=0)) / X.std(axis=0)\n';
  const power = await findingsOf('NAN106', `${std}X = np.power(X, 0.5)\n${fit}`);
  assert.equal(power.length, 1, show(power));
  assert.match(power[0].message, /^a fractional power/);
  assert.deepEqual(await findingsOf('NAN106', `${std}X = np.power(X, 2)  # np.power(X, 0.5) was NaN\n${fit}`), []);
  const counts = await findingsOf('NAN106', `counts = np.random.poisson(3, size=(1000, 4))\nX = np.log(counts)\n${fit}`);
  assert.equal(counts.length, 1, show(counts));
  assert.match(counts[0].message, /drawn with poisson\(\)/);
  const notCounts = await findingsOf('NAN106', `counts = np.random.uniform(1, 2, size=(1000, 4))  # not np.random.poisson(3)\nX = np.log(counts)\n${fit}`);
  assert.deepEqual(notCounts.filter((f) => /poisson/.test(f.message)), [], show(notCounts));
});

test('NAN207: initializer arguments come from the code, not from a comment on the layer', async () => {
  const model = (init: string, comment = '') =>
    `X = np.random.rand(1024, 256)\nstd = float(input())\nautoencoder = keras.Sequential([\n    keras.Input(shape=(256,)),\n    layers.Dense(128, activation="sigmoid", kernel_initializer=keras.initializers.RandomNormal(${init})),${comment}\n    layers.Dense(256, activation="sigmoid"),\n])\nautoencoder.compile(optimizer="adam", loss="mse")\nautoencoder.fit(X, X, epochs=20)\n`;
  const real = await findingsOf('NAN207', model('stddev=1.0'));
  assert.equal(real.length, 1, show(real));
  assert.match(real[0].message, /RandomNormal\(stddev=1\)/);
  assert.deepEqual(await findingsOf('NAN207', model('stddev=std', '  # stddev=1.0 saturated it')), []);
});

const VAE = (logVar: string, extra = '') => `X = np.random.rand(1000, 64)
inputs = keras.Input(shape=(64,))
h = layers.Dense(32, activation="relu")(inputs)
z_mean = layers.Dense(2, name="mean")(h)
${logVar}
${extra}
def sampling(args):
    z_mean, z_log_var = args
    eps = K.random_normal(shape=K.shape(z_mean))
    return z_mean + K.exp(0.5 * z_log_var) * eps


z = layers.Lambda(sampling)([z_mean, z_log_var])
outputs = layers.Dense(64, activation="sigmoid")(layers.Dense(32, activation="relu")(z))
vae = keras.Model(inputs, outputs)
vae.compile(optimizer="adam", loss="mse")
vae.fit(X, X, epochs=20)
`;

test('NAN401: a clip in code bounds the log-variance; the word clip in a comment or a string does not', async () => {
  assert.equal((await findingsOf('NAN401', VAE('z_log_var = layers.Dense(2, name="lv")(h)'))).length, 1);
  assert.deepEqual(await findingsOf('NAN401', VAE('z_log_var = layers.Dense(2, name="lv")(h)', 'z_log_var = tf.clip_by_value(z_log_var, -10.0, 10.0)')), []);
  const comment = await findingsOf('NAN401', VAE('z_log_var = layers.Dense(2, name="lv")(h)  # clip it later'));
  assert.equal(comment.length, 1, show(comment));
  const string = await findingsOf('NAN401', VAE('z_log_var = layers.Dense(2, name="lv_noclip")(h)'));
  assert.equal(string.length, 1, show(string));
});

test('NAN402: from_logits=True on the loss counts; in a comment it does not', async () => {
  const body = (compile: string) => `X = np.random.rand(1000, 64)\n${DENSE_AE(64)}${compile}\nautoencoder.fit(X, X, epochs=20)\n`;
  const linear = await findingsOf('NAN402', body('autoencoder.compile(optimizer="adam", loss="binary_crossentropy")  # from_logits=True?'));
  assert.equal(linear.length, 1, show(linear));
  assert.match(linear[0].message, /binary cross-entropy on a linear output/);
  assert.deepEqual(await findingsOf('NAN402', body('autoencoder.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))')), []);
  assert.deepEqual(await findingsOf('NAN402', body('bce = keras.losses.BinaryCrossentropy(from_logits=True)\nautoencoder.compile(optimizer="adam", loss=bce)')), []);
});

test('NAN403: a GradientTape loop is code, not a comment, and a LossScaleOptimizer in a comment does not scale the loss', async () => {
  const model = `keras.mixed_precision.set_global_policy("mixed_float16")\nX = np.random.rand(1024, 16).astype("float32")\n${DENSE_AE(16)}opt = keras.optimizers.Adam()\nautoencoder.compile(optimizer=opt, loss="mse")\n`;
  const loop = 'for step in range(100):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean((autoencoder(X) - X) ** 2)\n    grads = tape.gradient(loss, autoencoder.trainable_variables)\n    opt.apply_gradients(zip(grads, autoencoder.trainable_variables))\n';
  const tape = (await findingsOf('NAN403', `${model}${loop}`)).filter((f) => /GradientTape/.test(f.message));
  assert.equal(tape.length, 1);
  assert.equal(tape[0].range.start.line, model.split('\n').length + HEADER.split('\n').length - 1);
  const mentioned = await findingsOf('NAN403', `${model}# a tf.GradientTape() loop was tried here\nprint("no GradientTape() any more")\n`);
  assert.deepEqual(mentioned.filter((f) => /GradientTape/.test(f.message)), []);
  const scaledInComment = await findingsOf('NAN403', `${model}# TODO: LossScaleOptimizer\n${loop}`);
  assert.equal(scaledInComment.filter((f) => /GradientTape/.test(f.message)).length, 1);
});

test('NAN404: a clip earlier in the loss guards the log; the same words in a comment do not', async () => {
  const body = (earlier: string) => `X = (np.random.rand(1000, 64) > 0.5).astype("float32")\n\n\ndef bce_loss(y_true, y_pred):\n    ${earlier}\n    return -K.mean(y_true * K.log(y_pred) + (1 - y_true) * K.log(1 - y_pred))\n\n\n${DENSE_AE(64, 'sigmoid')}autoencoder.compile(optimizer="adam", loss=bce_loss)\nautoencoder.fit(X, X, epochs=20)\n`;
  assert.deepEqual(await findingsOf('NAN404', body('y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())')), []);
  const comment = await findingsOf('NAN404', body('y_pred = y_pred  # K.clip(y_pred, K.epsilon(), 1 - K.epsilon())'));
  assert.equal(comment.length, 2, show(comment));
});

test('NAN501: a Sequence whose __len__ counts one batch too many is code; a Sequence named in a comment is not one', async () => {
  const dataset = (base: string, comment = '') => `${comment}class Batches(${base}):
    def __init__(self, x, batch_size):
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size + 1


X = np.random.rand(256, 8)
${DENSE_AE(8)}autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(Batches(X, 32), epochs=20)
`;
  const real = await findingsOf('NAN501', dataset('keras.utils.PyDataset'));
  assert.equal(real.length, 1, show(real));
  assert.match(real[0].message, /^__len__ returns len \/\/ batch_size \+ 1/);
  assert.deepEqual(await findingsOf('NAN501', dataset('object', '# was: class Batches(keras.utils.Sequence)\n')), []);
});

test('NAN501: rows counted from np.random.rand(1000, 8) in code, not from the same line in a docstring', async () => {
  const fit = `${DENSE_AE(8)}autoencoder.compile(optimizer="adam", loss="mse")\nautoencoder.fit(X_train, X_train, epochs=20, validation_data=(X_val, X_val))\n`;
  const real = await findingsOf('NAN501', `X = np.random.rand(1000, 8)\nX_train, X_val = X[:1000], X[1000:]\n${fit}`);
  assert.equal(real.length, 1, show(real));
  const docstring = `"""Usage:\nX = np.random.rand(1000, 8)\n"""\nX = np.load(input())\nX_train, X_val = X[:1000], X[1000:]\n${fit}`;
  assert.deepEqual(await findingsOf('NAN501', docstring), []);
});

test('NAN503: a sort and a shuffle count in code, not in a comment or a string', async () => {
  const fit = `${DENSE_AE(3)}autoencoder.compile(optimizer="adam", loss="mse")\nautoencoder.fit(X, X, epochs=20, validation_split=0.2)\n`;
  const sorted = 'df = pd.read_csv("sensors.csv")\ndf = df.sort_values("temp")\nX = df.values.astype("float32")\n';
  const real = await findingsOf('NAN503', `${sorted}${fit}`);
  assert.equal(real.length, 1, show(real));
  assert.match(real[0].message, /the data is sorted \(line 8\)/);
  assert.equal((await findingsOf('NAN503', `${sorted}# np.random.shuffle(X) is still to do\n${fit}`)).length, 1);
  assert.deepEqual(await findingsOf('NAN503', `${sorted}np.random.shuffle(X)\n${fit}`), []);
  const mentioned = 'df = pd.read_csv("sensors.csv")\nprint("not df.sort_values() here")\nX = df.values.astype("float32")  # sorted() would break validation_split\n';
  assert.deepEqual(await findingsOf('NAN503', `${mentioned}${fit}`), []);
  assert.deepEqual(await findingsOf('NAN503', `${sorted}# parse_dates=True would make this a series\n${fit}`).then((fs) => fs.filter((f) => f.severity !== 'warning')), []);
});
