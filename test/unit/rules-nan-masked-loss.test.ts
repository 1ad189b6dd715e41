// NAN405: a custom loss or train_step that replaces a NaN loss hides the failure (test/evidence/NAN405.py):
// flagged as info on the mask; masking missing targets (is_nan(y_true)) is a sound design and stays quiet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES, type Finding } from '../../src/core/index';

const HEADER = 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\nX = np.random.uniform(0, 1, size=(512, 8))\n';
const MODEL = (loss: string) => `
autoencoder = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4, activation="relu"), layers.Dense(8)])
autoencoder.compile(optimizer="adam", loss=${loss})
autoencoder.fit(X, X, epochs=5)
`;

async function nan405(source: string): Promise<Finding[]> {
  const { findings } = await checkFile('masked.py', source, NO_FILES, DEFAULT_SETTINGS);
  return findings.filter((f) => f.rule === 'NAN405');
}

test('NAN405: tf.where(tf.math.is_nan(loss), 0, loss) in a custom loss is an info on the mask', async () => {
  const loss = 'def masked_mse(y_true, y_pred):\n    loss = tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)\n    return tf.where(tf.math.is_nan(loss), tf.zeros_like(loss), loss)\n';
  const [hit, ...rest] = await nan405(`${HEADER}${loss}${MODEL('masked_mse')}`);
  assert.deepEqual(rest, []);
  assert.equal(hit.severity, 'info');
  assert.equal(hit.cause, 'nan-masked-loss');
  assert.equal(hit.range.start.line, 8, "on the line of the mask");
  assert.match(hit.message, /^is_nan\(loss\) in `masked_mse` hides a NaN loss instead of preventing it/);
});

test('NAN405: nan_to_num of the loss and an is_finite check in a hand-written train_step are flagged too', async () => {
  const numpyStyle = 'def my_loss(y_true, y_pred):\n    return tf.experimental.numpy.nan_to_num(keras.losses.mse(y_true, y_pred))\n';
  assert.equal((await nan405(`${HEADER}${numpyStyle}${MODEL('my_loss')}`)).length, 1);
  const step = [
    'class AE(keras.Model):',
    '    def train_step(self, data):',
    '        with tf.GradientTape() as tape:',
    '            loss = self.compiled_loss(data, self(data))',
    '        grads = tape.gradient(loss, self.trainable_variables)',
    '        if not tf.math.is_finite(loss):',
    '            return {"loss": 0.0}',
    '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))',
    '        return {"loss": loss}',
    '',
  ].join('\n');
  const hits = await nan405(`${HEADER}${step}${MODEL("'mse'")}`);
  assert.equal(hits.length, 1);
  assert.match(hits[0].message, /in `train_step`/);
});

test('NAN405 stays quiet on masks of missing targets, on NaN checks in data preparation, and on plain losses', async () => {
  const targets = 'def masked(y_true, y_pred):\n    mask = tf.math.logical_not(tf.math.is_nan(y_true))\n    return tf.reduce_mean(tf.boolean_mask(tf.square(y_true - y_pred), mask))\n';
  assert.deepEqual(await nan405(`${HEADER}${targets}${MODEL('masked')}`), []);
  assert.deepEqual(await nan405(`${HEADER}X = X[~np.isnan(X).any(axis=1)]\n${MODEL("'mse'")}`), []);
  // A comment or a string that mentions is_nan is not code.
  assert.deepEqual(await nan405(`${HEADER}# tf.where(tf.math.is_nan(loss), 0., loss)\ndef my_loss(y_true, y_pred):\n    return "tf.math.is_nan(loss)" and keras.losses.mse(y_true, y_pred)\n${MODEL('my_loss')}`), []);
});
