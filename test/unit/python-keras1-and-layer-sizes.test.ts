/**
 * Old Keras code and sizes read from built layers: programs written for Keras 1 (`Model(input=,
 * output=)`, `Convolution2D(nb_filter, nb_row, nb_col, border_mode=)`, `merge(mode=)`, `output_dim=`,
 * `nb_epoch=`, `lr=`) and programs that size a layer from another (`encoder.layers[-1].input.shape[1]`,
 * `get_layer("z").output.shape[-1]`, `model.input_shape`, `conv.kernel_size`). nanguard reads each,
 * plans it and builds it in TensorFlow.js; with Keras's weights its outputs are Keras's own, and the
 * parameter counts are Keras's (test/fixtures/keras-oracle/legacy.json, written by make_legacy.py
 * with real Keras 3 from the Keras 3 spelling of each program).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import { currentArgumentName, legacyMergeLayer } from '../../src/core/keras/names';
import { selectBackend } from '../../src/repro/engine/backend';
import { buildModel } from '../../src/repro/engine/model';
import { tf } from '../../src/repro/engine/tf';
import { outputShapeOfJson } from '../../src/repro/kerasJson';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { trainOnCpu } from './repro-plans';

interface Array_ {
  shape: number[];
  values: number[];
}
interface Case {
  source: string;
  legacySource?: string;
  /** Keras 3's spelling is the oracle only: it writes out Keras 2's hard_sigmoid as a function of its own. */
  oracleOnly?: boolean;
  parameters: number;
  outputShape: number[];
  weights: Array_[];
  x: Array_;
  /** A model of several inputs: each input's array (`x` is the first). */
  xs?: Array_[];
  y: Array_;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras-oracle', 'legacy.json'), 'utf8')) as { cases: Record<string, Case> };

async function fittedModel(source: string): Promise<ModelSpec> {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const model = analysis.models.find((m) => m.fit);
  assert.ok(model, 'a fitted model is found');
  return model;
}

async function planOf(source: string): Promise<ReproPlan> {
  const planned = buildPlan(await fittedModel(source));
  assert.ok('plan' in planned, 'refused' in planned ? planned.refused : '');
  return planned.plan;
}

/** The model built from the plan, with Keras's weights: its parameter count and how far its outputs are from Keras's. */
async function againstKeras(plan: ReproPlan, c: Case): Promise<{ parameters: number; gap: number }> {
  const { model, outputLogits, parameters } = await buildModel(plan);
  try {
    assert.deepEqual(model.getWeights().map((w) => w.shape), c.weights.map((w) => w.shape), "the weights line up with Keras's");
    model.setWeights(c.weights.map((w) => tf.tensor(w.values, w.shape)));
    // An output sigmoid that the loss takes from its logits: Keras's output is the activated one.
    // A model of several inputs takes each sample's inputs joined in one row, in the model's order.
    const x = c.xs ? tf.concat(c.xs.map((part) => tf.tensor(part.values, part.shape).reshape([part.shape[0], -1])), 1) : tf.tensor(c.x.values, c.x.shape);
    const predicted = model.predict(x) as tf.Tensor;
    const y = outputLogits ? tf.sigmoid(predicted) : predicted;
    assert.deepEqual(y.shape, c.y.shape);
    const values = y.dataSync();
    let gap = 0;
    c.y.values.forEach((v, i) => (gap = Math.max(gap, Math.abs(values[i] - v) / Math.max(1, Math.abs(v)))));
    return { parameters, gap };
  } finally {
    model.dispose();
  }
}

describe("programs in Keras 1's spelling and programs that size layers from layers give Keras's outputs", () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    const forms = [...(c.oracleOnly ? [] : [['Keras 3 spelling', c.source]]), ...(c.legacySource ? [['Keras 1 spelling', c.legacySource]] : [])] as const;
    for (const [form, source] of forms) {
      it(`${name} (${form})`, async () => {
        await selectBackend('cpu', 0);
        const plan = await planOf(source);
        if (!c.xs) assert.deepEqual(plan.inputShape, c.x.shape.slice(1));
        const { parameters, gap } = await againstKeras(plan, c);
        assert.equal(parameters, c.parameters, "Keras's count_params");
        assert.ok(gap < 1e-5, `${name}: outputs differ from Keras's by ${gap}`);
        // Keras 3 raises on the old names: the run says that it read them as Keras 2 did, and only then.
        const keras1 = plan.notes.filter((n) => /names of Keras 1 and 2 that Keras 3 raises on/.test(n.text));
        assert.equal(keras1.length, form === 'Keras 1 spelling' ? 1 : 0, JSON.stringify(plan.notes));
      });
    }
  }
});

describe("Keras 1's argument names", () => {
  it('are read as the current ones where they name the same thing, and only there', () => {
    assert.equal(currentArgumentName('layer', 'output_dim', 'Dense'), 'units');
    assert.equal(currentArgumentName('layer', 'output_dim', 'Embedding'), undefined, "Embedding's output_dim is its own");
    assert.equal(currentArgumentName('layer', 'length', 'UpSampling1D'), 'size');
    assert.equal(currentArgumentName('layer', 'length', 'Dense'), undefined);
    assert.equal(currentArgumentName('model', 'input'), 'inputs');
    assert.equal(currentArgumentName('fit', 'nb_epoch'), 'epochs');
    assert.equal(currentArgumentName('fit', 'epochs'), undefined);
    assert.equal(currentArgumentName('optimizer', 'lr'), 'learning_rate');
    assert.equal(legacyMergeLayer('mul'), 'Multiply');
    assert.equal(legacyMergeLayer('cos'), undefined);
  });

  it('give the static analysis the values written: epochs, learning rate, units, window, padding', async () => {
    const model = await fittedModel(`
from keras.models import Model
from keras.layers import Input, Dense, Convolution2D, Flatten
from keras.optimizers import Adam
import numpy as np
x = np.random.rand(128, 6, 6, 1)
inp = Input(shape=(6, 6, 1))
h = Convolution2D(4, 3, 2, border_mode='valid', subsample=(1, 2))(inp)
h = Flatten()(h)
h = Dense(output_dim=36, init='uniform', activation='sigmoid')(h)
m = Model(input=inp, output=h)
m.compile(optimizer=Adam(lr=0.5, decay=1e-4), loss='mse')
m.fit(x, x.reshape(128, 36), nb_epoch=7, batch_size=16)
`);
    assert.equal(model.fit?.epochs.value, 7);
    assert.equal(model.compile?.optimizer.learningRate.value, 0.5);
    const conv = model.layers.find((l) => l.className === 'Conv2D');
    assert.deepEqual([conv?.config.filters, conv?.config.kernel_size, conv?.config.padding, conv?.config.strides], [4, [3, 2], 'valid', [1, 2]]);
    const dense = model.layers.find((l) => l.className === 'Dense');
    assert.deepEqual([dense?.config.units, dense?.config.kernel_initializer], [36, 'uniform']);
    assert.equal(dense?.config.output_dim, undefined, 'no Keras 1 key is left in the config');
    const planned = buildPlan(model);
    assert.ok('plan' in planned, 'refused' in planned ? planned.refused : '');
    // Keras 2's decay is not run (Keras 3 ignores it too): the run says so.
    assert.ok(planned.plan.notes.some((n) => n.kind === 'not-reproduced' && /decay=0\.0001/.test(n.text)), JSON.stringify(planned.plan.notes));
  });
});

describe("Keras 1's recurrent arguments", () => {
  it('forget_bias_init is unit_forget_bias, consume_less is left out, and the note names both', async () => {
    const model = await fittedModel(`
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, GRU, RepeatVector
x = np.random.rand(64, 5, 2)
model = Sequential()
model.add(LSTM(4, input_shape=(5, 2), consume_less='gpu', forget_bias_init='one'))
model.add(RepeatVector(5))
model.add(GRU(2, return_sequences=True, forget_bias_init='zero', inner_activation='sigmoid'))
model.compile(loss='mse', optimizer='adam')
model.fit(x, x, nb_epoch=2)
`);
    const [lstm, gru] = model.layers.filter((l) => l.className === 'LSTM' || l.className === 'GRU');
    assert.equal(lstm.config.unit_forget_bias, true);
    assert.equal(gru.config.unit_forget_bias, false);
    assert.equal(lstm.config.consume_less, undefined);
    const planned = buildPlan(model);
    assert.ok('plan' in planned, 'refused' in planned ? planned.refused : '');
    const texts = planned.plan.notes.map((n) => n.text);
    assert.ok(texts.some((t) => t.includes('`consume_less` left out (line 7)') && t.includes('`forget_bias_init` as `unit_forget_bias` (line 7)')), JSON.stringify(texts));
    // The LSTM leaves its recurrent activation unwritten (Keras 1's hard_sigmoid); the GRU writes it, and leaves reset_after to Keras 1's.
    assert.ok(texts.includes("Recurrent layers that leave them unwritten take Keras 1 and 2's defaults, which Keras 3 changed: recurrent_activation hard_sigmoid (0.2 × x + 0.5, clipped) in lstm; reset_after=False in gru."), JSON.stringify(texts));
  });
});

describe("Keras 1's dim_ordering", () => {
  const program = (ordering: string, shape: string): string => `
import numpy as np
from keras.models import Sequential
from keras.layers.convolutional import Convolution2D, MaxPooling2D, UpSampling2D
x = np.random.rand(64, ${shape})
model = Sequential()
model.add(Convolution2D(4, 3, 3, border_mode='same', dim_ordering='${ordering}', input_shape=(${shape})))
model.add(MaxPooling2D(pool_size=(2, 2), dim_ordering='${ordering}'))
model.add(UpSampling2D(size=(2, 2), dim_ordering='${ordering}'))
model.add(Convolution2D(1, 3, 3, border_mode='same', dim_ordering='${ordering}'))
model.compile(loss='mse', optimizer='adam')
model.fit(x, x, nb_epoch=1)
`;

  it("is Keras 2's data_format: 'tf' channels last, which is reproduced", async () => {
    const model = await fittedModel(program('tf', '8, 8, 1'));
    assert.deepEqual(model.layers.filter((l) => l.className !== 'InputLayer').map((l) => l.config.data_format), ['channels_last', 'channels_last', 'channels_last', 'channels_last']);
    assert.ok('plan' in buildPlan(model));
  });

  it("'th' is channels first, which is reproduced: each layer's output keeps the channels on axis 1", async () => {
    const planned = buildPlan(await fittedModel(program('th', '1, 8, 8')));
    assert.ok('plan' in planned, 'refused' in planned ? planned.refused : '');
    assert.deepEqual(outputShapeOfJson(planned.plan.kerasJson, [1, 8, 8]), [1, 8, 8]);
    const summary = await trainOnCpu(planned.plan);
    // Keras 3: model.count_params() of the same model (4 filters of 3x3x1 and a bias, then 1 of 3x3x4 and a bias).
    assert.equal(summary.model.parameters, 77);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite));
  });

  it('a BatchNormalization over the channels first (axis=1) is refused, naming the layer and line: TensorFlow.js cannot train it', async () => {
    const planned = buildPlan(await fittedModel(`
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, BatchNormalization
x = np.random.rand(64, 1, 8, 8)
model = Sequential()
model.add(Conv2D(4, (3, 3), padding='same', data_format='channels_first', input_shape=(1, 8, 8)))
model.add(BatchNormalization(axis=1))
model.add(Conv2D(1, (3, 3), padding='same', data_format='channels_first'))
model.compile(loss='mse', optimizer='adam')
model.fit(x, x, epochs=1)
`));
    assert.ok('refused' in planned);
    assert.match(planned.refused, /^layer batch_normalization \(BatchNormalization, line 8\) normalizes axis 1 of its 4-dimensional input, not the last/);
  });
});

describe('sizes read from layers and models', () => {
  it("follow Keras 3's list of a Sequential's layers (its Input is not one) and a functional model's (its Input is)", async () => {
    const model = await fittedModel(`
import numpy as np
import keras
from keras import layers
x = np.random.rand(32, 5).astype("float32")
seq = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(3), layers.Dense(4)])
inp = keras.Input(shape=(5,))
fun = keras.Model(inp, layers.Dense(2)(inp))
out = layers.Dense(seq.layers[0].units + fun.layers[1].units, name="sized")(inp)
model = keras.Model(inp, layers.Dense(seq.output_shape[-1] + fun.layers[0].output.shape[-1])(out))
model.compile(optimizer="adam", loss="mse")
model.fit(x, np.random.rand(32, 9), epochs=1)
`);
    assert.equal(model.layers.find((l) => l.name === 'sized')?.config.units, 5);
    assert.equal(model.layers[model.layers.length - 1].config.units, 9);
  });
});
