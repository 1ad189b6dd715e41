// A conditional VAE (Advanced Deep Learning with Keras, 8.2.1) builds its encoder and decoder as
// functional models of two inputs each and applies them to lists:
// `decoder([encoder([inputs, y_labels])[2], y_labels])`. Inlined into the whole model, each of a
// sub-model's Inputs must stand for the tensor in its own place of that list: read as the whole
// list, `Dense(...)(y_labels)` received both inputs and TensorFlow.js could not build the model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const CVAE = `import numpy as np
from tensorflow.keras.layers import Input, Dense, Lambda, concatenate
from tensorflow.keras.models import Model
from tensorflow.keras import backend as K

x_train = np.random.rand(64, 6)
labels = np.eye(3)[np.random.randint(0, 3, 64)]

def sampling(args):
    z_mean, z_log_var = args
    return z_mean + K.exp(0.5 * z_log_var) * K.random_normal(shape=K.shape(z_mean))

inputs = Input(shape=(6,), name='encoder_input')
y_labels = Input(shape=(3,), name='class_labels')
x = Dense(6)(y_labels)
x = concatenate([inputs, x])
x = Dense(8, activation='relu')(x)
z_mean = Dense(2, name='z_mean')(x)
z_log_var = Dense(2, name='z_log_var')(x)
z = Lambda(sampling, output_shape=(2,), name='z')([z_mean, z_log_var])
encoder = Model([inputs, y_labels], [z_mean, z_log_var, z], name='encoder')

latent_inputs = Input(shape=(2,), name='z_sampling')
x = concatenate([latent_inputs, y_labels])
x = Dense(8, activation='relu')(x)
outputs = Dense(6, activation='sigmoid', name='decoder_output')(x)
decoder = Model([latent_inputs, y_labels], outputs, name='decoder')

outputs = decoder([encoder([inputs, y_labels])[2], y_labels])
cvae = Model([inputs, y_labels], outputs, name='cvae')
cvae.compile(optimizer='rmsprop', loss='mse')
cvae.fit([x_train, labels], x_train, epochs=2, batch_size=16)
`;

test("a sub-model of several inputs applied to a list reads each of its inputs from that list's own place", async () => {
  const model = await fittedModelOf(CVAE);
  const inbound = new Map(model.layers.map((l) => [l.name, l.inbound]));
  assert.deepEqual(inbound.get('dense'), ['class_labels']);
  assert.deepEqual(inbound.get('concatenate'), ['encoder_input', 'dense']);
  assert.deepEqual(inbound.get('concatenate_1'), ['z', 'class_labels']);
  const summary = await trainOnCpu(planned(model, { seed: 0 }));
  assert.equal(summary.history.loss.length, 2);
  assert.ok(summary.history.loss.every(Number.isFinite), JSON.stringify(summary.history.loss));
});

test('a loss added on one of several inputs reads that input, not the joined row of all of them', async () => {
  // The book's own loss: the reconstruction of `inputs` (6 values a sample), while the model reads 6 + 3 (the labels) in one row.
  const source = CVAE.replace(
    "cvae.compile(optimizer='rmsprop', loss='mse')\ncvae.fit([x_train, labels], x_train, epochs=2, batch_size=16)",
    "cvae.add_loss(K.mean(K.sum(K.square(inputs - outputs), axis=-1)))\ncvae.compile(optimizer='rmsprop')\ncvae.fit([x_train, labels], epochs=2, batch_size=16)",
  );
  assert.notEqual(source, CVAE);
  const model = await fittedModelOf(source);
  const summary = await trainOnCpu(planned(model, { seed: 0 }));
  assert.equal(summary.history.loss.length, 2, JSON.stringify(summary));
  // Six squared errors of sigmoid outputs against values in [0, 1): between 0 and 6.
  assert.ok(summary.history.loss.every((l) => typeof l === 'number' && l > 0 && l < 6), JSON.stringify(summary.history.loss));
});
