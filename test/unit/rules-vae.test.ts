// The standard VAE (keras.io's, in its own style): a Sampling layer with exp(0.5 * z_log_var) and a
// train_step whose KL term takes exp(z_log_var). On scaled data it trains in every seed
// (test/evidence/NAN401.py), so NAN401 is one note for the one log-variance, not two warnings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, DEFAULT_SETTINGS, NO_FILES, type Finding } from '../../src/core/index';

const VAE = (data: string) => `import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

${data}

class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

latent_dim = 2
encoder_inputs = keras.Input(shape=(64,))
x = layers.Dense(32, activation="relu")(encoder_inputs)
z_mean = layers.Dense(latent_dim, name="z_mean")(x)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")

latent_inputs = keras.Input(shape=(latent_dim,))
x = layers.Dense(32, activation="relu")(latent_inputs)
decoder_outputs = layers.Dense(64, activation="sigmoid")(x)
decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")

class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            reconstruction_loss = ops.mean(ops.sum(keras.losses.binary_crossentropy(data, reconstruction), axis=-1))
            kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
            kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
            total_loss = reconstruction_loss + kl_loss
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {"loss": total_loss}

vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam())
vae.fit(data, epochs=30, batch_size=128)
`;

async function nan401(source: string): Promise<Finding[]> {
  const { findings } = await checkFile('vae.py', source, NO_FILES, DEFAULT_SETTINGS);
  return findings.filter((f) => f.rule === 'NAN401');
}

test('NAN401 on the standard VAE with scaled data: one note for z_log_var, the KL term given as related', async () => {
  const hits = await nan401(VAE('data = np.random.uniform(0, 1, size=(1000, 64)).astype("float32")'));
  assert.equal(hits.length, 1, hits.map((h) => `${h.range.start.line}: ${h.message}`).join('\n'));
  const [hit] = hits;
  assert.equal(hit.severity, 'info');
  assert.equal(hit.range.start.line, 13, 'on the sampling layer, the first place');
  assert.match(hit.message, /on scaled inputs such a VAE trains/);
  assert.equal(hit.related.length, 1);
  assert.equal(hit.related[0].location.range.start.line, 39, 'the KL term');
});

test('NAN203 leaves a VAE\'s 2-D latent alone: a modelling choice, often there to be plotted', async () => {
  const { findings } = await checkFile('vae.py', VAE('data = np.random.uniform(0, 1, size=(1000, 256)).astype("float32")').replace(/shape=\(64,\)/g, 'shape=(256,)').replace('Dense(64, activation="sigmoid")', 'Dense(256, activation="sigmoid")'), NO_FILES, DEFAULT_SETTINGS);
  assert.deepEqual(findings.filter((f) => f.rule === 'NAN203').map((f) => f.message), []);
  // The same 2-unit code in a plain autoencoder of 256 inputs is still flagged (test/evidence/NAN203.py: it learnt nothing).
  const plain = `from tensorflow import keras
from tensorflow.keras import layers
autoencoder = keras.Sequential([keras.Input(shape=(256,)), layers.Dense(64, activation='relu'), layers.Dense(2, activation='relu'), layers.Dense(64, activation='relu'), layers.Dense(256)])
autoencoder.compile(optimizer='adam', loss='mse')
`;
  const plainFindings = (await checkFile('plain.py', plain, NO_FILES, DEFAULT_SETTINGS)).findings;
  assert.equal(plainFindings.filter((f) => f.rule === 'NAN203').length, 1);
});
