/**
 * `1 - tf.reduce_mean(tf.image.ssim(y_true, y_pred, 1.0))`, the structural-similarity loss of many
 * image autoencoders: translated and computed as TensorFlow does (its Gaussian window, valid
 * positions, the mean over positions and channels), so that such a model is reproduced instead of
 * refused ("calls ssim, which nanguard does not translate").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFile, NO_FILES } from '../../src/core/index';
import { evaluateExpr } from '../../src/repro/engine/expr';
import { tf } from '../../src/repro/engine/tf';
import { planned, trainOnCpu } from './repro-plans';

const SSIM_AUTOENCODER = `
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def ssim_loss(y_true, y_pred):
    return 1 - tf.reduce_mean(tf.image.ssim(y_true, y_pred, 1.0))

x_train = np.random.rand(64, 16, 16, 3).astype("float32")
inp = keras.Input(shape=(16, 16, 3))
x = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(inp)
x = layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(x)
out = layers.Conv2D(3, 3, activation="sigmoid", padding="same")(x)
ae = keras.Model(inp, out)
ae.compile(optimizer="adam", loss=ssim_loss)
ae.fit(x_train, x_train, epochs=2, batch_size=16)
`;

describe('the SSIM loss', () => {
  it("gives TensorFlow's values", () => {
    // Two batches of smooth images; TensorFlow 2.21's tf.image.ssim(a, b, 1.0) gives 0.9783913493156433 and 0.9784777760505676.
    const n = 2 * 16 * 16 * 3;
    const a = Array.from({ length: n }, (_, i) => (Math.sin(i * 0.37) + 1) / 2);
    const b = Array.from({ length: n }, (_, i) => (Math.sin(i * 0.37 + 0.3 * Math.cos(i)) + 1) / 2);
    const expr = { op: 'ssim' as const, a: { op: 'arg' as const, index: 0 }, b: { op: 'arg' as const, index: 1 }, maxVal: 1, filterSize: 11, filterSigma: 1.5, k1: 0.01, k2: 0.03 };
    const values = Array.from(evaluateExpr(expr, [tf.tensor4d(a, [2, 16, 16, 3]), tf.tensor4d(b, [2, 16, 16, 3])]).dataSync());
    assert.ok(Math.abs(values[0] - 0.9783913493156433) < 1e-5, String(values[0]));
    assert.ok(Math.abs(values[1] - 0.9784777760505676) < 1e-5, String(values[1]));
    // An image compared with itself is perfectly similar.
    const same = evaluateExpr(expr, [tf.tensor4d(a, [2, 16, 16, 3]), tf.tensor4d(a, [2, 16, 16, 3])]).dataSync();
    assert.ok(Math.abs(same[0] - 1) < 1e-5);
  });

  it('a conv autoencoder compiled with it is translated, with TensorFlow defaults for the window, and trains', async () => {
    const analysis = await analyzeFile('ae.py', SSIM_AUTOENCODER, NO_FILES);
    const model = analysis.models.find((m) => m.fit);
    assert.ok(model);
    const plan = planned(model);
    assert.equal(plan.compile.loss, 'custom');
    const json = JSON.stringify(plan.compile.lossExpression);
    assert.match(json, /"op":"ssim"/);
    assert.match(json, /"filterSize":11,"filterSigma":1.5,"k1":0.01,"k2":0.03/);
    const summary = await trainOnCpu(plan);
    const losses = summary.history.loss as number[];
    assert.equal(losses.length, 2);
    assert.ok(losses.every((l) => Number.isFinite(l) && l > 0 && l < 2), JSON.stringify(losses));
  });
});
