/**
 * Functional graphs with operations on tensors (`inputs / 255.0`, `keras.ops.concatenate`,
 * `tf.reshape`, `keras.ops.mean`, a sum of branches as the output) and keras.applications
 * backbones (VGG16, VGG19, frozen): nanguard reads each program, plans it and builds it in
 * TensorFlow.js; with Keras's weights the outputs are Keras's own, and the parameter counts,
 * trainable ones included, are Keras's (test/fixtures/keras-oracle/graph_ops.json, written by
 * make_graph_ops.py with real Keras 3 from the same program text).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile, checkFile, NO_FILES } from '../../src/core/index';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { selectBackend } from '../../src/repro/engine/backend';
import { buildModel } from '../../src/repro/engine/model';
import { tf } from '../../src/repro/engine/tf';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';

interface Array_ {
  shape: number[];
  values: number[];
}
interface Case {
  source: string;
  tfSource?: string;
  parameters: number;
  trainableParameters: number;
  outputShape: number[];
  weights?: Array_[];
  x?: Array_;
  y?: Array_;
  backbone?: Array<{ name: string; className: string; trainable: boolean }>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras-oracle', 'graph_ops.json'), 'utf8')) as { cases: Record<string, Case> };

async function planOf(source: string): Promise<ReproPlan> {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const model = analysis.models[0];
  assert.ok(model, 'a model is found');
  const planned = buildPlan(model);
  assert.ok('plan' in planned, 'refused' in planned ? planned.refused : '');
  return planned.plan;
}

async function kerasOutputGap(plan: ReproPlan, c: Case): Promise<number> {
  const { model } = await buildModel(plan);
  try {
    assert.deepEqual(model.getWeights().map((w) => w.shape), c.weights!.map((w) => w.shape), 'the weights line up with Keras\'s');
    model.setWeights(c.weights!.map((w) => tf.tensor(w.values, w.shape)));
    const y = model.predict(tf.tensor(c.x!.values, c.x!.shape)) as tf.Tensor;
    assert.deepEqual(y.shape, c.y!.shape);
    const values = y.dataSync();
    let gap = 0;
    c.y!.values.forEach((v, i) => (gap = Math.max(gap, Math.abs(values[i] - v) / Math.max(1, Math.abs(v)))));
    return gap;
  } finally {
    model.dispose();
  }
}

describe('operations on tensors in a functional graph give Keras\'s outputs', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    if (!c.weights) continue;
    for (const [form, source] of [['keras.ops', c.source], ['tf functions', c.tfSource]] as const) {
      if (!source) continue;
      it(`${name} (${form})`, async () => {
        await selectBackend('cpu', 0);
        const plan = await planOf(source);
        assert.equal(plan.estimatedParameters, c.parameters);
        const gap = await kerasOutputGap(plan, c);
        assert.ok(gap < 1e-5, `${name}: outputs differ from Keras's by ${gap}`);
        // Keras 3 refuses a TensorFlow function on a KerasTensor: the run says it builds the graph as Keras 2 did.
        const keras2 = plan.notes.filter((n) => /Keras 3 refuses/.test(n.text));
        assert.equal(keras2.length > 0, form === 'tf functions', JSON.stringify(plan.notes));
      });
    }
  }
});

describe('keras.applications backbones are built as Keras builds them', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    if (!c.backbone) continue;
    it(name, async () => {
      await selectBackend('cpu', 0);
      const plan = await planOf(c.source);
      assert.equal(plan.estimatedParameters, c.parameters, 'Keras\'s count_params');
      const layers = plan.kerasJson.config.layers.map((l) => ({ name: String(l.config.name), className: l.class_name, trainable: l.config.trainable !== false }));
      // The backbone's own layers (Keras numbers the program's layers by its session's counters).
      const own = c.backbone!.filter((l) => /^(block|conv|pool)\d/.test(l.name));
      assert.ok(own.length >= 18);
      for (const expected of own) {
        assert.deepEqual(layers.find((l) => l.name === expected.name), expected, `layer ${expected.name}`);
      }
      const { model } = await buildModel(plan);
      try {
        assert.equal(model.countParams(), c.parameters);
        const trainable = model.trainableWeights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
        assert.equal(trainable, c.trainableParameters, 'the frozen layers are not trained');
        assert.deepEqual(model.outputs[0].shape.slice(1), c.outputShape);
      } finally {
        model.dispose();
      }
      // Fresh weights, said as such: the code's weights=None gives Keras's initializers too.
      assert.ok(plan.notes.some((n) => /starts from Keras's initializers/.test(n.text)), JSON.stringify(plan.notes));
    });
  }

  it('says that ImageNet weights are not the ones trained, and refuses a backbone past the parameter cap by its count', async () => {
    const source = (top: boolean): string => `
import numpy as np
from tensorflow import keras
from tensorflow.keras.applications import VGG16
x = np.random.rand(8, 32, 32, 3)
base = VGG16(include_top=${top ? 'True' : 'False'}, weights='imagenet'${top ? '' : ', input_shape=(32, 32, 3)'})
h = keras.layers.GlobalAveragePooling2D()(base.output) if ${top ? 'False' : 'True'} else base.output
out = keras.layers.Dense(1)(h)
model = keras.Model(base.input, out)
model.compile(optimizer='sgd', loss='mse')
model.fit(x, np.zeros((8, 1)), epochs=1)
`;
    const plan = await planOf(source(false));
    const note = plan.notes.find((n) => n.text.startsWith('VGG16 with freshly initialized weights, not ImageNet\'s'));
    assert.ok(note, JSON.stringify(plan.notes));
    assert.match(note.text, /vgg16_weights_tf_dim_ordering_tf_kernels_notop\.h5/);
    const analysis = await analyzeFile('train.py', source(true), NO_FILES);
    const refused = buildPlan(analysis.models[0]);
    assert.ok('refused' in refused);
    // VGG16 with its classifier: 138,357,544 parameters in Keras, and the Dense(1) on its 1,000 outputs.
    assert.match(refused.refused, /about 138,358,545 parameters, over the limit of 100,000,000 \(maxParameters\)/);
  });
});

describe('the rules see an operation that scales the input in the graph', () => {
  it('pixels divided by 255 in the graph are not unscaled inputs; the same pixels without it are', async () => {
    const source = (scaling: string): string => `
import numpy as np
import keras
from keras import layers
x = np.random.rand(256, 64).astype('float32') * 255
inputs = keras.Input(shape=(64,))
h = ${scaling}
h = layers.Dense(16, activation='relu')(h)
m = keras.Model(inputs, layers.Dense(64)(h))
m.compile(optimizer='adam', loss='mse')
m.fit(x, x, epochs=3)
`;
    const rules = async (scaling: string): Promise<string[]> => (await checkFile('train.py', source(scaling), NO_FILES, DEFAULT_SETTINGS)).findings.map((f) => f.rule);
    assert.deepEqual(await rules('inputs / 255.0 * 2 - 1'), []);
    assert.ok((await rules('inputs + 0.0')).includes('NAN101'));
  });
});

describe('trainable = False', () => {
  it('freezes what is frozen before the model is fitted, not what the program freezes afterwards for another model', async () => {
    const analysis = await analyzeFile('train.py', `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.rand(64, 8)
inp = keras.Input(shape=(8,))
encoder_layer = layers.Dense(3, name='code')
first = layers.Dense(6, name='first')
first.trainable = False
decoded = layers.Dense(8, name='decoded')(encoder_layer(first(inp)))
autoencoder = keras.Model(inp, decoded)
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(x, x, epochs=2)
encoder_layer.trainable = False
head = layers.Dense(1, name='head')(encoder_layer(first(inp)))
classifier = keras.Model(inp, head)
classifier.compile(optimizer='adam', loss='mse')
classifier.fit(x, np.zeros((64, 1)), epochs=2)
`, NO_FILES);
    const trainable = (name: string): Record<string, unknown> => {
      const model = analysis.models.find((m) => m.name === name)!;
      return Object.fromEntries(model.layers.filter((l) => l.className === 'Dense').map((l) => [l.name, l.config.trainable ?? true]));
    };
    assert.deepEqual(trainable('autoencoder'), { first: false, code: true, decoded: true });
    assert.deepEqual(trainable('classifier'), { first: false, code: false, head: true });
    assert.ok(analysis.models.every((m) => m.layers.every((l) => l.trainableAssignments === undefined)));
  });
});

describe('what nanguard does not reproduce is refused by name', () => {
  it('a backbone whose input_tensor is an operation nanguard does not build, and one whose input is scaled in the graph', async () => {
    const source = (input: string): string => `
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications.vgg16 import VGG16, preprocess_input
from tensorflow.keras import layers, Model, Input
x = np.random.rand(16, 32, 32, 3) * 255
inputs = Input(shape=(32, 32, 3))
h = ${input}
base = VGG16(include_top=False, weights='imagenet', input_tensor=h)
out = layers.Dense(1)(layers.GlobalAveragePooling2D()(base.output))
m = Model(inputs, out)
m.compile(optimizer='adam', loss='mse')
m.fit(x, np.zeros((16, 1)))
`;
    const refused = buildPlan((await analyzeFile('train.py', source('tf.image.per_image_standardization(inputs)'), NO_FILES)).models[0]);
    assert.ok('refused' in refused);
    assert.match(refused.refused, /^layer block1_conv1 \(Conv2D, line 9\) takes its input from an operation on tensors nanguard does not build: line 8: `tf\.image\.per_image_standardization\(inputs\)`/);
    // tf.image.resize is built (as Keras 2 did; Keras 3 refuses a KerasTensor given to it, which a note says).
    const resized = buildPlan((await analyzeFile('train.py', source('tf.image.resize(inputs, (32, 32))'), NO_FILES)).models[0]);
    assert.ok('plan' in resized && resized.plan.notes.some((n) => /^`tf\.image\.resize\(inputs, \(32, 32\)\)` \(line 8\) gives Keras tensors to tf\.image\.resize, which Keras 3 refuses/.test(n.text)));
    // Keras's own preprocessing of the backbone's images (RGB to BGR, the mean pixel off) is built.
    const preprocessed = (await analyzeFile('train.py', source('preprocess_input(inputs)'), NO_FILES)).models[0];
    assert.ok('plan' in buildPlan(preprocessed));
    const scaled = (await analyzeFile('train.py', source('inputs / 127.5 - 1'), NO_FILES)).models[0];
    assert.deepEqual(scaled.layers.find((l) => l.name === 'block1_conv1')?.inbound, ['subtract'], 'block1_conv1 reads the scaled input');
    assert.ok('plan' in buildPlan(scaled));
  });

  it('keras.ops.concatenate without an axis, which joins along the batch', async () => {
    const analysis = await analyzeFile('train.py', `
import numpy as np
import keras
x = np.random.rand(32, 4)
a = keras.Input(shape=(4,))
h = keras.ops.concatenate([keras.layers.Dense(2)(a), keras.layers.Dense(2)(a)])
m = keras.Model(a, keras.layers.Dense(4)(h))
m.compile(optimizer='adam', loss='mse')
m.fit(x, x)
`, NO_FILES);
    const planned = buildPlan(analysis.models[0]);
    assert.ok('refused' in planned);
    assert.match(planned.refused, /dense_2 \(Dense, line 7\) takes its input from an operation on tensors nanguard does not build: line 6: `keras\.ops\.concatenate\(.*\)` concatenates along the batch axis \(axis 0\)/);
  });
});
