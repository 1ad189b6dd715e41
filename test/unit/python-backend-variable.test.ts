/**
 * A KL warm-up as greenelab/tybalt's VAE writes it: `beta = K.variable(0)`, `K.get_value(beta) *
 * kl_loss` inside the custom layer's loss, and a callback that raises beta with K.set_value.
 * Keras 2 reads K.get_value once, when the loss is built: the term is multiplied by 0 for the whole
 * run, whatever the callback does. The reproduction reads it so; before, the layer was refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { pickModel } from '../../src/core/modelHandles';
import { buildPlan } from '../../src/repro/plan';

const WARM_UP = (read: string) => `
import numpy as np
from keras import backend as K
from keras.layers import Input, Dense, Layer
from keras.models import Model
from keras.callbacks import Callback

beta = K.variable(0)
kappa = 0.1
x_train = np.random.rand(500, 20)

class CustomVariationalLayer(Layer):
    def vae_loss(self, x_input, x_decoded):
        reconstruction_loss = 20 * K.mean(K.square(x_input - x_decoded), axis=-1)
        kl_loss = - 0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        return K.mean(reconstruction_loss + (${read} * kl_loss))

    def call(self, inputs):
        loss = self.vae_loss(inputs[0], inputs[1])
        self.add_loss(loss, inputs=inputs)
        return inputs[0]

class WarmUpCallback(Callback):
    def __init__(self, beta, kappa):
        self.beta = beta
        self.kappa = kappa

    def on_epoch_end(self, epoch, logs={}):
        if K.get_value(self.beta) <= 1:
            K.set_value(self.beta, K.get_value(self.beta) + self.kappa)

inp = Input(shape=(20,))
h = Dense(8, activation='relu')(inp)
z_mean = Dense(2)(h)
z_log_var = Dense(2)(h)
out = Dense(20, activation='sigmoid')(Dense(8, activation='relu')(z_mean))
y = CustomVariationalLayer()([inp, out])
vae = Model(inp, y)
vae.compile(optimizer='adam', loss=None)
vae.fit(x_train, epochs=5, batch_size=50, callbacks=[WarmUpCallback(beta, kappa)])
`;

describe('K.variable and K.get_value in a loss', () => {
  it("are the variable's initial value, read once as Keras 2 reads it", async () => {
    const model = pickModel((await analyzeFile('vae.py', WARM_UP('K.get_value(beta)'), NO_FILES)).models);
    if (typeof model === 'string') assert.fail(model);
    const layer = model.layers.find((l) => l.name === 'custom_variational_layer');
    assert.equal(layer?.expressionProblem, undefined);
    assert.match(JSON.stringify(layer?.addedLosses), /"op":"const","value":0\b/);
    const planned = buildPlan(model, { seed: 0 });
    assert.ok(!('refused' in planned), 'refused' in planned ? planned.refused : '');
  });

  it('a value that is not a number nanguard knows is still refused, naming it', async () => {
    const model = pickModel((await analyzeFile('vae.py', WARM_UP('K.get_value(z_mean)'), NO_FILES)).models);
    if (typeof model === 'string') assert.fail(model);
    assert.match(model.layers.find((l) => l.name === 'custom_variational_layer')?.expressionProblem ?? '', /K\.get_value\(z_mean\)/);
  });
});
