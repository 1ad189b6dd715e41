/**
 * Fashion-MNIST and CIFAR, which nanguard does not read, had stand-ins of uniform noise: nothing
 * an autoencoder learns, so a program that trains in Keras "stalled" on them. They are now
 * made-up images like the corpus's Keras stand-ins (scripts/keras-dataset-cache.py), the targets
 * made from the same part of a dataset draw the same images (`fit(x, x / 255.0)`), `x[...,
 * np.newaxis]` keeps the dataset, and the `Rescaling` layer is reproduced.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colourField, garment, seededRandom } from '../../src/repro/data';
import { buildPlan, materializeData } from '../../src/repro/plan';
import { fittedModelOf, planned, trainOnCpu } from './repro-plans';

// The Keras documentation's style: pixels kept 0-255, scaled inside the model by Rescaling (a dense
// autoencoder: the CPU backend of the tests trains convolutions slowly).
const FASHION_RESCALING = `
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
(x_train, _), (x_test, _) = keras.datasets.fashion_mnist.load_data()
x_train = x_train[..., np.newaxis]
x_test = x_test[..., np.newaxis]
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Rescaling(1.0 / 255)(inputs)
x = layers.Flatten()(x)
x = layers.Dense(32, activation="relu")(x)
x = layers.Dense(784, activation="sigmoid")(x)
outputs = layers.Reshape((28, 28, 1))(x)
autoencoder = keras.Model(inputs, outputs)
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(x_train[:512], x_train[:512] / 255.0, epochs=3, batch_size=32, shuffle=True)
`;


describe('stand-in images', () => {
  it('Fashion-MNIST-like: a shaded shape on zeros, pixels in [0, 1]', () => {
    const uniform = seededRandom(3);
    const pixels = Array.from({ length: 50 }, () => garment(uniform)).flat();
    const zeros = pixels.filter((v) => v === 0).length / pixels.length;
    assert.ok(zeros > 0.35 && zeros < 0.75, `zeros ${zeros}`);
    assert.ok(pixels.every((v) => v >= 0 && v <= 1));
    assert.ok(Math.max(...pixels) > 0.5);
  });

  it('CIFAR-like: smooth colour fields, neighbours close, channels last', () => {
    const image = colourField(seededRandom(5));
    assert.equal(image.length, 3072);
    let step = 0;
    for (let i = 0; i + 3 < image.length; i += 3) step += Math.abs(image[i + 3] - image[i]);
    const meanStep = step / (image.length / 3);
    // Uniform noise would step by a third on average; a smooth field with 16 levels of noise, a few hundredths.
    assert.ok(meanStep < 0.1, `mean step ${meanStep}`);
  });

  it('x[..., np.newaxis] keeps the dataset; the targets x / 255 are the same images, scaled', async () => {
    const model = await fittedModelOf(FASHION_RESCALING);
    assert.match(model.data.train?.source.kind === 'unknown' ? model.data.train.source.note : '', /^keras\.datasets\.fashion_mnist train/);
    assert.deepEqual(model.data.train?.shape, [512, 28, 28, 1]);
    const plan = planned(model);
    const { x, y } = materializeData(plan);
    for (let i = 0; i < 20; i++) x[i].forEach((v, j) => assert.ok(Math.abs(v / 255 - y[i][j]) < 1e-9));
  });

  it('Rescaling is reproduced, and the model learns the made-up garments', async () => {
    const plan = planned(await fittedModelOf(FASHION_RESCALING));
    assert.ok(plan.kerasJson.config.layers.some((l) => l.class_name === 'Rescaling'));
    const summary = await trainOnCpu(plan);
    const losses = summary.history.loss as number[];
    assert.ok(losses[2] < losses[0] * 0.7, JSON.stringify(losses));
    assert.equal(summary.verdict, 'healthy', summary.explanation);
  });

  it('a Rescaling by a scale per channel is refused by its sentence', async () => {
    const source = FASHION_RESCALING.replace('layers.Rescaling(1.0 / 255)', 'layers.Rescaling([0.5])');
    const result = buildPlan(await fittedModelOf(source));
    assert.ok('refused' in result);
    assert.match(result.refused, /scale or offset per channel/);
  });
});
