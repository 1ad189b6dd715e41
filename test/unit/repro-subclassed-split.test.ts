// A subclassed VAE whose call splits its encoder's output (`mean, logvar = tf.split(h, 2, axis=-1)`)
// and draws noise of `tf.shape(mean)`, with its KL term added by `self.add_loss` (a company's
// TensorFlow 2 VAE, after the TensorFlow CVAE tutorial). Keras 3.15 trains it (0.33 to 0.27 over
// three epochs on this data); so does the run, on the compiled loss plus the term.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const VAE = (encoderInput: string): string => `
import numpy as np
import tensorflow as tf
tfk = tf.keras
tfkl = tf.keras.layers

class VAE(tfk.Model):
    def __init__(self, encoder, decoder, kl_weight, name='vae'):
        super(VAE, self).__init__(name=name)
        self.encoder = encoder
        self.decoder = decoder
        self.kl_weight = kl_weight

    def call(self, x, training=False):
        h = self.encoder(x)
        mean, logvar = tf.split(h, num_or_size_splits=2, axis=-1)
        var = tf.exp(logvar)
        z_std = tf.random.normal(shape=tf.shape(mean))
        z = z_std * var + mean
        if training:
            kl_loss = -0.5 * (1. + 2. * logvar - mean ** 2 - var ** 2)
            kl_loss = tf.reduce_mean(tf.reduce_sum(kl_loss, axis=1))
            kl_loss *= self.kl_weight
            self.add_loss(kl_loss)
        return self.decoder(z)

x = np.random.rand(256, 64).astype("float32")
encoder = tfk.Sequential([${encoderInput}tfkl.Dense(32, activation='relu'), tfkl.Dense(units=2 * 4)])
decoder = tfk.Sequential([tfkl.Dense(32, activation='relu'), tfkl.Dense(64)])
model = VAE(encoder, decoder, 1e-4)
model.compile(optimizer='adam', loss='mse')
model.fit(x, x, epochs=3, batch_size=32)
`;

describe('a subclassed VAE that splits its encoder output', () => {
  it("splits along the last axis by the encoder's last Dense, even where the encoder declares no input shape, and trains with its added KL term", async () => {
    for (const encoderInput of ['', 'tfkl.InputLayer(input_shape=(64,)), ']) {
      const plan = planned(await fittedModelOf(VAE(encoderInput)));
      assert.ok(plan.notes.some((n) => /call adds a loss with self\.add_loss \(line 24\): the run trains, as Keras does/.test(n.text)), plan.notes.map((n) => n.text).join('\n'));
      const summary = await trainOnCpu(plan);
      const losses = summary.history.loss.map(fromWire);
      assert.equal(losses.length, 3);
      assert.ok(losses.every(Number.isFinite) && losses[2] < losses[0], String(losses));
    }
  });
});
