// Layers of several outputs and inputs in the reproduction: a recurrent layer's states
// (`output, h, c = LSTM(..., return_state=True)(x)`) read by other layers or given to another
// recurrent layer as `initial_state`, the seq2seq autoencoder's shape; and Keras's Subtract,
// which tfjs-layers lacks. Keras's step-for-step check is the fidelity case seq2seq_states_autoencoder.py.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const HEADER = `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(64, 10, 4).astype("float32")
`;

describe('recurrent states and Subtract in the reproduction', () => {
  it("an LSTM encoder's h and c start the decoder LSTM (initial_state): Keras's parameters, and it trains", async () => {
    const model = await fittedModelOf(`${HEADER}
enc_in = keras.Input(shape=(10, 4))
enc_out, state_h, state_c = layers.LSTM(16, return_state=True)(enc_in)
dec_in = layers.RepeatVector(10)(enc_out)
dec = layers.LSTM(16, return_sequences=True)(dec_in, initial_state=[state_h, state_c])
out = layers.TimeDistributed(layers.Dense(4))(dec)
m = keras.Model(enc_in, out)
m.compile(optimizer="adam", loss="mse")
m.fit(x, x, epochs=2, batch_size=16)
`);
    const plan = planned(model);
    const decoder = plan.kerasJson.config.layers?.find((l) => l.name === 'lstm_1');
    const node = decoder?.inbound_nodes?.[0] as { args: Array<{ config: { keras_history: unknown[] } }>; kwargs: { initial_state?: Array<{ config: { keras_history: unknown[] } }> } };
    assert.deepEqual(node.args[0].config.keras_history, ['repeat_vector', 0, 0]);
    assert.deepEqual(node.kwargs.initial_state?.map((t) => t.config.keras_history), [['lstm', 0, 1], ['lstm', 0, 2]]);
    const summary = await trainOnCpu(plan);
    // Keras: LSTM 4*(16*(4+16)+16) = 1344, LSTM 4*(16*(16+16)+16) = 2112, Dense 16*4+4 = 68.
    assert.equal(summary.model.parameters, 1344 + 2112 + 68);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });

  it("a GRU's state alone, the output dropped (`_, h = GRU(...)`), is the code: (batch, units)", async () => {
    const model = await fittedModelOf(`${HEADER}
inp = keras.Input(shape=(10, 4))
_, h = layers.GRU(8, return_state=True, return_sequences=True)(inp)
z = layers.Dense(3)(h)
d = layers.RepeatVector(10)(z)
out = layers.GRU(4, return_sequences=True)(d)
m = keras.Model(inp, out)
m.compile(optimizer="adam", loss="mse")
m.fit(x, x, epochs=1)
`);
    const summary = await trainOnCpu(planned(model));
    // GRU (reset_after) 3*(8*(4+8)+2*8) = 336, Dense 8*3+3 = 27, GRU 3*(4*(3+4)+2*4) = 108.
    assert.equal(summary.model.parameters, 336 + 27 + 108);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });

  it('Subtract is a - b, and a siamese tower applied to two inputs trains', async () => {
    const model = await fittedModelOf(`
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
a = np.random.rand(64, 6); b = np.random.rand(64, 6); y = (np.random.rand(64) > .5).astype("float32")
tower = keras.Sequential([layers.Dense(5, activation="relu"), layers.Dense(4)])
ia = keras.Input((6,)); ib = keras.Input((6,))
d = layers.Subtract()([tower(ia), tower(ib)])
o = layers.Dense(1, activation="sigmoid")(d)
m = keras.Model([ia, ib], o)
m.compile("adam", "binary_crossentropy")
m.fit([a, b], y, epochs=2)
`);
    const summary = await trainOnCpu(planned(model));
    assert.equal(summary.model.parameters, 6 * 5 + 5 + 5 * 4 + 4 + 4 + 1);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
  });
});
