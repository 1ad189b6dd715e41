/**
 * A stateful LSTM (MorvanZhou's LSTM regressor: `batch_input_shape=(50, 20, 1)`, `stateful=True`):
 * TensorFlow.js refuses to build one without a fixed batch, which shortened epochs break. The run
 * starts each batch from zero states and says so; before, the reproduction failed on building it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { planned, trainOnCpu } from './repro-plans';

const STATEFUL = (wrapped: boolean) => `
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, TimeDistributed, Dense
from keras.optimizers import Adam

xs = np.arange(0, 1000).reshape((50, 20)) / (10 * np.pi)
seq = np.sin(xs)[:, :, np.newaxis]
res = np.cos(xs)[:, :, np.newaxis]
model = Sequential()
model.add(LSTM(batch_input_shape=(50, 20, 1), units=20, return_sequences=True, stateful=True))
model.add(${wrapped ? 'TimeDistributed(Dense(1))' : 'Dense(1)'})
model.compile(optimizer=Adam(0.006), loss='mse')
model.fit(seq, res, batch_size=50, epochs=3, shuffle=False)
`;

describe('a stateful recurrent layer', () => {
  it('is run stateless, with a note naming it, and trains', async () => {
    for (const wrapped of [true, false]) {
      const model = pickModel((await analyzeFile('lstm.py', STATEFUL(wrapped), NO_FILES)).models);
      if (typeof model === 'string') assert.fail(model);
      const plan = planned(model);
      assert.doesNotMatch(JSON.stringify(plan.kerasJson), /stateful/);
      assert.ok(plan.notes.some((n) => /^lstm \(line 11\) is stateful: Keras carries the recurrent states from one batch to the next/.test(n.text)), plan.notes.map((n) => n.text).join('\n'));
      const history = (await trainOnCpu(plan)).history;
      assert.equal(history.loss.length, 3);
    }
  });
});

describe('a train_step loss of the LSTM-VAE kind', () => {
  it('reads K.reshape(t, (x.shape[0], 1)) as the batch kept, and skips a print in a layer\'s call', async () => {
    const source = `
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K

class Sampling(keras.layers.Layer):
    def call(self, inputs):
        mu, logvar = inputs
        print('mu: ', mu)
        return mu + tf.exp(0.5 * logvar) * tf.random.normal(tf.shape(mu))

class VAE(keras.Model):
    def __init__(self):
        super().__init__()
        self.enc = keras.layers.Dense(8, activation='relu')
        self.mu = keras.layers.Dense(2)
        self.logvar = keras.layers.Dense(2)
        self.sampling = Sampling()
        self.dec = keras.layers.Dense(6)

    def call(self, x):
        h = self.enc(x)
        return self.dec(self.sampling([self.mu(h), self.logvar(h)]))

    def train_step(self, data):
        x = data
        with tf.GradientTape() as tape:
            out = self(x)
            per_sample = K.sum(K.square(x - out), axis=-1)
            per_sample = K.reshape(per_sample, (x.shape[0], 1))
            loss = K.mean(per_sample)
            loss += sum(self.losses)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {'loss': loss}

model = VAE()
model.compile(optimizer='adam')
model.fit(np.random.rand(256, 6).astype('float32'), epochs=2, batch_size=32)
`;
    const model = (await analyzeFile('vae.py', source, NO_FILES)).models.find((m) => m.fit);
    assert.ok(model);
    // The reshape of each sample's value to (batch, 1): a Reshape of the graph the loss reads.
    assert.match(JSON.stringify(model.addedLosses), /"tensors":\["reshape"\]|"op":"reshape"/);
    const plan = planned(model);
    const history = (await trainOnCpu(plan)).history;
    assert.equal(history.loss.length, 2);
  });
});
