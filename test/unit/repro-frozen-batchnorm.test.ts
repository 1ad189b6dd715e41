// A frozen BatchNormalization (`trainable=False`, or inside a frozen model) normalizes with its
// moving mean and variance while training, in TensorFlow 2 and Keras 3, and never updates them.
// FROZEN's losses are real Keras's (3.15.1, TensorFlow 2.21, CPU), constant initial weights and
// shuffle=False, so that both runs start from the same model and see the same batches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { toTfjsTopology } from '../../src/repro/engine/topology';
import { buildModel } from '../../src/repro/engine/model';
import { fromWire } from '../../src/repro/protocol';
import { buildPlan } from '../../src/repro/plan';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

const program = (batchNormalization: string): string => `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.array([[0.1, 0.9, 0.3, 0.5, 0.7, 0.2], [0.8, 0.1, 0.6, 0.2, 0.4, 0.9], [0.3, 0.3, 0.9, 0.7, 0.1, 0.5], [0.6, 0.4, 0.2, 0.8, 0.9, 0.1],
              [0.2, 0.7, 0.5, 0.1, 0.3, 0.8], [0.9, 0.5, 0.4, 0.6, 0.2, 0.3], [0.4, 0.2, 0.8, 0.3, 0.6, 0.7], [0.5, 0.6, 0.1, 0.9, 0.8, 0.4]], dtype="float32") * 10

inputs = keras.Input(shape=(6,))
h = layers.Dense(4, activation="relu", kernel_initializer=keras.initializers.Constant(0.2))(inputs)
h = layers.${batchNormalization}(h)
outputs = layers.Dense(6, kernel_initializer=keras.initializers.Constant(0.1))(h)
model = keras.Model(inputs, outputs)
model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=0.01))
history = model.fit(x, x, epochs=4, batch_size=4, shuffle=False, verbose=0)
`;

/** Keras 3.15.1's history.history["loss"] (count_params() is 74 for both). */
const KERAS_FROZEN = [10.648476, 7.052486, 7.052381, 7.051813];
const KERAS_TRAINED = [30.450356, 29.997456, 29.551243, 29.10836];

async function losses(source: string): Promise<number[]> {
  const summary = await trainOnCpu(planned(await fittedModelOf(source)));
  assert.equal(summary.model.parameters, 74);
  return summary.history.loss.map(fromWire);
}

function assertClose(actual: number[], keras: number[]): void {
  assert.equal(actual.length, keras.length);
  actual.forEach((loss, i) => assert.ok(Math.abs(loss - keras[i]) < 1e-5 * Math.max(1, keras[i]), `epoch ${i}: ${loss} against Keras's ${keras[i]}`));
}

describe('a frozen BatchNormalization', () => {
  it('trains as Keras does: normalized by its moving statistics, which stay as they were', async () => {
    assertClose(await losses(program('BatchNormalization(trainable=False)')), KERAS_FROZEN);
    const built = await buildModel(planned(await fittedModelOf(program('BatchNormalization(trainable=False)'))));
    const frozen = built.model.layers.find((l) => l.getClassName() === 'NanguardFrozenBatchNormalization');
    assert.ok(frozen, 'the frozen layer is built as such');
    assert.equal(frozen.trainableWeights.length, 0);
    assert.ok(built.variables.every((v) => !/batch_normalization/.test(v.name)), 'its gamma and beta are not stepped');
  });

  it('a trainable one still normalizes by the batch, as Keras does (the same program, another curve)', async () => {
    assertClose(await losses(program('BatchNormalization()')), KERAS_TRAINED);
  });

  it("a frozen ResNet50's BatchNormalization layers (a loop setting each layer's trainable): planned frozen, not refused", async () => {
    const analysis = await analyzeFile('train.py', `
import numpy as np
from tensorflow import keras
x = np.random.rand(16, 32, 32, 3)
base = keras.applications.ResNet50(include_top=False, weights='imagenet', input_shape=(32, 32, 3), pooling='avg')
for layer in base.layers:
    layer.trainable = False
out = keras.layers.Dense(10, activation='softmax')(base.output)
m = keras.Model(base.input, out)
m.compile(optimizer='adam', loss='categorical_crossentropy')
m.fit(x, np.eye(10)[np.random.randint(0, 10, 16)])
`, NO_FILES);
    const planned = buildPlan(analysis.models[0]);
    if ('refused' in planned) assert.fail(planned.refused);
    const plan = planned.plan;
    const topology = toTfjsTopology(plan.kerasJson, plan.seed, plan.compile.loss, false);
    const classes = (topology.json.config as { layers: { class_name: string }[] }).layers.map((l) => l.class_name);
    // ResNet50 has 53 BatchNormalization layers, every one frozen here.
    assert.equal(classes.filter((c) => c === 'NanguardFrozenBatchNormalization').length, 53);
    assert.equal(classes.filter((c) => c === 'BatchNormalization').length, 0);
  });
});
