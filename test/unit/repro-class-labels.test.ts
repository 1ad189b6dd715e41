/**
 * Class labels as targets: the analysis follows the labels `keras.datasets` loaders return (and
 * their count through `np.max(y) + 1`, `len(np.unique(y))`), `to_categorical`, and labels in a
 * data file; the reproduction trains a classifier on them, stand-in labels said as such.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { materializeData } from '../../src/repro/plan';
import { applyTransform } from '../../src/repro/data';
import { fromWire } from '../../src/repro/protocol';
import { planned, trainOnCpu } from './repro-plans';

async function modelOf(source: string) {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const model = analysis.models.find((m) => m.compile);
  assert.ok(model, 'no compiled model');
  return model;
}

const CLASSIFIER = (count: string, dataset = 'mnist', encode = 'y_train = to_categorical(y_train)') => `
import numpy as np
import keras
from keras import layers
from keras.utils import to_categorical
(x_train, y_train), (x_test, y_test) = keras.datasets.${dataset}.load_data()
num_labels = ${count}
${encode}
x_train = x_train.reshape(-1, ${dataset.startsWith('cifar') ? 3072 : 784}).astype('float32') / 255
inputs = keras.Input(shape=(${dataset.startsWith('cifar') ? 3072 : 784},))
h = layers.Dense(16, activation='relu')(inputs)
outputs = layers.Dense(num_labels, activation='softmax')(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='categorical_crossentropy')
model.fit(x_train[:512], y_train[:512], epochs=2, batch_size=64)
`;

describe('class labels as targets', () => {
  for (const [count, dataset, classes] of [
    ['np.amax(y_train) + 1', 'mnist', 10],
    ['len(np.unique(y_train))', 'fashion_mnist', 10],
    ['np.max(y_train) + 1', 'cifar100', 100],
    ['y_train.max() + 1', 'cifar10', 10],
  ] as const) {
    it(`counts the classes of keras.datasets.${dataset} with ${count}`, async () => {
      const model = await modelOf(CLASSIFIER(count, dataset));
      const output = model.layers[model.layers.length - 1];
      assert.equal(output.config.units, classes);
      assert.deepEqual(model.data.target?.labels, { classes, oneHot: true });
    });
  }

  it('trains a classifier on stand-in one-hot labels, said as such', async () => {
    const plan = planned(await modelOf(CLASSIFIER('np.amax(y_train) + 1')));
    const data = materializeData(plan);
    assert.equal(data.y[0].length, 10);
    for (const row of data.y.slice(0, 50)) {
      assert.equal(row.reduce((a, b) => a + b, 0), 1);
      assert.ok(row.every((v) => v === 0 || v === 1));
    }
    // Random classes: more than one of them appears.
    assert.ok(new Set(data.y.map((r) => r.indexOf(1))).size > 5);
    assert.ok(plan.notes.some((n) => n.kind === 'stand-in' && /random class labels \(0 to 9, one-hot\)/.test(n.text)), JSON.stringify(plan.notes));
    const summary = await trainOnCpu(plan);
    const losses = summary.history.loss.map(fromWire);
    assert.equal(losses.length, 2);
    // Categorical cross-entropy of ten classes starts near ln 10.
    assert.ok(losses[0] > 1.5 && losses[0] < 3.5, `first loss ${losses[0]}`);
  });

  it('keeps the number of classes given to to_categorical', async () => {
    const model = await modelOf(CLASSIFIER('12', 'mnist', 'y_train = keras.utils.to_categorical(y_train.astype("int64"), num_labels)'));
    assert.deepEqual(model.data.target?.labels, { classes: 12, oneHot: true });
  });

  it('one-hot encodes labels the code writes out, and replays it', async () => {
    const model = await modelOf(`
import numpy as np
import keras
from keras import layers
x = np.random.rand(6, 4)
y = keras.utils.to_categorical(np.array([0, 2, 1, 2, 0, 1]))
inputs = keras.Input(shape=(4,))
outputs = layers.Dense(3, activation='softmax')(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='categorical_crossentropy')
model.fit(x, y, epochs=1)
`);
    assert.deepEqual(model.data.target?.shape, [6, 3]);
    const data = materializeData(planned(model));
    assert.deepEqual(data.y, [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  });

  it('replays to_categorical on labels read from a file, refusing a label outside the classes', () => {
    assert.deepEqual(applyTransform([[1], [0]], { kind: 'one_hot', classes: 2 }).x, [[0, 1], [1, 0]]);
    const bad = applyTransform([[3]], { kind: 'one_hot', classes: 2 });
    assert.match(bad.note?.text ?? '', /not replayed: a label is 3/);
  });

  it('trains on integer labels with sparse_categorical_crossentropy as on their one-hot rows with categorical_crossentropy', async () => {
    const program = (loss: string, labels: string) => `
import numpy as np
import keras
from keras import layers
x = np.array([[0.1, 0.9, 0.3], [0.8, 0.2, 0.5], [0.4, 0.4, 0.9], [0.9, 0.7, 0.1], [0.2, 0.1, 0.6], [0.5, 0.8, 0.2]])
y = ${labels}
inputs = keras.Input(shape=(3,))
h = layers.Dense(5, activation='tanh')(inputs)
outputs = layers.Dense(3, activation='softmax')(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='${loss}')
model.fit(x, y, epochs=3, batch_size=2, shuffle=False)
`;
    const sparse = planned(await modelOf(program('sparse_categorical_crossentropy', 'np.array([0, 2, 1, 2, 0, 1])')));
    const categorical = planned(await modelOf(program('categorical_crossentropy', 'keras.utils.to_categorical(np.array([0, 2, 1, 2, 0, 1]))')));
    assert.deepEqual(materializeData(sparse).y, [[0], [2], [1], [2], [0], [1]]);
    const a = (await trainOnCpu(sparse)).history.loss.map(fromWire);
    const b = (await trainOnCpu(categorical)).history.loss.map(fromWire);
    assert.equal(a.length, 3);
    a.forEach((loss, i) => assert.ok(Math.abs(loss - b[i]) < 1e-6, `epoch ${i}: ${loss} against ${b[i]}`));
    assert.ok(a[2] < a[0]);
  });

  it('says a stall on stand-in labels is the stand-in\'s', async () => {
    const source = CLASSIFIER('len(np.unique(y_train))', 'mnist', '').replace("loss='categorical_crossentropy'", "loss='sparse_categorical_crossentropy'");
    const summary = await trainOnCpu(planned(await modelOf(source)));
    assert.equal(summary.verdict, 'stalled', summary.explanation);
    assert.match(summary.explanation, /random stand-ins, unrelated to the inputs: .*ln 10 = 2\.303/);
    assert.ok(summary.notes.some((n) => /random class labels \(0 to 9\)/.test(n)));
  });
});
