/**
 * Subclassed models whose `call` takes several inputs: unpacked (`a, b = inputs`), by position
 * (`inputs[0]`) or by key (`inputs["meta"]`), as fit passes them (a tuple, a list, a dict); each
 * branch through layers built in `__init__`, joined by a concatenation or an operation, the
 * training branch taken. The graph is rebuilt with an input each; the reproduction trains on each
 * sample's inputs joined in one row, which the model cuts apart again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import type { ModelSpec } from '../../src/core/ir';
import { exprOutputShapeOf } from '../../src/core/tensorExpr';
import { evaluateExpr } from '../../src/repro/engine/expr';
import { tf } from '../../src/repro/engine/tf';
import { materializeData } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';
import { fittedModelOf, planned, refusalOf, trainOnCpu } from './repro-plans';

async function modelOf(source: string): Promise<ModelSpec> {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const model = analysis.models.find((m) => m.compile);
  assert.ok(model, 'no compiled model');
  return model;
}

const DATA = `
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops
rng = np.random.default_rng(0)
a = np.array([[0.1, 0.5, 0.2], [0.9, 0.3, 0.4], [0.6, 0.8, 0.1], [0.2, 0.2, 0.7], [0.4, 0.9, 0.5], [0.7, 0.1, 0.3], [0.3, 0.6, 0.9], [0.8, 0.4, 0.6]])
b = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [1.0, 1.0], [0.0, 0.0], [0.2, 0.8], [0.8, 0.2], [0.6, 0.4]])
y = np.array([[0.3], [0.8], [0.5], [0.4], [0.6], [0.9], [0.2], [0.7]])
`;

const TWO_BRANCHES = (call: string, fit: string) => `${DATA}
class Towers(keras.Model):
    def __init__(self):
        super().__init__()
        self.left = layers.Dense(4, activation="tanh")
        self.right = layers.Dense(4, activation="tanh")
        self.drop = layers.Dropout(0.25)
        self.head = layers.Dense(1)

${call}

model = Towers()
model.compile(optimizer="adam", loss="mse")
${fit}
`;

describe('a subclassed model of several inputs is rebuilt with an input each', () => {
  const cases: Array<[string, string, string, string[]]> = [
    [
      'unpacked from a tuple',
      `    def call(self, inputs):
        first, second = inputs
        return self.head(tf.concat([self.left(first), self.right(second)], axis=-1))`,
      'model.fit((a, b), y, epochs=3, batch_size=4)',
      ['input_layer', 'input_layer_1'],
    ],
    [
      'by position, from a list',
      `    def call(self, inputs):
        h = keras.layers.concatenate([self.left(inputs[0]), self.right(inputs[1])])
        return self.head(h)`,
      'model.fit([a, b], y, epochs=3, batch_size=4)',
      ['input_layer', 'input_layer_1'],
    ],
    [
      'by key, from a dict, with the training branch',
      `    def call(self, inputs, training=None):
        h = ops.concatenate([self.left(inputs["pixels"]), self.right(inputs["meta"])], axis=-1)
        if training:
            h = self.drop(h)
        return self.head(h)`,
      'model.fit({"meta": b, "pixels": a}, y, epochs=3, batch_size=4)',
      ['pixels', 'meta'],
    ],
    [
      'joined by addition',
      `    def call(self, x):
        first, second = x
        return self.head(self.left(first) + self.right(second))`,
      'model.fit((a, b), y, epochs=3, batch_size=4)',
      ['input_layer', 'input_layer_1'],
    ],
  ];
  for (const [name, call, fit, inputs] of cases) {
    it(`${name}: the graph, the data and a real run`, async () => {
      const model = await modelOf(TWO_BRANCHES(call, fit));
      assert.equal(model.definitionProblem, undefined);
      assert.deepEqual(model.inputNames, inputs);
      // The arrays in the inputs' order (a dict's by key, whatever its own order).
      assert.deepEqual(model.data.trains?.map((d) => d.name), ['a', 'b']);
      assert.equal(model.layers.some((l) => l.className === 'Dropout'), name.includes('training'));
      const plan = planned(model);
      assert.deepEqual(plan.inputs?.map((i) => [i.name, i.shape]), [[inputs[0], [3]], [inputs[1], [2]]]);
      assert.deepEqual(plan.inputShape, [5]);
      // Each sample's inputs, joined in one row.
      assert.deepEqual(materializeData(plan).x[1], [0.9, 0.3, 0.4, 0.0, 1.0]);
      const summary = await trainOnCpu(plan);
      // left 3*4+4, right 2*4+4, head (4 or 8)+1.
      assert.equal(summary.model.parameters, 16 + 12 + (name.includes('addition') ? 5 : 9));
      const losses = summary.history.loss.map(fromWire);
      assert.equal(losses.length, 3);
      assert.ok(losses.every(Number.isFinite) && losses[2] < losses[0], JSON.stringify(losses));
    });
  }

  it('slices a column of an input for an Embedding, and standardises the other with the data\'s statistics, as the report did: a zero variance gives NaN', async () => {
    const source = `${DATA}
cats = np.array([[3, 1], [0, 2], [4, 1], [2, 0], [1, 2], [3, 3], [0, 1], [4, 0]]).astype("int32")
nums = np.array([[1.5, 0.0], [2.5, 0.0], [0.5, 0.0], [3.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 0.0], [4.0, 0.0]]).astype("float32")

class customModel(keras.Model):
    def __init__(self, mean, var):
        super().__init__()
        self.user_emb = layers.Embedding(5, 3)
        self.mean = tf.constant(mean, dtype=tf.float32)
        self.var = tf.constant(var, dtype=tf.float32)
        self.fc = layers.Dense(4, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        cats, nums = x
        e = self.user_emb(cats[:, 0])
        nums = (nums - self.mean) / tf.sqrt(self.var)
        return self.out(self.fc(tf.concat([e, nums], axis=-1)))

model = customModel(nums.mean(axis=0), nums.var(axis=0))
model.compile(optimizer="adam", loss="mse")
model.fit((cats, nums), y, batch_size=4, epochs=2)
`;
    const model = await modelOf(source);
    assert.equal(model.definitionProblem, undefined);
    const slice = model.layers.find((l) => l.expression?.op === 'index');
    assert.deepEqual(slice?.expression, { op: 'index', x: { op: 'arg', index: 0 }, axes: [{ index: 0 }] });
    const plan = planned(model);
    const summary = await trainOnCpu(plan);
    assert.equal(summary.verdict, 'nan');
    const standardise = model.layers.find((l) => l.className === 'Lambda' && l !== slice);
    assert.deepEqual(standardise?.inbound, ['input_layer_1']);
    assert.equal(summary.firstNonFinite?.layer, standardise?.name);
    assert.match(summary.firstNonFinite?.detail ?? '', /from the input input_layer_1 \(up to [0-9.e+]+\)\.$/);
    // Without the zero-variance column it trains.
    const fixed = await modelOf(source.replace(/, 0\.0\]/g, ']'));
    const trained = await trainOnCpu(planned(fixed));
    assert.notEqual(trained.verdict, 'nan');
    assert.ok(trained.history.loss.map(fromWire).every(Number.isFinite));
  });

  it('refuses a call that reads its inputs both by position and by key, naming the line', async () => {
    const model = await modelOf(
      TWO_BRANCHES(
        `    def call(self, inputs):
        return self.head(tf.concat([self.left(inputs[0]), self.right(inputs["meta"])], axis=-1))`,
        'model.fit([a, b], y, epochs=1)',
      ),
    );
    assert.match(model.definitionProblem ?? '', /^Towers\.call \(line 19\) is not a chain of its layers: it reads its inputs both by position and by name/);
  });

  it('refuses a model of several inputs fitted to one array', async () => {
    const model = await modelOf(
      TWO_BRANCHES(
        `    def call(self, inputs):
        first, second = inputs
        return self.head(self.left(first) + self.right(second))`,
        'model.fit(a, y, epochs=1)',
      ),
    );
    assert.match(refusalOf(model), /^model has 2 inputs \(input_layer, input_layer_1\), and nanguard could not find one array for each in the call to fit/);
  });
});

describe('the tensor operations of such a call', () => {
  it('index: positions drop their axis, ranges keep it (Python\'s negative bounds)', () => {
    const x = tf.tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
    assert.deepEqual(evaluateExpr({ op: 'index', x: { op: 'arg', index: 0 }, axes: [{ index: -1 }] }, [x]).arraySync(), [4, 8]);
    assert.deepEqual(evaluateExpr({ op: 'index', x: { op: 'arg', index: 0 }, axes: [{ start: 1, stop: -1 }] }, [x]).arraySync(), [[2, 3], [6, 7]]);
    assert.deepEqual(exprOutputShapeOf({ op: 'index', x: { op: 'arg', index: 0 }, axes: [{ start: 1, stop: -1 }] }, [[null, 4]]), [null, 2]);
    assert.deepEqual(exprOutputShapeOf({ op: 'index', x: { op: 'arg', index: 0 }, axes: [{ index: 0 }] }, [[null, 4]]), [null]);
  });

  it('a row of per-column constants broadcasts along the last axis, the batch\'s size staying unknown', () => {
    const expr = { op: 'div' as const, a: { op: 'arg' as const, index: 0 }, b: { op: 'row' as const, values: [2, 0] } };
    assert.deepEqual(exprOutputShapeOf(expr, [[null, 2]]), [null, 2]);
    assert.deepEqual(exprOutputShapeOf({ op: 'mul', a: { op: 'arg', index: 0 }, b: { op: 'const', value: 2 } }, [[null, 5]]), [null, 5]);
    const out = evaluateExpr(expr, [tf.tensor([[4, 0]])]).arraySync() as number[][];
    assert.equal(out[0][0], 2);
    assert.ok(Number.isNaN(out[0][1]));
  });
});

describe('several inputs fed by a generator nanguard cannot follow', () => {
  it('each input a stand-in of the shape its Input declares (a colorization network fed [images, embeddings])', async () => {
    const model = await fittedModelOf(`
import numpy as np
from keras.layers import Input, Conv2D, Dense, RepeatVector, Reshape, concatenate
from keras.models import Model

embed_input = Input(shape=(10,))
encoder_input = Input(shape=(8, 8, 1,))
encoder_output = Conv2D(4, (3, 3), activation='relu', padding='same')(encoder_input)
fusion_output = RepeatVector(8 * 8)(embed_input)
fusion_output = Reshape(([8, 8, 10]))(fusion_output)
fusion_output = concatenate([encoder_output, fusion_output], axis=3)
decoder_output = Conv2D(2, (3, 3), activation='tanh', padding='same')(fusion_output)
model = Model(inputs=[encoder_input, embed_input], outputs=decoder_output)

def image_a_b_gen(batch_size):
    for batch in datagen.flow(Xtrain, batch_size=batch_size):
        yield ([batch[:, :, :, :1], embed(batch)], batch[:, :, :, 1:] / 128)

model.compile(optimizer='adam', loss='mse')
model.fit_generator(image_a_b_gen(20), epochs=2, steps_per_epoch=5)
`);
    const plan = planned(model);
    assert.deepEqual(plan.inputShape, [8 * 8 * 1 + 10]);
    assert.equal(plan.data.provenance.train, 'synthetic');
    const summary = await trainOnCpu(plan);
    assert.ok(summary.history.loss.map(fromWire).every(Number.isFinite), summary.verdict);
    // The targets, drawn at the width of the built model's output, are said to be a stand-in of that width.
    const targets = summary.data.notes.filter((n) => n.startsWith('the training targets'));
    assert.equal(targets.length, 1, summary.data.notes.join('\n'));
    assert.match(targets[0], /a stand-in of \d+ samples x 128 values \(the shape \[8,8,2\] of the model's output\)/);
    assert.ok(summary.notes.includes(targets[0]));
  });
});
