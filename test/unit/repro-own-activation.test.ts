/**
 * `Activation(custom_activation)` of the program's own function (keras-team/keras#11057's custom
 * ELU): a Lambda of that function, as Keras applies it. It was refused as an activation nanguard
 * does not reproduce.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const OWN = (activation: string) => `
import numpy as np
from keras import backend as K
from keras.models import Sequential
from keras.layers import Input, Dense, Activation

def custom_activation(x):
    return K.switch(x > 0, x, 0.5 * (K.exp(x) - 1))

x = np.random.rand(256, 8)
y = np.random.rand(256, 1)
model = Sequential()
model.add(Input(shape=(8,)))
model.add(Dense(16))
model.add(${activation})
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
model.fit(x, y, epochs=2, batch_size=32)
`;

describe("an Activation layer of the program's own function", () => {
  it('is a Lambda of it, translated, and trains; a keyword or a lambda too', async () => {
    for (const written of ['Activation(custom_activation)', 'Activation(activation=custom_activation)', 'Activation(lambda t: K.relu(t) * 2.0)']) {
      const model = await fittedModelOf(OWN(written));
      const layer = model.layers.find((l) => l.className === 'Lambda');
      assert.ok(layer?.expression, `${written}: ${layer?.expressionProblem ?? 'no Lambda'}`);
      const history = (await trainOnCpu(planned(model))).history;
      assert.equal(history.loss.length, 2, written);
    }
  });
});
