/**
 * float16 emulated on float32 (engine/float16.ts, precision.ts): the rounding against known
 * float16 values and an independent bit-level conversion, gradients held in float16, Keras's
 * float16 loss reduction, optimizer state in float16, and whole runs whose first NaN batch is
 * the one real Keras 3.15 reported on the same programs (recorded beside each case).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { seededRandom } from '../../src/repro/data';
import { castToFloat16, float16Round, roundFloat16InPlace, roundToFloat16 } from '../../src/repro/engine/float16';
import { float16LossFunction, lossFunction } from '../../src/repro/engine/losses';
import { createOptimizer } from '../../src/repro/engine/optimizers';
import { runReproduction } from '../../src/repro/engine/train';
import { tf } from '../../src/repro/engine/tf';
import { buildPlan, type ReproPlan } from '../../src/repro/plan';
import { fromWire } from '../../src/repro/protocol';

/** IEEE float32 to float16 and back through the bits (round to nearest even), independent of the code under test. */
function viaBits(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  const bits = view.getUint32(0);
  const sign = bits >>> 31 ? -1 : 1;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return mantissa ? NaN : sign * Infinity;
  // Keep the float32 mantissa's top bits that float16 has (fewer below 2^-14, where float16 steps by 2^-24), rounding the rest.
  const e = exponent - 127;
  if (e < -25) return sign * 0;
  const shift = e < -14 ? 13 + (-14 - e) : 13;
  const full = mantissa | 0x800000;
  const kept = Math.floor(full / 2 ** shift);
  const rest = full - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  const roundedUp = rest > half || (rest === half && kept % 2 === 1) ? kept + 1 : kept;
  const value = roundedUp * 2 ** (shift + e - 23);
  return value > 65504 ? sign * Infinity : sign * value;
}

describe('rounding to float16', () => {
  const KNOWN: [number, number][] = [
    [65504, 65504],
    [65519, 65504],
    [65520, Infinity],
    [-70000, -Infinity],
    [6e-8, 5.960464477539063e-8],
    [1e-7, 1.1920928955078125e-7],
    [2.9e-8, 0],
    [1 / 3, 0.333251953125],
    [0.1, 0.0999755859375],
    [1e-4, 0.00010001659393310547],
    [2 ** -14, 2 ** -14],
    [2049, 2048],
    [2051, 2052],
    [123.456, 123.4375],
    [1 - 1e-7, 1],
    [1e30, Infinity],
    [0, 0],
    [Infinity, Infinity],
  ];

  it('gives the float16 value numpy gives, as a number and as TensorFlow.js operations', () => {
    const tensor = roundToFloat16(tf.tensor1d(KNOWN.map(([x]) => x)));
    const rounded = tensor.dataSync();
    tensor.dispose();
    KNOWN.forEach(([x, expected], i) => {
      assert.equal(float16Round(x), expected, `float16Round(${x})`);
      assert.equal(rounded[i], expected, `roundToFloat16(${x})`);
    });
    assert.ok(Number.isNaN(float16Round(NaN)));
    assert.ok(Number.isNaN(roundToFloat16(tf.scalar(NaN)).dataSync()[0]));
  });

  it('agrees with a bit-level conversion on float32 values from 1e-9 to 1e6, subnormals and ties included', () => {
    const random = seededRandom(16, 1);
    const values = new Float32Array(20000);
    for (let i = 0; i < values.length; i++) {
      const magnitude = 10 ** (random() * 15 - 9);
      values[i] = (random() < 0.5 ? -1 : 1) * magnitude;
    }
    // Exact halfway points between float16 neighbours (ties go to even), normal and subnormal.
    for (let k = 0; k < 200; k++) {
      values[k] = (1024 + 2 * k + 1) * 2 ** -11;
      values[200 + k] = (2 * k + 1) * 2 ** -25;
    }
    const tensor = roundToFloat16(tf.tensor1d(values));
    const rounded = tensor.dataSync();
    tensor.dispose();
    const inPlace = values.slice();
    roundFloat16InPlace(inPlace);
    for (let i = 0; i < values.length; i++) {
      const expected = viaBits(values[i]);
      assert.equal(float16Round(values[i]), expected, `float16Round(${values[i]})`);
      assert.equal(rounded[i], expected, `roundToFloat16(${values[i]})`);
      assert.equal(inPlace[i], expected);
    }
  });

  it('holds the gradient through a float16 cast in float16 too', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(castToFloat16(v), 1 / 3)))(x);
    assert.deepEqual(Array.from(grad.dataSync()), [0.333251953125, 0.333251953125, 0.333251953125]);
    tf.dispose([x, grad]);
  });
});

describe('the float16 loss', () => {
  it('sums before it divides, as Keras reduces: a mean absolute error of 128 over 40,000 samples is infinite', () => {
    const t = tf.zeros([40000, 1]);
    const p = tf.fill([40000, 1], 128);
    assert.equal(lossFunction('mae', false)(t, p).dataSync()[0], 128);
    assert.equal(float16LossFunction('mae', false)(t, p).dataSync()[0], Infinity);
    // Over 10 samples of 40 values the sum fits: each sample's mean, their sum and its tenth rounded to float16.
    assert.equal(float16LossFunction('mae', false)(tf.zeros([10, 40]), tf.fill([10, 40], 1 / 3)).dataSync()[0], float16Round(float16Round(float16Round(1 / 3) * 10) / 10));
    tf.dispose([t, p]);
  });

  it('clips probabilities at 1 - 1e-7, which is 1 in float16: a confident wrong sigmoid output costs Infinity', () => {
    const t = tf.tensor2d([[0]]);
    const p = tf.tensor2d([[1]]);
    assert.ok(Number.isFinite(lossFunction('binary_crossentropy', false)(t, p).dataSync()[0]));
    assert.equal(float16LossFunction('binary_crossentropy', false)(t, p).dataSync()[0], Infinity);
    tf.dispose([t, p]);
  });
});

describe('the optimizer on float16 variables', () => {
  it('keeps float16 parameters float16, with an Adam epsilon of 1e-7 rounded to 1.19e-7', () => {
    const variables = [tf.variable(tf.tensor1d([0.5, -0.25, 1])), tf.variable(tf.tensor1d([0.5, -0.25]))];
    const half = new Uint8Array([1, 1, 1, 0, 0]);
    const mixed = createOptimizer('Adam', { learning_rate: 0.001 }, variables, half);
    const single = createOptimizer('Adam', { learning_rate: 0.001 }, [variables[1]]);
    const params = Float32Array.from([0.5, -0.25, 1, 0.5, -0.25]);
    const reference = Float32Array.from([0.5, -0.25]);
    for (let step = 0; step < 5; step++) {
      const grads = Float32Array.from([1e-4, -3e-3, 2, 1e-4, -3e-3]);
      mixed.stepFlat(params, grads);
      single.stepFlat(reference, grads.subarray(3));
    }
    for (let k = 0; k < 3; k++) assert.equal(params[k], float16Round(params[k]), `element ${k} is a float16 value`);
    // The float32 part steps as a float32 optimizer alone does.
    assert.deepEqual(Array.from(params.subarray(3)), Array.from(reference));
    // A gradient of 1e-3: (1 - beta_2) · g² = 1e-9 underflows float16, so v = 0 and the step is m · alpha / 1.19e-7,
    // hundreds of times the learning rate (float32: about the learning rate).
    const tiny = [tf.variable(tf.tensor1d([0]))];
    const adam = createOptimizer('Adam', { learning_rate: 0.001 }, tiny, new Uint8Array([1]));
    const p = Float32Array.from([0]);
    adam.stepFlat(p, Float32Array.from([float16Round(1e-3)]));
    assert.ok(Math.abs(p[0]) >= 0.25, `a step of ${p[0]}`);
    const adam32 = createOptimizer('Adam', { learning_rate: 0.001 }, tiny);
    const p32 = Float32Array.from([0]);
    adam32.stepFlat(p32, Float32Array.from([1e-3]));
    assert.ok(Math.abs(p32[0]) < 0.002, `a float32 step of ${p32[0]}`);
    tf.dispose([...variables, ...tiny]);
  });
});

async function planFor(source: string, epochs: number): Promise<ReproPlan> {
  const analysis = await analyzeFile('train.py', source, NO_FILES);
  const model = analysis.models[0];
  assert.ok(model, 'a model');
  const r = buildPlan(model, { epochs });
  if ('refused' in r) assert.fail(r.refused);
  return r.plan;
}

async function train(plan: ReproPlan) {
  return runReproduction(plan, 'cpu', { emit: () => undefined, cancelled: () => false }, performance.now());
}

describe('float16 training, against real Keras', () => {
  const DENSE = (head: string, data: string, layers: string, optimizer = "'adam'") => `import numpy as np
import keras
from keras import backend as K
from keras.models import Sequential
from keras.layers import Dense, Input
${head}
x = ${data}
model = Sequential([Input(shape=(32,)), ${layers}])
model.compile(optimizer=${optimizer}, loss='mse')
model.fit(x, x, epochs=5, batch_size=32)
`;

  it("K.set_floatx('float16') on 0-255 inputs: the loss is infinite at batch 0 (Keras: Infinity at epoch 0, batch 0)", async () => {
    const plan = await planFor(DENSE("K.set_floatx('float16')", "(np.random.rand(512, 32) * 255).astype('float16')", "Dense(16, activation='relu'), Dense(32)"), 5);
    assert.deepEqual(plan.precision, { policy: 'float16', layers: null, float16Loss: true });
    const s = await train(plan);
    assert.equal(s.verdict, 'nan');
    assert.deepEqual([s.firstNonFinite?.epoch, s.firstNonFinite?.batch], [0, 0]);
    assert.ok(s.notes.some((n) => /float16 everywhere is emulated/.test(n)));
  });

  it("a dtype='float16' first layer on 0-255 inputs: NaN at batch 2 (Keras: epoch 0, batch 2)", async () => {
    const plan = await planFor(DENSE('', "(np.random.rand(512, 32) * 255).astype('float32')", "Dense(16, activation='relu', dtype='float16'), Dense(32)"), 5);
    assert.equal(plan.precision?.layers?.length, 1);
    const s = await train(plan);
    assert.equal(s.verdict, 'nan');
    assert.deepEqual([s.firstNonFinite?.epoch, s.firstNonFinite?.batch], [0, 2]);
  });

  it("test/evidence/NAN303.py's float16 autoencoder: Adam at its default epsilon goes NaN in epoch 0, at epsilon 1e-4 it does not (Keras: NaN at batch 1 or 3 of the first epoch in 7 of 8 seeds; 0 of 8)", async () => {
    const program = (optimizer: string) => `import numpy as np
import keras
from keras import layers
keras.backend.set_floatx("float16")
x = np.random.uniform(0, 1, (1024, 64)).astype("float16")
inputs = keras.Input(shape=(64,))
h = layers.Dense(32, activation="relu")(inputs)
h = layers.Dense(8, activation="relu")(h)
h = layers.Dense(32, activation="relu")(h)
m = keras.Model(inputs, layers.Dense(64)(h))
m.compile(optimizer=${optimizer}, loss="mse")
m.fit(x, x, epochs=5, batch_size=32)
`;
    const failing = await train(await planFor(program('keras.optimizers.Adam()'), 5));
    assert.equal(failing.verdict, 'nan');
    assert.equal(failing.firstNonFinite?.epoch, 0);
    assert.ok([1, 3].includes(failing.firstNonFinite!.batch), `batch ${failing.firstNonFinite?.batch}`);
    const fixed = await train(await planFor(program('keras.optimizers.Adam(epsilon=1e-4)'), 5));
    assert.equal(fixed.firstNonFinite, null);
    assert.equal(fixed.history.loss.length, 5);
  });

  it("test/evidence/NAN403.py's mixed_float16 autoencoder with a float32 output layer: inputs up to 1e5 are NaN at batch 0, up to 300 train (Keras: 8 of 8 at batch 0; 0 of 8)", async () => {
    const program = (high: number) => `import numpy as np
import keras
from keras import layers
keras.mixed_precision.set_global_policy("mixed_float16")
x = np.random.uniform(0, ${high}, (512, 16)).astype("float32")
inputs = keras.Input(shape=(16,))
h = layers.Dense(64, activation="relu")(inputs)
h = layers.Dense(8, activation="relu")(h)
h = layers.Dense(64, activation="relu")(h)
outputs = layers.Dense(16, activation="linear", dtype="float32")(h)
m = keras.Model(inputs, outputs)
m.compile(optimizer=keras.optimizers.Adam(), loss="mse")
m.fit(x, x, epochs=3, batch_size=32)
`;
    const overflowing = await planFor(program(100000), 3);
    // The output layer given float32 stays float32; the loss is float32 under mixed_float16.
    assert.deepEqual(overflowing.precision, { policy: 'mixed_float16', layers: ['dense', 'dense_1', 'dense_2'], float16Loss: false });
    const s = await train(overflowing);
    assert.equal(s.verdict, 'nan');
    assert.deepEqual([s.firstNonFinite?.epoch, s.firstNonFinite?.batch], [0, 0]);
    const fine = await train(await planFor(program(300), 3));
    assert.equal(fine.firstNonFinite, null);
    assert.ok(fine.history.loss.map(fromWire).every(Number.isFinite));
  });

  it('float16 on [0, 1] data and mixed_float16 train without a NaN (Keras: finite for 5 epochs)', async () => {
    for (const head of ["K.set_floatx('float16')", "keras.mixed_precision.set_global_policy('mixed_float16')"]) {
      const plan = await planFor(DENSE(head, "np.random.rand(512, 32).astype('float32')", "Dense(16, activation='relu'), Dense(32, activation='sigmoid')", 'keras.optimizers.Adam(epsilon=1e-4)'), 5);
      assert.ok(plan.precision, head);
      const s = await train(plan);
      const losses = s.history.loss.map(fromWire);
      assert.equal(losses.length, 5, head);
      assert.ok(losses.every(Number.isFinite), `${head}: ${losses.join(', ')}`);
      assert.equal(s.firstNonFinite, null);
    }
  });
});
