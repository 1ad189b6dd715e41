// Idioms of widely copied Keras 2 VAEs: a layer whose call adds the KL term and returns the list
// it is given (`KLDivergenceLayer`), noise fed through `Input(tensor=K.random_normal(...))`, and a
// loss of keras.ops's binary cross-entropy. Keras 3 runs the first and last (the fixture
// kl_divergence_layer_vae.py: Keras 14.05 after 10 epochs, here 13.9-14.1 over seeds 0-2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const KL_LAYER = `
import numpy as np
import keras.backend as K
from keras.layers import Input, Dense, Lambda, Layer, Add, Multiply
from keras.models import Model, Sequential

class KLDivergenceLayer(Layer):
    def __init__(self, *args, **kwargs):
        self.is_placeholder = True
        super(KLDivergenceLayer, self).__init__(*args, **kwargs)

    def call(self, inputs):
        mu, log_var = inputs
        kl_batch = - .5 * K.sum(1 + log_var - K.square(mu) - K.exp(log_var), axis=-1)
        self.add_loss(K.mean(kl_batch), inputs=inputs)
        return inputs
`;

describe('Keras 2 VAE idioms in the reproduction', () => {
  it('a layer that returns the list it is given passes both tensors on, and its KL term reads both', async () => {
    const model = await fittedModelOf(`${KL_LAYER}
x = Input(shape=(12,))
h = Dense(8, activation='relu')(x)
z_mu = Dense(2)(h)
z_log_var = Dense(2)(h)
z_mu, z_log_var = KLDivergenceLayer()([z_mu, z_log_var])
z = Lambda(lambda t: t[0] + K.exp(.5 * t[1]) * K.random_normal(shape=K.shape(t[0])))([z_mu, z_log_var])
x_pred = Dense(12, activation='sigmoid')(z)
vae = Model(x, x_pred)
vae.compile(optimizer='rmsprop', loss='binary_crossentropy')
vae.fit(np.random.rand(64, 12), np.random.rand(64, 12), epochs=2)
`);
    const kl = model.layers.find((l) => l.name === 'kl_divergence_layer');
    assert.deepEqual(kl?.inbound, ['dense_1', 'dense_2']);
    assert.deepEqual(kl?.expression, { op: 'arg', index: 0 });
    const sampling = model.layers.find((l) => l.className === 'Lambda' && l.name !== 'kl_divergence_layer');
    // z_mu through the KL layer's node, z_log_var as it was.
    assert.deepEqual(sampling?.inbound, ['kl_divergence_layer', 'dense_2']);
    const plan = planned(model);
    assert.equal(plan.compile.addedLosses?.length ?? 0, 1);
    assert.deepEqual(plan.compile.addedLosses?.[0].tensors, ['dense_1', 'dense_2']);
    const summary = await trainOnCpu(plan);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });

  it('Input(tensor=K.random_normal(...)) is noise the graph draws: fit gives the model its one input', async () => {
    const model = await fittedModelOf(`${KL_LAYER}
x = Input(shape=(12,))
h = Dense(8, activation='relu')(x)
z_mu = Dense(2)(h)
z_log_var = Dense(2)(h)
z_mu, z_log_var = KLDivergenceLayer()([z_mu, z_log_var])
z_sigma = Lambda(lambda t: K.exp(.5*t))(z_log_var)
eps = Input(tensor=K.random_normal(stddev=1.0, shape=(K.shape(x)[0], 2)))
z = Add()([z_mu, Multiply()([z_sigma, eps])])
x_pred = Dense(12, activation='sigmoid')(z)
vae = Model(inputs=[x, eps], outputs=x_pred)
vae.compile(optimizer='rmsprop', loss='binary_crossentropy')
vae.fit(np.random.rand(64, 12), np.random.rand(64, 12), epochs=2)
`);
    assert.equal(model.inputNames, undefined);
    assert.equal(model.layers.filter((l) => l.className === 'InputLayer').length, 1);
    const summary = await trainOnCpu(planned(model));
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });

  it('Lambda(VAE.sampling): a function of a class of the program, looked up on the class, is the sampling step', async () => {
    const model = await fittedModelOf(`
import numpy as np
from keras.layers import Lambda, Input, Dense
from keras.models import Model
from keras import backend as K

class VAE:
    def __init__(self, original_dim, latent_dim):
        inputs = Input(shape=(original_dim,))
        x = Dense(16, activation='relu')(inputs)
        self.z_mean = Dense(latent_dim)(x)
        self.z_log_var = Dense(latent_dim)(x)
        z = Lambda(VAE.sampling, output_shape=(latent_dim,), name='z')([self.z_mean, self.z_log_var])
        outputs = Dense(original_dim, activation='sigmoid')(Dense(16, activation='relu')(z))
        self.vae = Model(inputs, outputs)

    def fit(self, X, **kwargs):
        self.vae.compile(optimizer='adam', loss='mse')
        return self.vae.fit(X, X, **kwargs)

    def sampling(args):
        z_mean, z_log_var = args
        epsilon = K.random_normal(shape=(K.shape(z_mean)[0], K.int_shape(z_mean)[1]))
        return z_mean + K.exp(0.5 * z_log_var) * epsilon

X = np.random.rand(128, 10)
model = VAE(original_dim=10, latent_dim=2)
model.fit(X, epochs=2, batch_size=32)
`);
    const plan = planned(model);
    const z = plan.kerasJson.config.layers?.find((l) => l.name === 'z');
    assert.match(JSON.stringify(z?.config ?? {}), /random_normal/);
    const summary = await trainOnCpu(plan);
    assert.equal(summary.history.loss.length, 2);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });

  it("keras.ops.binary_crossentropy in a custom loss is the element-wise cross-entropy, summed as written", async () => {
    const model = await fittedModelOf(`
import numpy as np
import keras
from keras import ops
def nll(y_true, y_pred):
    return ops.sum(ops.binary_crossentropy(y_true, y_pred), axis=-1)
m = keras.Sequential([keras.Input((6,)), keras.layers.Dense(6, activation='sigmoid')])
m.compile(optimizer='adam', loss=nll)
m.fit(np.random.rand(32, 6), np.random.rand(32, 6), epochs=1)
`);
    const plan = planned(model);
    assert.ok(JSON.stringify(plan).includes('"op":"bce"'), 'the loss is translated with the cross-entropy');
  });

  it('Flatten()(x) inside an added loss is the batch flattened (a lecture VAE\'s binary_crossentropy of Flatten()(x) and Flatten()(x_decoded_mean))', async () => {
    const model = await fittedModelOf(`
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, Lambda, Flatten, Reshape
from tensorflow.keras.models import Model
from tensorflow.keras import metrics

def sampling_func(inputs):
    z_mean, z_log_var = inputs
    epsilon = tf.random.normal(shape=(tf.shape(z_mean)[0], 2))
    return z_mean + tf.exp(z_log_var / 2) * epsilon

x = Input(shape=(6, 6, 1))
h = Dense(16, activation='relu')(Flatten()(x))
z_mean = Dense(2)(h)
z_log_var = Dense(2)(h)
z = Lambda(sampling_func)([z_mean, z_log_var])
x_decoded_mean = Reshape((6, 6, 1))(Dense(36, activation='sigmoid')(z))
vae = Model(x, x_decoded_mean)
xent_loss = 36 * metrics.binary_crossentropy(Flatten()(x), Flatten()(x_decoded_mean))
kl_loss = - 0.5 * tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=-1)
vae.add_loss(tf.reduce_mean(xent_loss + kl_loss))
vae.compile(optimizer='adam')
vae.fit(np.random.rand(64, 6, 6, 1), epochs=2, batch_size=32)
`);
    const plan = planned(model);
    assert.ok(JSON.stringify(plan.compile.addedLosses).includes('"op":"batch_flatten"'), JSON.stringify(plan.compile.addedLosses));
    const summary = await trainOnCpu(plan);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });
});
